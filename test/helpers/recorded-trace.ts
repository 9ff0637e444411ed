/**
 * The chat's recorded run (test/fixtures/runs/chat.v8.gz) assembled into a
 * trace with its claims checked, as a finished run's trace is: for pure tests
 * that want a real run's calls, frames and claims with no process.
 */
import { join } from "node:path";
import { withClaims } from "../../src/claims/apply.js";
import { assemble } from "../../src/scenario/assemble.js";
import { NodeRecording } from "../../src/runtime/node/node-recording.js";
import { Collector } from "../../src/runtime/collector.js";
import { DecodedMessages } from "../../src/scenario/decoded-messages.js";
import type { FromTraced } from "../../src/runtime/node/protocol.js";
import { TracedFeed } from "../../src/runtime/node/traced-feed.js";
import type { Trace } from "../../src/trace/model.js";
import { loadScenario, PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { readNodeRecording } from "./run-recording.js";

/** The recording of a real chat run. */
export const CHAT_RECORDING = join(PACKAGE_ROOT, "test/fixtures/runs/chat.v8.gz");

/** The recorded chat run assembled, without its claims (assembly's own output). */
export function assembledChatTrace(): Trace {
  const scenario = loadScenario();
  const recording = readNodeRecording(CHAT_RECORDING);
  const collector = new Collector(recording.startedAt);
  const feed = new TracedFeed(collector, () => undefined, () => undefined);
  for (const event of recording.events) {
    if (event.k === "message") feed.take(event.m as FromTraced);
    else collector.addLog(event.source, event.text);
  }
  return assemble({
    options: { scenario, projectRoot: PACKAGE_ROOT, command: "recorded" },
    steps: scenario.steps,
    runs: recording.runs,
    processes: [{ id: 0, name: "server", collector, recording: new NodeRecording(collector, feed.pauses), messages: new DecodedMessages(collector).completed(), closedSteps: new Map() }],
  });
}

/** The recorded chat run with the scenario's claims checked on it, as the runner hands it over at the end. */
export function recordedChatTrace(): Trace {
  const claims = loadScenario().claims;
  const trace = assembledChatTrace();
  return claims ? withClaims(trace, claims) : trace;
}
