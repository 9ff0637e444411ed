/**
 * What the question pane shows, as lines: the step, its code, what is known
 * so far, the question and its numbered choices; once answered, right or
 * wrong, the right choice and why (the claim, the call that wrote the frame).
 * Wrapped to the pane's width; pure.
 */
import type { CallRef } from "../claims/predict/questions.js";
import type { PredictPhase, PredictScore } from "./predict-model.js";
import { fit, wrap } from "../export/text-fit.js";
import type { Line } from "./theme.js";

function place(call: CallRef): string {
  return call.file ? `${call.name}  ${call.file.replace(/^.*node_modules\//, "")}:${call.line}` : call.name;
}

/** `2 of 3 right`. */
export function scoreText(score: PredictScore): string {
  return `${score.right} of ${score.answered} right`;
}

/**
 * The lines of the question pane for `phase` (not `none`), `width` columns
 * wide; `last` says the step is the scenario's last, where the score is final.
 */
export function predictLines(phase: Extract<PredictPhase, { kind: "asking" | "answered" }>, score: PredictScore, last: boolean, width: number): Line[] {
  const q = phase.question;
  const out: Line[] = [];
  const add = (text: string, tone?: Line["tone"], indent = ""): void => {
    for (const line of wrap(text, width, indent)) out.push(tone ? { text: line, tone } : { text: line });
  };
  if (q.code) add(`code  ${q.code}`, "code", "      ");
  for (const line of q.context) add(line, "dim", "  ");
  out.push({ text: "" });
  add(q.prompt, "heading");
  q.choices.forEach((choice, i) => {
    const mark = phase.kind === "answered" ? (i === q.answer ? "✓" : i === phase.answer.chosen ? "✗" : " ") : " ";
    // A choice is one row: the numbers stay aligned, and a long open packet is cut, not wrapped.
    out.push({ text: fit(`${mark} ${i + 1}  ${choice.text}`, width), ...(phase.kind === "answered" && i === q.answer ? { tone: "code" as const } : {}) });
  });
  out.push({ text: "" });
  if (phase.kind === "asking") {
    add(`press 1–${q.choices.length} to answer · P turns predict mode off`, "dim");
    return out;
  }
  const right = q.choices[q.answer];
  add(phase.answer.right ? `✓ right: ${right.gloss}` : `✗ not ${phase.answer.chosen + 1} (${q.choices[phase.answer.chosen].gloss}): it is ${q.answer + 1}, ${right.gloss}`, phase.answer.right ? "code" : "warn", "  ");
  add(`why   ${q.why.claim ?? "no claim of this step speaks of it; the trace shows it"}`, undefined, "      ");
  const role = q.why.role === "wrote" ? "wrote it" : q.why.role === "read" ? "read it first" : q.why.caller ? `called by ${q.why.caller.name}` : "";
  if (q.why.call) add(`call  ${place(q.why.call)}${role ? ` (${role})` : ""}`, "decl", "      ");
  out.push({ text: "" });
  add(`${last ? "final score" : "score"}: ${scoreText(score)} · →/⏎ show the step's frames and calls`, "heading");
  return out;
}
