/**
 * Byte mutations for the property tests: flip, insert or delete a few bytes,
 * or cut the rest, at positions fast-check picks (wrapped to the data's length).
 */
import fc from "fast-check";
import { join } from "../wire/helpers.js";

/** What a mutation does. */
export type MutationKind = "flip" | "insert" | "delete" | "cut";

/** One mutation; `at` is taken modulo the data's length. */
export interface Mutation {
  readonly at: number;
  readonly kind: MutationKind;
  readonly value: number;
  readonly len: number;
}

/** Mutations of the given kinds (default: all). */
export function mutations(kinds: readonly MutationKind[] = ["flip", "insert", "delete", "cut"]): fc.Arbitrary<Mutation> {
  return fc.record({ at: fc.nat(), kind: fc.constantFrom(...kinds), value: fc.integer({ min: 0, max: 255 }), len: fc.integer({ min: 1, max: 8 }) });
}

/** Applies `list` in order; never changes `data` itself. */
export function mutate(data: Uint8Array, list: readonly Mutation[]): Uint8Array {
  let out = data;
  for (const m of list) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.kind === "flip" && out.length > 0) {
      out = out.slice();
      out[at] ^= m.value || 1;
    } else if (m.kind === "insert") out = join(out.subarray(0, at), new Uint8Array(m.len).fill(m.value), out.subarray(at));
    else if (m.kind === "delete") out = join(out.subarray(0, at), out.subarray(at + m.len));
    else if (m.kind === "cut") out = out.subarray(0, at);
  }
  return out;
}
