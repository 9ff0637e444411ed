/**
 * One step of the report: the user's line of code, what happened (with the
 * live values of the run), the HTTP server's listeners before and after when
 * the step changed them and the frames — the story — then the evidence: the
 * call path (folded), the key source, the library's own documentation and the
 * Flask-SocketIO counterpart.
 */
import { CLAIM_LABEL, claimLines } from "../claims/claim-lines.js";
import type { Step } from "../trace/model.js";
import { workMs } from "../wire/heartbeat-lanes.js";
import type { WireMessage } from "../wire/types.js";
import { cell, code, count, fence, link, plural, prose, proseWithCode, table } from "./markdown-escape.js";
import { functionHref, localHref, type RenderContext } from "./markdown-context.js";
import { renderCalls } from "./markdown-calls.js";
import { renderFrames } from "./markdown-frames.js";
import { renderState } from "./markdown-state.js";
import { stepHeading } from "./markdown-header.js";
import { focusFunctions, renderExcerpts, renderLibraryDocs } from "./markdown-source.js";
import { FLASK_LINKS, flaskFile, flaskLines, flaskUrl, hasFlaskCounterpart } from "./flask-links.js";
import { countStepCalls } from "../trace/turns.js";

function userCode(ctx: RenderContext, step: Step): string[] {
  if (!step.code) return ["No user code: the library acts on its own here.", ""];
  const { file, line, text, side } = step.code;
  if (side === "stepper") return ["Your action, from the stepper's menu (`a`), run in the traced server:", "", ...fence([text], "js"), ""];
  // Line 0: only the file is known (a step of your own app that is not one line).
  const where = line > 0 ? link(code(`${file}:${line}`), localHref(ctx, file, line)) : link(code(file), localHref(ctx, file));
  return [`Your code (${side} side), ${where}:`, "", ...fence([text], /\.(?:m|c)?ts$/.test(file) ? "ts" : "js"), ""];
}

/**
 * The narration with its live values as code spans, when the step's template
 * is known and the trace's text is that template filled in (plus any notes);
 * otherwise the trace's text as it is.
 */
function explanation(ctx: RenderContext, step: Step): string {
  const template = narrationTemplate(ctx, step);
  const filled = template?.replace(/\{(\w+)\}/g, (whole, key: string) => step.values[key] ?? whole);
  if (!template || filled === undefined || !step.explanation.startsWith(filled)) return proseWithCode(step.explanation);
  let out = "";
  let last = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    const value = step.values[match[1]];
    if (value === undefined) continue;
    out += proseWithCode(template.slice(last, match.index));
    const end = match.index + match[0].length;
    // A value written into a longer literal (`{path}/?EIO=4`) is one code span with it.
    const glued = /^(?:[/?&=%\w.…-]*[/?&=%\w…-])?/.exec(template.slice(end))?.[0] ?? "";
    out += code(value + glued, 160);
    last = end + glued.length;
  }
  return out + proseWithCode(template.slice(last) + step.explanation.slice(filled.length));
}

/**
 * The template the step's narration was filled from: with claims, the
 * templates of those that held on this run, as the narration joins them.
 */
function narrationTemplate(ctx: RenderContext, step: Step): string | undefined {
  const extras = ctx.sources.steps.get(step.id);
  const claims = extras?.claimTemplates;
  if (!step.claims || !claims || claims.length !== step.claims.length) return extras?.template;
  return claims.filter((_, i) => step.claims![i].status === "held").join(" ");
}

/** Background sentences and what this run did not show, apart from the narration, each with its reason. */
function claimNotes(step: Step): string[] {
  const lines = claimLines(step.claims);
  if (!lines.length) return [];
  return [...lines.map((line) => `- *${prose(CLAIM_LABEL[line.kind])}:* ${proseWithCode(line.text)} (${proseWithCode(line.reason)})`), ""];
}

/** The values the step's narration uses, in the order it uses them. */
function liveValues(ctx: RenderContext, step: Step): string[] {
  const extras = ctx.sources.steps.get(step.id);
  const template = extras?.claimTemplates?.join(" ") ?? extras?.template;
  if (!template) return [];
  const keys = [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].filter((k) => step.values[k] !== undefined);
  if (!keys.length) return [];
  return [`Live values: ${keys.map((k) => `${code(k)} = ${code(step.values[k], 160)}`).join(", ")}.`, ""];
}

function listeners(step: Step): string[] {
  if (!step.listeners) return [];
  const events = [...new Set([...Object.keys(step.listeners.before), ...Object.keys(step.listeners.after), "request", "upgrade"])];
  const list = (names: readonly string[] | undefined): string => (names?.length ? names.map((n) => cell(code(n))).join("<br>") : "(none)");
  const rows = events.map((event) => [cell(code(event)), list(step.listeners?.before[event]), list(step.listeners?.after[event])]);
  return [
    "The HTTP server's listeners before and after `new Server()` (the take-over that Flask-SocketIO does with a WSGI middleware):",
    "",
    ...table(["Event", "Before", "After"], rows),
    "",
  ];
}

