/**
 * Adding a scenario is adding a folder: a small echo scenario that lives only
 * under test/fixtures/ runs through the same runner as the chat (real traced
 * server, real socket.io-client process, no terminal) with no line of src/
 * knowing it.
 */
import { runScenario } from "../helpers/run-scenario.js";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadScenario, PACKAGE_ROOT } from "../../src/trace/scenario.js";
import type { Trace } from "../../src/trace/model.js";
import { decodeChunks } from "../../src/wire/index.js";
import { messagesByStep, renderText } from "../../src/export/text.js";
import { callsOf, named, step } from "../helpers/trace-query.js";

const dir = join(PACKAGE_ROOT, "test/fixtures/scenarios/echo");
let trace: Trace;

beforeAll(async () => {
  trace = await runScenario(loadScenario(dir), "second scenario test");
}, 60_000);

function packetsOf(id: string): string[] {
  const byStep = messagesByStep(trace, decodeChunks(trace.chunks));
  return (byStep.get(step(trace, id).index) ?? []).flatMap((m) =>
    m.layers.flatMap((l) => (l.kind === "socket.io" ? l.packets.map((p) => `${m.dir} ${p.name} ${p.nsp}${p.event ? ` ${p.event}` : ""}`) : [])),
  );
}

describe("a scenario folder outside traces/", () => {
  it("runs its own steps in order, each at its own line", () => {
    expect(trace.meta.scenario).toBe("echo");
    expect(trace.steps.map((s) => s.id)).toEqual(["boot", "namespace", "listen", "hello", "say", "leave"]);
    expect(step(trace, "namespace").code?.text).toContain('io.of("/echo")');
    expect(step(trace, "say").code).toMatchObject({ side: "client", file: "test/fixtures/scenarios/echo/client.mjs" });
  });

  it("traces socket.io's calls per step and the listener snapshot its data asks for", () => {
    expect(named(callsOf(trace, step(trace, "boot")), "socket.io", "Server.constructor")).not.toHaveLength(0);
    expect(named(callsOf(trace, step(trace, "namespace")), "socket.io", "Server.of")).not.toHaveLength(0);
    expect(step(trace, "boot").listeners?.after.request.join(" ")).toMatch(/Server\.attach|engine/);
    expect(step(trace, "namespace").listeners).toBeUndefined();
  });

  it("shows its frames in its steps: CONNECT to /echo, then the EVENT and its ACK", () => {
    expect(packetsOf("hello")).toEqual(expect.arrayContaining(["out CONNECT /echo", "in CONNECT /echo"]));
    expect(packetsOf("say")).toEqual(expect.arrayContaining(["in EVENT /echo say", "out ACK /echo"]));
    const text = renderText(trace, {});
    expect(text).toContain("boot: new Server(httpServer)");
    expect(text).toContain("The client opens a WebSocket at once");
  });
});
