/**
 * The comparison as a markdown report: per step, the socket.io call path and
 * the Flask-SocketIO one side by side in a table, what the Python packages'
 * docstrings say of the step's methods and options; under each table what
 * each side says, its background and not-seen claims apart with their reasons.
 * Pure: two traces (and the docstrings) in, markdown out.
 */
import type { Trace } from "../trace/model.js";
import { codeCell, joinBlocks, prose, proseWithCode, table } from "./markdown-escape.js";
import { CLAIM_LABEL } from "../claims/claim-lines.js";
import { compareSteps, type CompareOptions, type StepSaid } from "./compare-text.js";
import type { FlaskLibraryDocs } from "../runtime/python/library-docs.js";
import { stepDocItems } from "./step-docs.js";
import { stepDocsMarkdown } from "./step-docs-markdown.js";

/** Options of {@link renderCompareMarkdown}. */
export interface CompareMarkdownOptions extends CompareOptions {
  /** The Python packages' docstrings (`loadFlaskLibraryDocs`); without them no step quotes any. */
  readonly docs?: FlaskLibraryDocs;
}

/** One side's narration, then its background and not-seen claims, each with its reason. */
function saidMarkdown(side: string, said: StepSaid | undefined): string[] {
  if (!said || (!said.narration && !said.lines.length)) return [];
  const out = said.narration ? [`**${side}:** ${proseWithCode(said.narration)}`, ""] : [];
  if (said.lines.length) out.push(...said.lines.map((line) => `- *${prose(CLAIM_LABEL[line.kind])} (${side}):* ${proseWithCode(line.text)} (${proseWithCode(line.reason)})`), "");
  return out;
}

/** Renders both traces' steps side by side. */
export function renderCompareMarkdown(node: Trace, python: Trace, options: CompareMarkdownOptions = {}): string {
  const lines: string[] = [
    "# socket.io and Flask-SocketIO, step by step",
    "",
    prose(
      `The same chat, traced on both servers with the same client: socket.io ${node.meta.packages["socket.io"] ?? "?"} on Node ${node.meta.node}, ` +
        `Flask-SocketIO ${python.meta.packages["flask_socketio"] ?? "?"} on Python ${python.meta.packages["python"] ?? "?"}. ` +
        "Each table puts the call path of one step beside its counterpart (deeper calls are counted, not listed).",
    ),
    "",
  ];
  if (options.docs?.reason) lines.push(prose(`The Python packages' docstrings are not quoted: ${options.docs.reason}.`), "");
  for (const step of compareSteps(node, python, { maxLines: 60, ...options })) {
    lines.push(`## Step ${step.index + 1}: ${prose(step.id)}`, "");
    const rows: string[][] = [];
    for (let i = 0; i < Math.max(step.node.length, step.python.length); i++) {
      rows.push([step.node[i] !== undefined ? codeCell(step.node[i]) : "", step.python[i] !== undefined ? codeCell(step.python[i]) : ""]);
    }
    lines.push(...table([prose(step.titles.node ?? "socket.io"), prose(step.titles.python ?? "Flask-SocketIO")], rows), "");
    lines.push(...saidMarkdown("socket.io", step.said.node), ...saidMarkdown("Flask-SocketIO", step.said.python));
    const pyStep = python.steps.find((s) => s.id === step.id);
    const docs = pyStep && options.docs ? stepDocsMarkdown(stepDocItems(pyStep, python, options.docs)) : [];
    if (docs.length) lines.push("### From Flask-SocketIO and python-socketio", "", ...docs, "");
  }
  return joinBlocks(lines);
}
