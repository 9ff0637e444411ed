/**
 * The comparison as a markdown report: per step, the socket.io call path and
 * the Flask-SocketIO one side by side in a table, then the checked facts.
 * Pure: two traces in, markdown out.
 */
import type { Trace } from "../trace/model.js";
import { codeCell, joinBlocks, prose, table } from "../export/markdown-escape.js";
import { compareSteps, type CompareOptions } from "./compare-text.js";
import type { FactCheck } from "./facts.js";

/** Renders both traces' steps side by side; `facts` are the Flask side's checks. */
export function renderCompareMarkdown(node: Trace, python: Trace, facts: readonly FactCheck[], options: CompareOptions = {}): string {
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
  for (const step of compareSteps(node, python, { maxLines: 60, ...options })) {
    lines.push(`## Step ${step.index + 1}: ${prose(step.id)}`, "");
    const rows: string[][] = [];
    for (let i = 0; i < Math.max(step.node.length, step.python.length); i++) {
      rows.push([step.node[i] !== undefined ? codeCell(step.node[i]) : "", step.python[i] !== undefined ? codeCell(step.python[i]) : ""]);
    }
    lines.push(...table([prose(step.titles.node ?? "socket.io"), prose(step.titles.python ?? "Flask-SocketIO")], rows), "");
  }
  lines.push("## Checked on the Flask side", "");
  for (const fact of facts) lines.push(`- ${fact.ok ? "✓" : "✗"} ${prose(fact.claim)}`);
  lines.push("");
  return joinBlocks(lines);
}
