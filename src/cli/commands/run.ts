/**
 * Running a target — the built-in chat, the Flask chat, or the user's own
 * app — in the stepper, or headless with every step printed on stdout (as
 * text while the run goes on, or as JSON lines at its end).
 */
import { isLoopback } from "../../instrument/loopback.js";
import { loadScenario, INSTALL_ROOT } from "../../trace/scenario.js";
import { renderUpstream, startFlaskRunner } from "../flask-side.js";
import { startScenario } from "../record-trace.js";
import type { Runner } from "../../scenario/runner.js";
import { nodeRuntime } from "../../runtime/node/node-runtime.js";
import { appStepLoop, startApp } from "../app-run.js";
import { EXIT, RunError } from "../errors.js";
import type { Target, View } from "../mode.js";
import { outputOf, type Output } from "../output.js";
import type { RunSettings } from "../settings.js";
import { RunStop, runSteps, type StepLoopOptions, type StepRunner, type StopReason } from "../step-loop.js";
import { worksheetOf } from "../worksheet-output.js";
import { loadDocLines, printJsonLines, stopLines, styleFor, TextPrinter, type StepDocLines } from "../trace-printer.js";

/** A started headless run: its runner, and what is particular to its target. */
interface Started {
  readonly runner: StepRunner;
  readonly loop?: StepLoopOptions<StepRunner>;
  /** Doc lines quoted under each step (the built-in chat's). */
  readonly docs?: Promise<StepDocLines>;
  /** Printed after the trace in text mode. */
  readonly epilogue?: () => string;
  /** The exit code of a run Ctrl-C ended. */
  readonly interruptedCode: number;
  /** The steps are found as the run goes (the user's own clients act): no total until it ends. */
  readonly openEnded?: boolean;
}

function warnBeyondLoopback(settings: RunSettings): void {
  if (isLoopback(settings.host)) return;
  process.stderr.write(`trace-socket: warning: --host ${settings.host} reaches beyond this machine; anyone who can reach it can connect to the traced server\n`);
}

async function startChat(target: Extract<Target, { kind: "builtin" }>, settings: RunSettings, view: View): Promise<Started> {
  const scenario = loadScenario(target.scenario);
  // Started before the runner so that reading the cached index overlaps the server's start-up.
  const docs = view === "text" && !settings.predict ? loadDocLines(scenario, styleFor(settings.color)) : undefined;
  const runner = await startScenario({ ...(target.scenario !== undefined ? { scenario: target.scenario } : {}), host: settings.host, port: settings.port, command: settings.command, ...(settings.redis !== undefined ? { redis: settings.redis } : {}) });
  return { runner, docs, interruptedCode: EXIT.interrupted };
}

async function startOwnApp(target: Extract<Target, { kind: "app" }>, settings: RunSettings): Promise<Started> {
  const runner = await startApp(target, settings, settings.command);
  // Ctrl-C is how a --client none run is meant to end.
  const own = settings.client === "none";
  return { runner, loop: appStepLoop(runner, settings, "print the trace"), interruptedCode: own ? EXIT.ok : EXIT.interrupted, openEnded: own };
}

async function startFlask(settings: RunSettings): Promise<Started> {
  const runner = await startFlaskRunner({ host: settings.host, port: settings.port, command: settings.command });
  const epilogue = (): string => {
    const upstream = renderUpstream(runner.trace());
    return upstream ? `${upstream}\n` : "";
  };
  return { runner, epilogue, interruptedCode: EXIT.interrupted };
}

function startTarget(target: Target, settings: RunSettings, view: View): Promise<Started> {
  if (target.kind === "app") return startOwnApp(target, settings);
  if (target.kind === "flask") return startFlask(settings);
  return startChat(target, settings, view);
}

/** Runs the steps of `started`, printing them on `output`; returns the exit code. */
async function runAndPrint(started: Started, view: "text" | "json", settings: RunSettings, output: Output, stop: RunStop): Promise<number> {
  const { runner } = started;
  // Predict mode prints its worksheet once the run is over: a question needs the step's frames.
  const text = view === "text" && !settings.predict ? new TextPrinter(output, styleFor(settings.color), started.openEnded ? "unknown" : runner.stepCount, started.docs) : undefined;
  let reason: StopReason | undefined;
  let failure: unknown;
  try {
    reason = await runSteps([runner], stop, {
      ...started.loop,
      afterStep: async (r) => {
        if (r.nextStep < r.stepCount) await text?.print(r.trace(), false);
      },
    });
  } catch (error) {
    failure = error;
  }
  // The trace so far is printed whatever ended the run: a crash keeps what was recorded.
  const trace = runner.trace();
  if (settings.predict) {
    await output.write(await worksheetOf(trace, settings.predict.seed));
  } else if (text) {
    await text.print(trace, true);
    if (started.epilogue && !failure && !reason) await output.write(started.epilogue());
    const why = runner.failure ?? (failure instanceof Error ? failure.message : undefined);
    if (why !== undefined && !output.ended) await output.write(stopLines(runner, why));
  } else {
    await printJsonLines(trace, output);
  }
  if (failure) throw failure;
  if (output.ended?.kind === "failed") throw new RunError(output.ended.message);
  // The reader closing the pipe ends the run as it asked: nothing failed.
  if (reason === "output-closed") return EXIT.ok;
  return reason === "interrupted" ? started.interruptedCode : EXIT.ok;
}

/** Runs `target` headless, printing every step on stdout; resolves to the exit code. */
export async function runHeadless(target: Target, view: "text" | "json", settings: RunSettings): Promise<number> {
  warnBeyondLoopback(settings);
  const output = outputOf();
  const stop = new RunStop(output);
  try {
    let started: Started;
    try {
      started = await startTarget(target, settings, view);
    } catch (error) {
      // The terminal's Ctrl-C reaches the traced process too, and may end it before it is up.
      if (stop.reason === "interrupted") return EXIT.interrupted;
      throw error;
    }
    // A stop during the start is seen by the step loop: it runs nothing, closes the run and the trace so far is printed.
    return await runAndPrint(started, view, settings, output, stop);
  } finally {
    stop.dispose();
  }
}

/** Runs `target` in the stepper; resolves to the exit code. */
export async function runStepper(target: Target, settings: RunSettings): Promise<number> {
  const { runInteractive } = await import("../interactive.js");
  const shown = { color: settings.color, offline: settings.offline, ...(settings.predict ? { predict: settings.predict } : {}) };
  if (target.kind === "flask") return runInteractive({ runner: await startFlaskRunner({ host: settings.host, port: settings.port, command: settings.command }), ...shown });
  warnBeyondLoopback(settings);
  if (target.kind === "app") {
    process.stderr.write("trace-socket: starting your app…\n");
    return runInteractive({ runner: await startApp(target, settings, settings.command), ...shown });
  }
  // Every scenario of several processes starts as headless starts it (startScenario): a cluster's
  // primary needs the hub its workers report to, or they run untraced and their steps see nothing.
  const scenario = loadScenario(target.scenario);
  if (scenario.servers || scenario.cluster) {
    process.stderr.write("trace-socket: starting the servers…\n");
    return runInteractive({ runner: await startScenario({ scenario: target.scenario, host: settings.host, port: settings.port, command: settings.command, ...(settings.redis !== undefined ? { redis: settings.redis } : {}) }) as Runner, ...shown });
  }
  const live = { scenario, projectRoot: INSTALL_ROOT, command: settings.command, runtime: nodeRuntime({ host: settings.host, port: settings.port }) };
  return runInteractive({ live, ...shown });
}
