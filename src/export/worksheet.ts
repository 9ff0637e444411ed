/**
 * Predict mode on paper: a trace's questions as a markdown worksheet a teacher
 * can hand out — each step's question with its numbered choices, then the
 * answer key at the end, each answer with its reason (the step's claim held on
 * the run, the call that wrote the frame). Pure; passes markdownlint.
 */
import type { PredictQuestion, PredictSkip, StepPrediction } from "../claims/predict/questions.js";
import type { CallRef } from "../claims/predict/reasons.js";
import type { Trace } from "../trace/model.js";
import { code, joinBlocks, prose } from "./markdown-escape.js";

/** How the worksheet is headed. */
export interface WorksheetOptions {
  /** The seed the choices were drawn with, printed so the same sheet can be made again. */
  readonly seed: number;
}

function heading(q: StepPrediction, total: number): string {
  return `Step ${q.step + 1}/${total} · ${prose(q.title)}`;
}

function callText(call: CallRef): string {
  return call.file ? `${code(call.name)} (${code(`${call.file}:${call.line}`)})` : code(call.name);
}

function questionLines(q: PredictQuestion, total: number): string[] {
  return [
    `## ${heading(q, total)}`,
    "",
    ...(q.code ? [`Your code: ${code(q.code)}`, ""] : []),
    ...q.context.map((line) => `${prose(line.charAt(0).toUpperCase() + line.slice(1))}.`).flatMap((line) => [line, ""]),
    `**Question.** ${prose(q.prompt)}`,
    "",
    ...q.choices.map((c, i) => `${i + 1}. ${code(c.text)}`),
    "",
  ];
}

/** What the answer key says of one question. */
export function answerLines(q: PredictQuestion): string[] {
  const right = q.choices[q.answer];
  const why = q.why;
  const role = why.role === "wrote" ? "Written by" : why.role === "read" ? "Read first by" : "The call:";
  const lines = [
    `**${q.answer + 1}.** ${code(right.text)}: ${prose(right.gloss)}.`,
    "",
    `- Why: ${why.claim ? `${prose(why.claim)} (a claim checked on this run)` : "no claim of this step speaks of it; the trace shows it"}`,
  ];
  if (why.call) lines.push(`- ${role} ${callText(why.call)}${why.caller ? `, called by ${callText(why.caller)}` : ""}`);
  const others = q.choices.filter((_, i) => i !== q.answer);
  if (q.kind === "frame") lines.push(`- The others: ${others.map((c) => `${code(c.text)} is ${prose(c.gloss)}`).join("; ")}`);
  return [...lines, ""];
}

function skipLines(skips: readonly PredictSkip[], total: number): string[] {
  if (!skips.length) return [];
  return ["## Steps without a question", "", ...skips.map((s) => `- ${heading(s, total)}: ${prose(s.reason)}.`), ""];
}

/**
 * The worksheet of `trace`'s `predictions` (see `predictAll`).
 *
 * @example
 * renderWorksheet(trace, predictAll(trace, { seed: 1 }), { seed: 1 }); // "# Predict the next frame: chat\n…"
 */
export function renderWorksheet(trace: Trace, predictions: readonly StepPrediction[], options: WorksheetOptions): string {
  const total = trace.steps.length;
  const asked = predictions.filter((q): q is PredictQuestion => q.kind !== "skip");
  const skips = predictions.filter((q): q is PredictSkip => q.kind === "skip");
  const lines = [
    `# Predict the next frame: ${prose(trace.meta.scenario)}`,
    "",
    `One real run of ${code(trace.meta.scenario)}, step by step. Before you look at a step's frames, say what comes next on the wire, or which call comes next in the path: ${asked.length} ${asked.length === 1 ? "question" : "questions"}, one choice each. The answers, with the reason for each, are at the end.`,
    "",
    `Made by trace-socket from the run's own frames and calls, seed ${options.seed} (${code(`trace-socket export --predict --seed ${options.seed}`)} makes the same choices for the same run).`,
    "",
    ...asked.flatMap((q) => questionLines(q, total)),
    ...skipLines(skips, total),
    "## Answer key",
    "",
    ...asked.flatMap((q) => [`### ${heading(q, total)}`, "", ...answerLines(q)]),
  ];
  return joinBlocks(lines);
}
