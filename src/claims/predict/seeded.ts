/**
 * A small seeded random source for the predict questions: the same seed gives
 * the same choices in the same order, so a worksheet printed twice is the
 * same worksheet and tests can name the expected order. Not for anything
 * that must be unpredictable.
 */

/** A deterministic source of numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32 over a 32-bit seed: short, fast, and well spread for shuffling a
 * handful of choices.
 *
 * @example
 * const random = seeded(1); random(); // always the same first number for seed 1
 */
export function seeded(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One seed per step from the run's seed, so a step's question does not change when another step's does. */
export function stepSeed(seed: number, step: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(step + 1, 0x85ebca6b)) >>> 0;
}

/** A shuffled copy of `items` (Fisher–Yates on `random`). */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Up to `count` distinct items drawn from `tiers` (each shuffled, then taken
 * one from each tier in turn), never one of `exclude`: the nearest
 * neighbours and the run's own frames both get a place among the choices.
 */
export function drawFromTiers(tiers: readonly (readonly string[])[], count: number, exclude: ReadonlySet<string>, random: Random): string[] {
  const queues = tiers.map((tier) => shuffled([...new Set(tier)], random));
  const out: string[] = [];
  const taken = new Set(exclude);
  while (out.length < count && queues.some((q) => q.length)) {
    for (const queue of queues) {
      while (queue.length) {
        const next = queue.shift()!;
        if (taken.has(next)) continue;
        taken.add(next);
        out.push(next);
        break;
      }
      if (out.length === count) break;
    }
  }
  return out;
}
