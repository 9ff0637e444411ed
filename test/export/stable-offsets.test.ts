import { describe, expect, it } from "vitest";
import { addRecoveryOffsets } from "../../src/export/stable-offsets.js";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
/** yeast's encoding of a time, as socket.io-adapter makes its offsets. */
function yeast(time: number): string {
  let out = "";
  do {
    out = ALPHABET[time % 64] + out;
    time = Math.floor(time / 64);
  } while (time > 0);
  return out;
}

describe("addRecoveryOffsets", () => {
  const start = Date.parse("2026-12-02T03:00:00Z");
  const first = yeast(start + 120);
  const second = `${yeast(start + 900)}.0`;

  it("finds the offsets of stored events and of a recovering CONNECT, each with a placeholder of its length", () => {
    const ids = new Map<string, string>();
    const streams = [`42["news","first","${first}"]42["news","missed","${second}"]`, `40{"pid":"p","offset":"${first}"}`];
    addRecoveryOffsets(ids, streams, start);
    expect([...ids]).toEqual([[first, "off-1--"], [second, "off-2----"]]);
    expect(ids.get(second)!.length).toBe(second.length);
  });

  it("leaves alone a last string that is no time of this run", () => {
    const ids = new Map<string, string>();
    addRecoveryOffsets(ids, ['42["chat message","hello12"]', '42["news","abcdefg"]', `42["old","${yeast(start - 3 * 86_400_000)}"]`], start);
    expect(ids.size).toBe(0);
  });

  it("keeps an id already placed (a session id) as it was", () => {
    const ids = new Map([[first, "sid-1--"]]);
    addRecoveryOffsets(ids, [`42["news","x","${first}"]`], start);
    expect(ids.get(first)).toBe("sid-1--");
  });
});
