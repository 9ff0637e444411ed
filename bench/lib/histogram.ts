// Latency histogram with ~1 % resolution, mergeable by summing, cheap to ship over IPC.
const GROWTH = Math.log(1.01);
/** Buckets cover 1 µs … ~60 s. */
export const BUCKETS = 1800;

/** A new, empty histogram. */
export function histogram(): Float64Array {
  return new Float64Array(BUCKETS);
}

/** Records a latency in microseconds. */
export function record(hist: Float64Array, us: number): void {
  const i = us <= 1 ? 0 : Math.min(BUCKETS - 1, Math.floor(Math.log(us) / GROWTH));
  hist[i]++;
}

/** Adds `from` into `into`. */
export function merge(into: Float64Array, from: ArrayLike<number>): Float64Array {
  for (let i = 0; i < BUCKETS; i++) into[i] += from[i];
  return into;
}

/** The latency (µs, bucket midpoint) under which a fraction `q` of samples fall. */
export function quantile(hist: ArrayLike<number>, q: number): number {
  let total = 0;
  for (let i = 0; i < BUCKETS; i++) total += hist[i];
  if (total === 0) return NaN;
  const target = q * total;
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    seen += hist[i];
    if (seen >= target) return Math.exp((i + 0.5) * GROWTH);
  }
  return Math.exp(BUCKETS * GROWTH);
}
