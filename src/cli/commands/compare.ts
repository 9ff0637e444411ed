/**
 * `--compare` and `export --compare`: the socket.io chat and the
 * Flask-SocketIO chat traced side by side, each step's two call paths
 * together (as text, JSON lines, a markdown report, or in the stepper).
 */
import { loadScenario, INSTALL_ROOT } from "../../trace/scenario.js";
import { Runner } from "../../scenario/runner.js";
import { nodeRuntime } from "../../runtime/node/node-runtime.js";
import type { Trace } from "../../trace/model.js";
import { renderUpstream, requirePython, startFlaskRunner } from "../flask-side.js";
import type { FlaskLibraryDocs } from "../../runtime/python/library-docs.js";
import { EXIT, UsageError } from "../errors.js";
import { outputOf } from "../output.js";
import type { RunSettings } from "../settings.js";
import { RunStop, runSteps, startRunners, type StepRunner } from "../step-loop.js";
import type { View } from "../mode.js";

interface Recorded {
  readonly node: Trace;
  readonly flask: Trace;
  readonly python: string;
}

/** Runs both chats headless, side by side; undefined when stopped (Ctrl-C, or the reader went away). */
async function recordBoth(settings: RunSettings, stop: RunStop): Promise<Recorded | undefined> {
  const python = requirePython();
  const start = { host: settings.host, port: settings.port, command: settings.command };
  const runners = await startRunners<StepRunner>([Runner.start({ scenario: loadScenario(), projectRoot: INSTALL_ROOT, command: settings.command, runtime: nodeRuntime({ host: settings.host, port: settings.port }) }), startFlaskRunner(start, python)], stop);
  if (!runners || (await runSteps(runners, stop))) return undefined;
  return { node: runners[0].trace(), flask: runners[1].trace(), python };
}

async function flaskDocs(recorded: Recorded): Promise<FlaskLibraryDocs> {
  // After the run: the trace's versions key the cache, so a second run starts no Python for them.
  const { loadFlaskLibraryDocs } = await import("../../runtime/python/library-docs.js");
  return loadFlaskLibraryDocs({ python: recorded.python, versions: recorded.flask.meta.packages });
}

/** `--compare` headless: text (both call paths and narrations per step, then the Python upstream tags) or JSON lines, one per step. */
export async function runCompare(view: Exclude<View, "stepper">, settings: RunSettings): Promise<number> {
  const output = outputOf();
  const stop = new RunStop(output);
  try {
    const recorded = await recordBoth(settings, stop);
    if (!recorded) return stop.reason === "interrupted" ? EXIT.interrupted : EXIT.ok;
    const { compareSteps, renderCompare } = await import("../../export/compare-text.js");
    if (view === "json") {
      for (const step of compareSteps(recorded.node, recorded.flask)) await output.write(`${JSON.stringify(step)}\n`);
    } else {
      const width = process.stdout.columns || 160;
      const docs = await flaskDocs(recorded);
      const upstream = renderUpstream(recorded.flask);
      await output.write(`${renderCompare(recorded.node, recorded.flask, { width, docs })}\n${upstream ? `${upstream}\n` : ""}`);
    }
    return EXIT.ok;
  } finally {
    stop.dispose();
  }
}

/** `export --compare -o compare.md`: both chats as one markdown report. */
export async function exportCompare(outputPath: string, settings: RunSettings): Promise<number> {
  const stop = new RunStop();
  try {
    const recorded = await recordBoth(settings, stop);
    if (!recorded) {
      process.stderr.write("trace-socket: interrupted; nothing written\n");
      return EXIT.interrupted;
    }
    const [{ writeFileAtomic, WriteError }, { renderCompareMarkdown }] = await Promise.all([import("../../trace/atomic-write.js"), import("../../export/compare-markdown.js")]);
    const markdown = renderCompareMarkdown(recorded.node, recorded.flask, { docs: await flaskDocs(recorded) });
    try {
      const written = await writeFileAtomic(outputPath, markdown);
      process.stderr.write(`trace-socket: wrote ${written.path} (${written.bytes} bytes)\n`);
    } catch (error) {
      if (error instanceof WriteError) throw new UsageError(error.message);
      throw error;
    }
    return EXIT.ok;
  } finally {
    stop.dispose();
  }
}

/**
 * `--compare` in the stepper: the Flask chat is recorded first, whole and
 * headless, and handed to the stepper as the trace to compare with, while
 * the socket.io chat runs live, one step per key.
 */
export async function runCompareStepper(settings: RunSettings): Promise<number> {
  process.stderr.write("trace-socket: recording the Flask-SocketIO chat to compare with…\n");
  const stop = new RunStop();
  let compare: Trace;
  try {
    const runners = await startRunners([startFlaskRunner({ host: settings.host, port: settings.port, command: settings.command })], stop);
    if (!runners || (await runSteps(runners, stop))) return EXIT.interrupted;
    compare = runners[0].trace();
  } finally {
    stop.dispose();
  }
  const { runInteractive } = await import("../interactive.js");
  const live = { scenario: loadScenario(), projectRoot: INSTALL_ROOT, command: settings.command, runtime: nodeRuntime({ host: settings.host, port: settings.port }) };
  return runInteractive({ live, compare, color: settings.color, offline: settings.offline });
}
