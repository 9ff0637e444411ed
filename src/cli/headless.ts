/**
 * Headless mode: runs every step of the scenario in order and prints the trace
 * as text (or JSON lines) on stdout.
 */
import chalk from "chalk";
import { Runner } from "../scenario/runner.js";
import { loadScenario, PACKAGE_ROOT } from "../trace/scenario.js";
import { renderText, PLAIN, type TextStyle } from "../export/text.js";
import { jsonLines } from "../export/json-lines.js";
import { asRunError } from "./run-steps.js";
import { EXIT, RunError } from "./errors.js";
import type { RunFlags } from "./main.js";
import { startApp, type AppFlags } from "./app-run.js";
import type { Step, Trace } from "../trace/model.js";
import { gatherLibraryDocs, optionValues } from "../export/gather-sources.js";
import { libraryDocLines } from "../export/text-docs.js";
import { printableText } from "../wire/index.js";
import type { ScenarioDefinition } from "../trace/scenario.js";

function styleFor(color: boolean): TextStyle {
  if (!color) return PLAIN;
  return { heading: (s) => chalk.bold.cyan(s), dim: (s) => chalk.dim(s), name: (s) => chalk.yellow(s), code: (s) => chalk.green(s) };
}

let closed = false;
// `trace-socket | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") closed = true;
  else throw error;
});

async function write(text: string): Promise<void> {
  if (closed) return;
  if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once("drain", resolve));
}

/** Prints a trace in the chosen format. */
export async function printTrace(trace: Trace, flags: Pick<RunFlags, "json" | "color">): Promise<void> {
  if (flags.json) {
    for (const line of jsonLines(trace)) await write(`${line}\n`);
  } else {
    await write(`${renderText(trace, { style: styleFor(flags.color) })}\n`);
  }
}

/** Runs a user's app headless: start-up steps, then the built-in client's steps (or live traffic until Ctrl-C). */
export async function runAppHeadless(flags: RunFlags & AppFlags, app: string, args: readonly string[], argv: readonly string[]): Promise<number> {
  const runner = await startApp(app, args, flags, ["trace-socket", ...argv].join(" "));
  if (runner.collector.address) process.stderr.write(`trace-socket: traced server listening on ${runner.collector.address}\n`);
  for (const notice of runner.notices) process.stderr.write(`trace-socket: ${notice}\n`);
  let interrupted = false;
  const interrupt = new Promise<void>((resolve) =>
    process.once("SIGINT", () => {
      interrupted = true;
      resolve();
    }),
  );
  let failure: Error | undefined;
  try {
    const more = (): boolean => runner.nextStep < runner.stepCount && (!runner.failure || runner.isRecorded(runner.nextStep));
    while (!interrupted && more()) await Promise.race([runner.runNext(), interrupt]);
    if (flags.client === "none" && !runner.failure && !interrupted) {
      process.stderr.write("trace-socket: waiting for clients; press Ctrl-C to print the trace\n");
      await Promise.race([interrupt, runner.server.exited]);
    }
  } catch (error) {
    failure = error as Error;
  } finally {
    await runner.close();
  }
  await printTrace(runner.trace(), flags);
  if (runner.failure) throw new RunError(runner.failure);
  if (failure) throw asRunError(failure);
  // Ctrl-C is how a --client none run is meant to end.
  return interrupted && flags.client !== "none" ? EXIT.interrupted : EXIT.ok;
}

/** Each step's "From the library" lines, or why there are none. */
type StepDocLines = { readonly lines: (step: Step) => readonly string[] } | { readonly unavailable: string };

/**
 * Loads the doc comments the scenario quotes. Never rejects: docs are an
 * extra, and a run without them is still a run. Doc comments need no network.
 */
function loadDocLines(scenario: ScenarioDefinition, style: TextStyle): Promise<StepDocLines> {
  return gatherLibraryDocs(scenario, { projectRoot: PACKAGE_ROOT, offline: true }).then(
    (docs) => ({ lines: (step: Step) => libraryDocLines(step, docs, optionValues(step.values), style) }),
    (error: Error) => ({ unavailable: printableText(String(error?.message ?? error).split("\n")[0], 200) }),
  );
}

/** Runs the built-in scenario headless. */
export async function runHeadless(flags: RunFlags, argv: readonly string[]): Promise<number> {
  const scenario = loadScenario();
  let interrupted = false;
  const style = styleFor(flags.color);
  // Started before the runner so that reading the cached index overlaps the server's start-up.
  const docLines = flags.json ? undefined : loadDocLines(scenario, style);
  const runner = await Runner.start({
    scenario,
    projectRoot: PACKAGE_ROOT,
    host: flags.host,
    port: flags.port,
    command: ["trace-socket", ...argv].join(" "),
  });
  const onSigint = (): void => {
    interrupted = true;
  };
  process.once("SIGINT", onSigint);
  let failure: Error | undefined;
  // Text is printed step by step: a step is final once the next one has started
  // (what arrives between steps belongs to the earlier one), the last at the end.
  let printed = 0;
  const printFinished = async (final: boolean): Promise<void> => {
    const trace = runner.trace();
    const to = final ? trace.steps.length : trace.steps.length - 1;
    if (to <= printed && !final) return;
    const docs = await docLines;
    const text = renderText(trace, {
      style,
      from: printed,
      to,
      header: printed === 0,
      footer: final,
      total: runner.stepCount,
      ...(docs && "lines" in docs && { docs: docs.lines }),
    });
    const note = final && docs && "unavailable" in docs ? `${style.dim(`(no doc comments from the library: ${docs.unavailable})`)}\n` : "";
    await write(`${text}\n${note}`);
    printed = to;
  };
  try {
    while (!interrupted && runner.nextStep < runner.stepCount) {
      await runner.runNext();
      if (!flags.json && runner.nextStep < runner.stepCount) await printFinished(false);
    }
  } catch (error) {
    failure = error as Error;
  } finally {
    process.off("SIGINT", onSigint);
    await runner.close();
  }
  if (flags.json) await printTrace(runner.trace(), flags);
  else await printFinished(true);
  if (runner.failure) throw new RunError(runner.failure);
  if (failure) throw asRunError(failure);
  return interrupted ? EXIT.interrupted : EXIT.ok;
}
