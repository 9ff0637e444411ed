/**
 * Printing a trace on stdout through the one {@link Output}: as text, step
 * by step while a run goes on (a step is final once the next one has
 * started: what arrives between steps belongs to the earlier one), or as
 * JSON lines once it is over.
 */
import chalk from "chalk";
import { renderText, PLAIN, type TextStyle } from "../export/text.js";
import { jsonLines } from "../export/json-lines.js";
import { gatherLibraryDocs, optionValues } from "../export/gather-sources.js";
import { libraryDocLines } from "../export/text-docs.js";
import { INSTALL_ROOT, type ScenarioDefinition } from "../trace/scenario.js";
import type { Step, Trace } from "../trace/model.js";
import { printableText } from "../wire/index.js";
import type { Output } from "./output.js";

/** The text style: colours, or none. */
export function styleFor(color: boolean): TextStyle {
  if (!color) return PLAIN;
  return { heading: (s) => chalk.bold.cyan(s), dim: (s) => chalk.dim(s), name: (s) => chalk.yellow(s), code: (s) => chalk.green(s) };
}

/** Each step's "From the library" lines, or why there are none. */
export type StepDocLines = { readonly lines: (step: Step) => readonly string[] } | { readonly unavailable: string };

/**
 * Loads the doc comments a built-in scenario quotes. Never rejects: docs are
 * an extra, and a run without them is still a run. Doc comments need no network.
 */
export function loadDocLines(scenario: ScenarioDefinition, style: TextStyle): Promise<StepDocLines> {
  return gatherLibraryDocs(scenario, { projectRoot: INSTALL_ROOT, offline: true }).then(
    (docs) => ({ lines: (step: Step) => libraryDocLines(step, docs, optionValues(step.values), style) }),
    (error: Error) => ({ unavailable: printableText(String(error?.message ?? error).split("\n")[0], 200) }),
  );
}

/** Writes every JSON line of `trace`; stops early when the reader is gone. */
export async function printJsonLines(trace: Trace, output: Output): Promise<void> {
  for (const line of jsonLines(trace)) {
    if (output.ended) return;
    await output.write(`${line}\n`);
  }
}

/** Prints the steps of a run as text, each once it is final. */
export class TextPrinter {
  private printed = 0;

  constructor(
    private readonly output: Output,
    private readonly style: TextStyle,
    /**
     * The planned number of steps, for `Step i/N`; `unknown` when the run decides it (the
     * user's own clients): steps print as `Step i` until the end, when the count is real.
     */
    private readonly total: number | "unknown",
    /** Doc lines to quote under each step (the built-in chat's). */
    private readonly docs?: Promise<StepDocLines>,
  ) {}

  /** Prints the steps that are final in `trace`; with `final`, all of them and the footer. */
  async print(trace: Trace, final: boolean): Promise<void> {
    const to = final ? trace.steps.length : trace.steps.length - 1;
    if (!final && to <= this.printed) return;
    if (this.output.ended) return;
    const docs = await this.docs;
    const text = renderText(trace, {
      style: this.style,
      from: this.printed,
      to,
      header: this.printed === 0,
      footer: final,
      total: this.totalNow(trace, final),
      ...(docs && "lines" in docs && { docs: docs.lines }),
    });
    const note = final && docs && "unavailable" in docs ? `${this.style.dim(`(no doc comments from the library: ${docs.unavailable})`)}\n` : "";
    this.printed = to;
    await this.output.write(`${text}\n${note}`);
  }

  private totalNow(trace: Trace, final: boolean): number | "unknown" {
    if (this.total === "unknown") return final ? trace.steps.length : "unknown";
    // Steps found only at the end count too.
    return Math.max(this.total, trace.steps.length);
  }
}

/** What a run that stopped early tells in its text, besides stderr's one line. */
export interface StoppedRun {
  readonly nextStep: number;
  readonly stepCount: number;
  /** The planned steps, when the runner knows their titles. */
  readonly steps?: readonly { readonly title: string }[];
}

/**
 * The lines a text run ends with when it failed: why it stopped, and each planned step that
 * never ran, so that a refused client does not read as a run that simply had nothing to show.
 */
export function stopLines(run: StoppedRun, why: string): string {
  // The first line says it; a stack after it is for stderr's readers, not for the trace's.
  const lines = [`run stopped: ${printableText(why.split("\n")[0], 2000)}`];
  for (let index = run.nextStep; index < run.stepCount; index++) {
    const title = run.steps?.[index]?.title;
    lines.push(`  not run: step ${index + 1}/${run.stepCount}${title ? ` · ${title}` : ""}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Prints a whole trace (a replay, a finished run) as text or JSON lines. */
export async function printTrace(trace: Trace, view: "text" | "json", color: boolean, output: Output): Promise<void> {
  if (view === "json") await printJsonLines(trace, output);
  else await new TextPrinter(output, styleFor(color), trace.steps.length).print(trace, true);
}
