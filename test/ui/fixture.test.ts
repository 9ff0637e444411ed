import { describe, expect, it } from "vitest";
import { messagesByStep } from "../../src/export/text.js";
import { fixtureTrace } from "../helpers/trace-fixture.js";

describe("the stepper's fixture trace", () => {
  it("decodes into the frames the tests expect, linked to calls of their step", () => {
    const trace = fixtureTrace();
    const byStep = messagesByStep(trace);
    expect(byStep.get(1)?.map((m) => m.raw)).toEqual([
      "GET /socket.io/?EIO=4&transport=polling HTTP/1.1",
      "HTTP/1.1 200 OK",
      "GET /socket.io/?EIO=4&transport=websocket&sid=abc123 HTTP/1.1",
      "HTTP/1.1 101 Switching Protocols",
    ]);
    expect(byStep.get(2)?.map((m) => [m.raw, m.call])).toEqual([
      ['42["chat message","hi"]', 31],
      ['42["chat message","hi"]', 34],
    ]);
    expect(byStep.get(2)?.[0].layers.map((l) => l.kind)).toEqual(["ws-frame", "engine.io", "socket.io"]);
  });
});
