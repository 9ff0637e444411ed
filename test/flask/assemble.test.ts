/**
 * Flask assembly on a recorded run: the tracer's messages and the proxy's
 * capture of a real chat-flask run (test/fixtures/runs/chat-flask.jsonl),
 * replayed into the feed and collector the runner uses, then assembled. No
 * process and no Python: this runs on any machine. `RECORD_RUNS=1` records
 * the fixture again from a real run (needs Python with Flask-SocketIO).
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { assembleFlaskTrace } from "../../src/flask/assemble.js";
import { checkFacts } from "../../src/flask/facts.js";
import type { FromPython } from "../../src/flask/protocol.js";
import { TracerFeed } from "../../src/flask/tracer-feed.js";
import { DecodedMessages } from "../../src/scenario/decoded-messages.js";
import type { Trace } from "../../src/trace/model.js";
import { loadCounterpart, loadScenario, PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { decodeChunks } from "../../src/wire/index.js";
import { messagesByStep } from "../../src/export/text.js";
import { recordFlaskRun, replayRecording } from "../helpers/run-recording.js";
import { python } from "./helpers.js";

const FIXTURE = join(PACKAGE_ROOT, "test/fixtures/runs/chat-flask.jsonl");
const scenario = loadCounterpart(loadScenario(), "flask");
let trace: Trace;

beforeAll(async () => {
  if (process.env.RECORD_RUNS) await recordFlaskRun(FIXTURE, { python, maxRecords: 4000 });
  let feed: TracerFeed | undefined;
  const replayed = replayRecording<FromPython>(FIXTURE, (collector, message) => (feed ??= new TracerFeed(collector, 4000)).ingest(message));
  const f = feed!;
  trace = assembleFlaskTrace({
    options: { scenario, projectRoot: PACKAGE_ROOT, command: "recorded" },
    collector: replayed.collector,
    runs: replayed.runs,
    pauses: f.pauses,
    stepLines: f.stepLines,
    records: f.records,
    functions: f.functions,
    hello: f.hello,
    listening: f.listening,
    proxy: replayed.proxy ? { url: replayed.proxy } : undefined,
    droppedCalls: f.droppedCalls,
    messages: new DecodedMessages(replayed.collector).completed(),
  });
}, 120_000);

describe("Flask assembly on a recorded run", () => {
  it("has every step of the scenario, titled and narrated with the live values", () => {
    expect(trace.meta.scenario).toBe(scenario.name);
    expect(trace.steps.map((s) => s.id)).toEqual(scenario.steps.map((s) => s.id));
    expect(trace.steps.map((s) => s.title)).toEqual(scenario.steps.map((s) => s.title));
    for (const step of trace.steps) expect(step.explanation, step.id).not.toMatch(/\{(origins|pingInterval|asyncMode)\}/);
    expect(trace.steps[0].values.asyncMode).toBe("eventlet");
    expect(trace.meta.packages.flask_socketio).toMatch(/^\d+\.\d+/);
  });

  it("shows the WSGI chain on the steps its data flags, and only there", () => {
    const flagged = scenario.steps.filter((s) => s.listeners).map((s) => s.id);
    expect(flagged.length).toBeGreaterThan(0);
    for (const step of trace.steps) expect(step.listeners !== undefined, step.id).toBe(flagged.includes(step.id));
    const first = trace.steps.find((s) => s.listeners)!;
    expect(first.listeners!.after.request.join(" ")).toContain("_SocketIOMiddleware");
  });

  it("builds the call trees from the records and places the app's code at its lines", () => {
    const first = trace.steps[0];
    expect(first.calls.length).toBeGreaterThan(0);
    const names = new Set(trace.functions.map((f) => f.name));
    expect(names.has("SocketIO.__init__")).toBe(true);
    expect(first.code).toMatchObject({ side: "server", file: "traces/chat-flask/app.py" });
    expect(trace.functions.filter((f) => f.pkg === "app").every((f) => !f.file.startsWith("/"))).toBe(true);
  });

  it("assigns the proxy's frames to the steps by time", () => {
    const byStep = messagesByStep(trace, decodeChunks(trace.chunks));
    const packets = (id: string): string[] =>
      (byStep.get(trace.steps.find((s) => s.id === id)!.index) ?? []).flatMap((m) => m.layers.flatMap((l) => (l.kind === "socket.io" ? l.packets.map((p) => `${p.name} ${p.event ?? ""}`.trim()) : [])));
    const connectStep = scenario.steps.find((s) => s.waitFor === "upgrade")!.id;
    expect(packets(connectStep)).toContain("CONNECT");
    expect(trace.steps.flatMap((s) => s.chunks).length).toBe(trace.chunks.length);
    expect(trace.connections.length).toBeGreaterThan(0);
  });
});

describe("the scenario's facts on the recorded run", () => {
  // The installed source lines the facts read, as this run's Flask-SocketIO had them.
  const LINES: Readonly<Record<number, string>> = {
    286: "            self.server.on(message, _handler, namespace=namespace)",
    653: "        elif self.server.eio.async_mode == 'eventlet':",
    685: "                run_server()",
  };
  const installed = (file: string, line: number): string | undefined => (file.endsWith("flask_socketio/__init__.py") ? LINES[line] : undefined);

  it("hold, checked from the scenario's data, in its order", () => {
    const checks = checkFacts(trace, installed);
    expect(checks.map((c) => c.id)).toEqual(scenario.facts!.map((f) => f.id));
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.find((c) => c.id === "decorator-server-branch")!.evidence).toMatch(/called socketio Server\.on from line 286: `self\.server\.on\(message/);
  });

  it("fail visibly, saying what ran, when the source lines cannot be read", () => {
    const checks = new Map(checkFacts(trace, () => undefined).map((c) => [c.id, c]));
    expect(checks.get("init-app-at-once")!.ok).toBe(true);
    expect(checks.get("upgrade-in-engineio")!.ok).toBe(true);
    expect(checks.get("decorator-server-branch")).toMatchObject({ ok: false, evidence: expect.stringMatching(/^decorator called Server\.on from: line 286 `\?`/) });
    expect(checks.get("run-eventlet")).toMatchObject({ ok: false, evidence: "the run step lacks run_server under the eventlet branch → eventlet.wsgi.server" });
    expect(checks.get("run-without-reloader")).toMatchObject({ ok: false, evidence: "run_server was called from `?`" });
  });
});
