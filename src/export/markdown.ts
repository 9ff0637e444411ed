/**
 * The trace as a markdown report — the kind a student writes by hand for a
 * "how does this library really work" assignment, with every claim backed by
 * the run: call paths linked to source, frames decoded, the library's own
 * documentation, the Flask-SocketIO counterpart with pinned permalinks. The
 * story comes first (the steps one line each, the diagram, then each step's
 * narration and frames); the evidence follows, folded where it is long, and
 * the run's facts and licences close it.
 * Pure: trace and gathered sources in, GitHub-flavoured markdown out.
 */
import type { Trace } from "../trace/model.js";
import { messagesOf } from "../wire/index.js";
import { messagesByStep } from "./text.js";
import { count, joinBlocks, proseWithCode } from "./markdown-escape.js";
import { createContext, type MarkdownOptions, type RenderContext } from "./markdown-context.js";
import { ABOUT_HEADING, EXCHANGE_HEADING, renderHeader, renderLicensing, renderRunFacts } from "./markdown-header.js";
import { renderSequence } from "./markdown-sequence.js";
import { renderStep } from "./markdown-step.js";
import { FIVEBYTES_COMMIT, FLASK_SOCKETIO_COMMIT, hasFlaskCounterpart } from "./flask-links.js";
import type { ReportSources } from "./report-sources.js";
import { sampledNote, untimedNote } from "../trace/turns.js";

export type { MarkdownOptions } from "./markdown-context.js";

function about(ctx: RenderContext): string[] {
  const { dropped } = ctx.trace;
  const { maxCallLines, maxFrames, maxExcerptLines } = ctx.options;
  const out = [`## ${ABOUT_HEADING}`, ""];
  out.push(
    dropped.calls || dropped.chunks || dropped.logs
      ? `- Dropped to keep memory bounded (and counted, never silently): ${count(dropped.calls)} call records, ${count(dropped.chunks)} chunks (${count(dropped.bytes)} bytes), ${count(dropped.logs)} log lines.`
      : "- Nothing was dropped: every call and every byte of the run is in the trace.",
    ...(ctx.trace.meta.sampledTurns ? [`- ${sampledNote(ctx.trace.meta.sampledTurns)}.`] : []),
    ...(ctx.trace.meta.untimedTurns ? [`- ${untimedNote(ctx.trace.meta.untimedTurns)}.`] : []),
    `- Shown here at most: ${count(maxCallLines)} call lines and ${count(maxFrames)} frames per step, ${count(maxExcerptLines)} lines per excerpt; whatever is cut is counted where it is cut. ` +
      "`trace-socket export --format json` writes the complete trace, and `trace-socket replay` steps through it.",
    "- Local links are relative to this file and point into the `node_modules` the trace ran with; upstream links pin the installed version's tag.",
  );
  if (hasFlaskCounterpart(ctx.sources)) {
    out.push(
      `- Flask-SocketIO links pin commit \`${FLASK_SOCKETIO_COMMIT.slice(0, 7)}\` of miguelgrinberg/Flask-SocketIO and \`${FIVEBYTES_COMMIT.slice(0, 7)}\` of the 5bytes app, never a branch, so they keep pointing at the lines meant.`,
    );
  }
  for (const note of ctx.sources.notes) out.push(`- ${proseWithCode(note)}`);
  out.push("");
  return out;
}

/** Renders the report. `sources` may be `NO_SOURCES`: the report then has local links only. */
export function renderMarkdown(trace: Trace, sources: ReportSources, options: MarkdownOptions = {}): string {
  const ctx = createContext(trace, sources, options);
  const byStep = messagesByStep(trace, messagesOf(trace.chunks));
  const out: string[] = [...renderHeader(ctx, (step) => byStep.get(step.index)?.length ?? 0)];
  out.push(
    `## ${EXCHANGE_HEADING}`,
    "",
    (trace.meta.processes?.length ?? 0) > 1
      ? "Every message between the clients, the servers and Redis (or between the servers, over IPC), in wire order, one lane per client (its Engine.IO session), per server and for Redis; Engine.IO and Socket.IO packets are written as they travel, with their name in parentheses (GitHub draws this diagram):"
      : "Every message between the client and the server, in wire order, one lane per TCP connection; Engine.IO and Socket.IO packets are written as they travel, with their name in parentheses (GitHub draws this diagram):",
    "",
  );
  out.push(...renderSequence(ctx, byStep), "");
  for (const step of trace.steps) out.push(...renderStep(ctx, step, byStep.get(step.index) ?? []));
  // What a reader checks last: the run's facts and the licences.
  out.push(...renderRunFacts(ctx), ...renderLicensing(ctx), ...about(ctx));
  return joinBlocks(out);
}
