/**
 * Flask assembly on a recorded run: the tracer's messages and the proxy's
 * capture of a real chat-flask run (test/fixtures/runs/chat-flask.jsonl),
 * replayed into the feed and collector the runner uses, then assembled. No
 * process and no Python: this runs on any machine. `RECORD_RUNS=1` records
 * the fixture again from a real run (needs Python with Flask-SocketIO).
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { assemble } from "../../src/scenario/assemble.js";
import { PythonRecording } from "../../src/runtime/python/python-recording.js";
import { withClaims } from "../../src/claims/apply.js";
import type { FromPython } from "../../src/runtime/python/protocol.js";
import { TracerFeed } from "../../src/runtime/python/tracer-feed.js";
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
  trace = assemble({
    options: { scenario, projectRoot: PACKAGE_ROOT, command: "recorded" },
    steps: scenario.steps,
    runs: replayed.runs,
    processes: [
      {
        id: 0,
        name: "server",
        collector: replayed.collector,
        recording: new PythonRecording(f, PACKAGE_ROOT, () => replayed.proxy),
        messages: new DecodedMessages(replayed.collector).completed(),
        closedSteps: new Map(),
      },
    ],
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

describe("the claims that read the installed source, on the recorded run", () => {
  // The installed source lines those claims read, as this run's Flask-SocketIO had them.
  const LINES: Readonly<Record<number, string>> = {
    286: "            self.server.on(message, _handler, namespace=namespace)",
    653: "        elif self.server.eio.async_mode == 'eventlet':",
    685: "                run_server()",
  };
  const installed = (file: string, line: number): string | undefined => (file.endsWith("flask_socketio/__init__.py") ? LINES[line] : undefined);
  const claimed = (readLine: (file: string, line: number) => string | undefined): Trace => withClaims(trace, scenario.claims!, { readLine });
  const claim = (t: Trace, id: string, start: string) => t.steps.find((s) => s.id === id)!.claims!.find((c) => c.text.startsWith(start))!;

  it("hold: the decorator's branch, the eventlet branch, run_server called by run() itself, the upgrade inside engineio", () => {
    const t = claimed(installed);
    expect(claim(t, "init", "SocketIO.__init__ was given the Flask app").status).toBe("held");
    expect(claim(t, "init", "Finally it wraps the Flask app").status).toBe("held");
    expect(claim(t, "handlers", "decorator takes the self.server.on(...) branch")).toMatchObject({ status: "held" });
    expect(claim(t, "run", "SocketIO.run takes the eventlet branch").status).toBe("held");
    expect(claim(t, "run", "This app passes no debug").status).toBe("held");
    expect(claim(t, "connect", "Then the upgrade").status).toBe("held");
  });

  it("are not seen, saying why, when the lines cannot be read or say otherwise", () => {
    const unread = claimed(() => undefined);
    expect(claim(unread, "handlers", "decorator takes").status).toBe("not-seen");
    expect(claim(unread, "handlers", "decorator takes").reason).toMatch(/^the line socketio:Server\.on was called from is not known/);
    expect(claim(unread, "run", "SocketIO.run takes").reason).toBe("the line above flask_socketio:SocketIO.run.<locals>.run_server cannot be read");
    const reloader = claimed((file, line) => (line === 685 ? "                run_with_reloader(run_server)" : installed(file, line)));
    expect(claim(reloader, "run", "This app passes no debug")).toMatchObject({
      status: "not-seen",
      reason: 'flask_socketio:SocketIO.run.<locals>.run_server was called from `run_with_reloader(run_server)`, not a line that starts with "run_server("',
    });
  });
});
