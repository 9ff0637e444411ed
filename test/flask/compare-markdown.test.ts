/**
 * The `export --compare` report: both call paths of each step in one table,
 * table cells intact whatever the names hold, valid for markdownlint.
 */
import { describe, expect, it } from "vitest";
import { renderCompareMarkdown } from "../../src/export/compare-markdown.js";
import type { CallNode, FunctionInfo, Step, Trace } from "../../src/trace/model.js";
import { lintMarkdown } from "../export/markdown-check.js";
import { sampleDocs } from "./docs-fixture.js";

function fn(id: number, name: string, pkg: FunctionInfo["pkg"]): FunctionInfo {
  return { id, name, file: "x", line: 1, column: 1, endLine: 2, pkg, kind: "function" };
}

function call(seq: number, f: number, children: CallNode[] = []): CallNode {
  return { seq, fn: f, start: seq, end: seq, children };
}

function step(id: string, calls: CallNode[]): Step {
  return { index: 0, id, title: `${id}: title`, explanation: "", values: {}, started: 0, ended: 0, calls, chunks: [] };
}

function trace(functions: FunctionInfo[], steps: Step[], packages: Record<string, string>): Trace {
  return {
    meta: { schema: "trace-socket", version: 1, tool: "0", node: "v20", platform: "linux", startedAt: "", command: "", scenario: "t", packages },
    functions, steps, connections: [], chunks: [], logs: [], dropped: { calls: 0, chunks: 0, bytes: 0, logs: 0 },
  };
}

describe("renderCompareMarkdown", () => {
  const node = trace([fn(1, "Server.constructor", "socket.io"), fn(2, "Server.attach | pipe`tick", "socket.io")], [step("init", [call(1, 1, [call(2, 2)])])], { "socket.io": "4.8.4" });
  const python = trace([fn(1, "SocketIO.__init__", "flask_socketio"), fn(2, "SocketIO.init_app", "flask_socketio")], [step("init", [call(1, 1, [call(2, 2)])])], { flask_socketio: "5.3.2", python: "3.11" });
  const markdown = renderCompareMarkdown(node, python);

  it("puts each side's calls in its own column, nesting kept", () => {
    const row = markdown.split("\n").find((l) => l.includes("Server.constructor"))!;
    expect(row).toContain("SocketIO.__init__");
    // A backtick in the name lengthens the code span's fence; the pipe is escaped for the table.
    expect(markdown).toContain("| ``  Server.attach \\| pipe`tick`` |");
  });

  it("says under each table what each side narrates, and apart what it did not show or no run can, with why", async () => {
    const claimed = (t: Trace, side: string): Trace => ({
      ...t,
      steps: t.steps.map((s) => ({
        ...s,
        explanation: `Narrated on ${side}: \`Server.attach\` ran.`,
        claims: [
          { text: `Narrated on ${side}: \`Server.attach\` ran.`, status: "held" as const },
          { text: "A *design* reason.", status: "unchecked" as const, reason: "not something a run shows" },
          { text: "Server.init ran.", status: "not-seen" as const, reason: "no call of Server.init in this step" },
        ],
      })),
    });
    const said = renderCompareMarkdown(claimed(node, "node"), claimed(python, "python"));
    expect(said).toContain("**socket.io:** Narrated on node: `Server.attach` ran.");
    expect(said).toContain("**Flask-SocketIO:** Narrated on python: `Server.attach` ran.");
    expect(said).toContain("- *not seen on this run (Flask-SocketIO):* Server.init ran. (no call of Server.init in this step)");
    expect(said).toMatch(/- \*background \(not something a run shows\) \(socket\.io\):\* A \\\*design\\\* reason\./);
    expect(await lintMarkdown(said)).toEqual([]);
  });

  it("passes markdownlint", async () => {
    expect(await lintMarkdown(markdown)).toEqual([]);
  });

  it("quotes the Python docstrings of each step under its table, still valid markdown", async () => {
    const withDocs = renderCompareMarkdown(node, python, { docs: sampleDocs() });
    const section = withDocs.split("### From Flask-SocketIO and python-socketio\n\n")[1]?.split("\n\n")[0].split("\n") ?? [];
    expect(section[0]).toMatch(/^- Method `flask_socketio\.SocketIO\.__init__`, called as \*\*`SocketIO\(app=None, \*\*kwargs\)`\*\* \(\[`flask_socketio\/__init__\.py:171`\]\(https:\/\/github\.com\/miguelgrinberg\/Flask-SocketIO\/blob\/v5\.3\.2\//);
    expect(section.some((l) => l.startsWith("- Option **`ping_interval`**"))).toBe(true);
    expect(await lintMarkdown(withDocs)).toEqual([]);
  });

  it("says why no docstrings are quoted when the Python side could not be read", () => {
    const without = renderCompareMarkdown(node, python, { docs: { packages: {}, names: {}, reason: "/usr/bin/python3 could not be run (ENOENT)" } });
    expect(without).toContain("The Python packages' docstrings are not quoted: /usr/bin/python3 could not be run (ENOENT).");
    expect(without).not.toContain("### From Flask-SocketIO");
  });
});