/** Said once, where the report first cites the 5bytes app: what it is, since nothing else says so. */
const FIVEBYTES_INTRO =
  "`5bytes app.py` below is the `app.py` of 5bytes (MaRonggg/5bytes on GitHub), a small Flask web app built on Flask-SocketIO: " +
  "the app a hand-written report on Flask-SocketIO walked through, cited here as a real app's use of the same calls. " +
  "Its links, like Flask-SocketIO's, pin one commit.";

function citesFivebytes(id: string): boolean {
  return (FLASK_LINKS[id] ?? []).some((l) => l.repo === "5bytes");
}

function flask(ctx: RenderContext, step: Step): string[] {
  if (!hasFlaskCounterpart(ctx.sources)) return [];
  const text = ctx.sources.steps.get(step.id)?.flask;
  const links = FLASK_LINKS[step.id] ?? [];
  if (!text && !links.length) return [];
  const out = ["### Flask-SocketIO counterpart", ""];
  if (text) out.push(proseWithCode(text), "");
  if (citesFivebytes(step.id) && ctx.trace.steps.find((s) => citesFivebytes(s.id)) === step) out.push(proseWithCode(FIVEBYTES_INTRO), "");
  for (const l of links) {
    out.push(`- ${link(`${code(l.label, 120)} — ${code(flaskFile(l))} ${flaskLines(l)}`, flaskUrl(l))}${l.note ? `: ${proseWithCode(l.note)}` : ""}`);
  }
  if (links.length) out.push("");
  return out;
}

/** Rows of a step's debug table before the rest is counted. */
const DEBUG_ROWS = 60;

/** What the traced process printed through `debug` in the step, each line beside the call that printed it. */
function debugOutput(ctx: RenderContext, step: Step): string[] {
  const lines = ctx.debug.get(step.index) ?? [];
  if (!lines.length) return [];
  const by = (seq: number | undefined): string => {
    if (seq === undefined) return "(outside any traced call)";
    const fn = ctx.functions.get(ctx.callFn.get(seq) ?? -1);
    return fn ? `#${seq} ${link(code(fn.name, 80), functionHref(ctx, fn))}` : `#${seq}`;
  };
  const rows = lines.slice(0, DEBUG_ROWS).map((line) => [cell(code(line.text, 200)), cell(by(line.call))]);
  const more = lines.length > DEBUG_ROWS ? [`… ${plural(lines.length - DEBUG_ROWS, "more line")} in the trace's logs.`, ""] : [];
  return ["### Printed by socket.io (DEBUG)", "", `What the \`debug\` package printed in the traced server during this step (${plural(lines.length, "line")}), beside the call that printed each:`, "", ...table(["Line", "Printed by call"], rows), "", ...more];
}

function summary(ctx: RenderContext, step: Step, messages: readonly WireMessage[]): string {
  const title = step.title.trim() || step.id.trim();
  // Plain text: markdownlint misreads escaped underscores inside bold as underscore emphasis.
  const parts = [...(title ? [prose(title)] : []), plural(countStepCalls(step), "call"), plural(messages.length, "frame")];
  // Its own work, not how long the step stayed open: an interactive run's reading time is no part of it.
  const work = ctx.options.stable ? undefined : workMs(step, messages);
  if (work !== undefined) parts.push(`${count(Math.round(work))} ms of own work`);
  return parts.join(" · ");
}

/** The whole section of one step. */
export function renderStep(ctx: RenderContext, step: Step, messages: readonly WireMessage[]): string[] {
  const focus = focusFunctions(ctx, step);
  const docs = renderLibraryDocs(ctx, step, focus);
  const out = [`## ${stepHeading(step.index, step.id)}`, "", summary(ctx, step, messages), "", ...userCode(ctx, step)];
  out.push("### What happened", "", explanation(ctx, step), "", ...claimNotes(step), ...liveValues(ctx, step), ...listeners(step));
  out.push("### On the wire", "", ...renderFrames(ctx, messages), "", ...debugOutput(ctx, step), ...renderState(ctx, step));
  // The evidence after the story: the calls (folded), the code, the docs, the Python side.
  out.push("### Call path", "", ...renderCalls(ctx, step), "");
  if (focus.length) out.push("### Key source", "", ...renderExcerpts(ctx, focus));
  if (docs.length) out.push("### From the library", "", ...docs, "");
  out.push(...flask(ctx, step));
  return out;
}
