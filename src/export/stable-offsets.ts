/**
 * `--stable` for connectionStateRecovery: the offsets a server with recovery
 * on appends to each stored EVENT (`42["news","hi","MxYz1a2"]`) and that a
 * reconnecting client sends back in its CONNECT (`{"pid":…,"offset":…}`).
 * They are yeast ids, the clock in base 64 (a `.N` suffix within one
 * millisecond), so they differ from run to run. Found by their shape and by
 * decoding to a time near the run's start, which no word of a payload does;
 * each gets a placeholder of the same length, like the session ids.
 */

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
/** How far from the run's start a decoded offset may lie and still be one of the run's. */
const WINDOW_MS = 24 * 60 * 60 * 1000;

/** The time a yeast id encodes, or NaN when it is not one. */
function yeastTime(id: string): number {
  const [clock] = id.split(".");
  let time = 0;
  for (const c of clock) {
    const digit = ALPHABET.indexOf(c);
    if (digit < 0) return NaN;
    time = time * 64 + digit;
  }
  return time;
}

/** A placeholder of exactly `length` characters (the value it replaces may sit inside a length-prefixed frame). */
export function sized(label: string, length: number): string {
  return label.length >= length ? label.slice(0, length) : label + "-".repeat(length - label.length);
}

/**
 * Adds to `ids` each recovery offset found in `streams` (the connections'
 * texts, masks removed), with its placeholder `off-1--`, `off-2--`…, in order
 * of first appearance; `startedAt` is the run's start in ms since the epoch.
 *
 * @example
 * addRecoveryOffsets(ids, ['42["news","hi","OaBc1xY"]'], Date.now()); // ids: OaBc1xY → off-1--
 */
export function addRecoveryOffsets(ids: Map<string, string>, streams: readonly string[], startedAt: number): void {
  let count = 0;
  const add = (id: string): void => {
    if (ids.has(id) || Math.abs(yeastTime(id) - startedAt) > WINDOW_MS) return;
    ids.set(id, sized(`off-${++count}`, id.length));
  };
  const shape = "[0-9A-Za-z_-]{6,8}(?:\\.[0-9A-Za-z_-]{1,4})?";
  for (const text of streams) {
    for (const m of text.matchAll(new RegExp(`"offset":"(${shape})"`, "g"))) add(m[1]);
    // The offset is the last element of the event's array.
    for (const m of text.matchAll(new RegExp(`,"(${shape})"\\]`, "g"))) add(m[1]);
  }
}
