/**
 * In a trace of several processes a call's seq carries its process's offset (2³² × id), which
 * means nothing to a reader: the turn walk's label, the log pane's `[#seq]` and the jump message
 * name it as its process numbers it (`B #7`), and a trace of one shows the seq as it is.
 */
import { describe, expect, it } from "vitest";
import { walkLabel } from "../../src/ui/use-turn-walk.js";
import { logRow } from "../../src/ui/log-pane.js";
import type { TraceMeta } from "../../src/trace/model.js";

const S = 2 ** 32;
const several = { meta: { processes: [{ id: 0, name: "A" }, { id: 1, name: "B" }] } as unknown as TraceMeta };

describe("ids in a trace of several processes", () => {
  it("the turn walk names what scheduled a turn by its process's own seq", () => {
    const turn = { start: 12.5, async: { kind: "timer", from: S + 871 } } as never;
    expect(walkLabel(2, 1234, turn, 0, several)).toBe("turn 3 of 1,234 · +12.5 ms ⟵timer B #871");
    expect(walkLabel(2, 1234, { start: 12.5, async: { kind: "timer", from: 871 } } as never, 0)).toBe("turn 3 of 1,234 · +12.5 ms ⟵timer #871");
  });

  it("a log line printed by a call names it by its process's seq", () => {
    const line = { time: 1500, source: "debug", text: "handshaking client", call: S + 7 } as never;
    expect(logRow(line, () => "BaseServer.handshake", several).text).toContain("[B #7 BaseServer.handshake] handshaking client");
    expect(logRow({ ...(line as object), call: 7 } as never, () => undefined).text).toContain("[#7] handshaking client");
  });
});
