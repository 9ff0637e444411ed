/**
 * The Python side's "From the library" on objects: reST cleanup, first
 * paragraphs, documented defaults, which docstring an option quotes, and the
 * markdown and text renderings (escaped, cut visibly, valid for markdownlint).
 */
import { describe, expect, it } from "vitest";
import { documentedDefault, firstParagraph, rstInline, stepDocItems } from "../../src/export/step-docs.js";
import { stepDocsMarkdown } from "../../src/export/step-docs-markdown.js";
import { stepDocsText } from "../../src/export/step-docs-text.js";
import type { CallNode, FunctionInfo, Step, Trace } from "../../src/trace/model.js";
import { lintMarkdown, markdownStructure } from "../export/markdown-check.js";
import { sampleDocs } from "./docs-fixture.js";
import { httpMessage } from "../wire/helpers.js";

const DIST = "/usr/lib/python3/dist-packages";

function fn(id: number, name: string, pkg: string, file: string): FunctionInfo {
  return { id, name, file: `${DIST}/${file}`, line: 1, column: 1, endLine: 2, pkg: pkg as FunctionInfo["pkg"], kind: "function" };
}

function call(seq: number, f: number, children: CallNode[] = []): CallNode {
  return { seq, fn: f, start: seq, end: seq, children };
}

function step(id: string, calls: CallNode[], values: Record<string, string> = {}): Step {
  return { index: 0, id, title: id, explanation: "", values, started: 0, ended: 0, calls, chunks: [] };
}

const functions = [
  fn(1, "SocketIO.__init__", "flask_socketio", "flask_socketio/__init__.py"),
  fn(2, "SocketIO.init_app", "flask_socketio", "flask_socketio/__init__.py"),
  fn(3, "Server.__init__", "engineio", "engineio/server.py"),
  // Same name, other package: must not count as engineio's.
  fn(4, "_SocketIOMiddleware.__init__", "socketio", "socketio/middleware.py"),
];
const init = step("init", [call(1, 1, [call(2, 2, [call(3, 3), call(4, 4)])])], { pingInterval: "1500", pingTimeout: "3000", origins: '["http://a"]' });
const trace = {
  meta: { schema: "trace-socket", version: 1, tool: "0", node: "v20", platform: "linux", startedAt: "", command: "", scenario: "chat-flask", packages: {} },
  functions, steps: [init], connections: [], chunks: [], logs: [], dropped: { calls: 0, chunks: 0, bytes: 0, logs: 0 },
} as Trace;

describe("docstring text", () => {
  it("turns reST literals and roles into backtick code", () => {
    expect(rstInline("Set to ``'*'``; see :class:`Packet` and :meth:`~a.b.c`. Example::")).toBe("Set to `'*'`; see `Packet` and `a.b.c`. Example:");
  });

  it("takes the first paragraph on one line and counts the lines after it", () => {
    expect(firstParagraph("Register an\nevent handler.\n\n:param event: x\n    more\n")).toEqual({ text: "Register an event handler.", moreLines: 2 });
    expect(firstParagraph("One line.")).toEqual({ text: "One line.", moreLines: 0 });
  });

  it("reads what a paragraph says the default is", () => {
    expect(documentedDefault("The interval. The default is 25 seconds. For advanced control…")).toBe("25 seconds");
    expect(documentedDefault("The host. Defaults to 127.0.0.1.")).toBe("127.0.0.1");
    expect(documentedDefault("Whether to allow. Default is `False`.")).toBe("`False`");
    expect(documentedDefault("No default here.")).toBeUndefined();
  });
});

describe("stepDocItems", () => {
  const items = stepDocItems(init, trace, sampleDocs());
  const byName = new Map(items.map((i) => [i.name, i]));

  it("quotes each method's first paragraph, signature and upstream place", () => {
    const ctor = byName.get("flask_socketio.SocketIO.__init__")!;
    expect(ctor.signature).toBe("SocketIO(app=None, **kwargs)");
    expect(ctor.text).toBe("Create a Flask-SocketIO server.");
    expect(ctor.moreLines).toBe(3);
    expect(ctor.facts).toEqual(["documented on its class"]);
    expect(ctor.place?.url).toBe("https://github.com/miguelgrinberg/Flask-SocketIO/blob/v5.3.2/src/flask_socketio/__init__.py#L171-L181");
    expect(ctor.notes).toEqual([]);
    expect(byName.get("flask_socketio.SocketIO.init_app")?.text).toBeUndefined();
  });

  it("says why a name has nothing to quote, and when a method did not run in the step", () => {
    expect(byName.get("socketio.Server.__init__")?.reason).toBe("socketio has no attribute Server");
    // The traced `_SocketIOMiddleware.__init__` is socketio's, not flask_socketio's.
    expect(byName.get("flask_socketio._SocketIOMiddleware.__init__")?.notes).toEqual(["Not called in this step of this run."]);
  });

  it("quotes an option from the docstring of the class that consumes it, with its defaults and value", () => {
    const timeout = byName.get("ping_timeout")!;
    expect(timeout.text).toBe("The time in seconds. The default is 20 seconds.");
    expect(timeout.place).toMatchObject({ file: "engineio/server.py", line: 37, endLine: 39 });
    expect(timeout.facts).toEqual(["`engineio.Server` docstring", "signature default `20`", "in this run `3` s on the server"]);
    expect(timeout.notes).toEqual(["Also documented by `flask_socketio.SocketIO`.", "The `flask_socketio.SocketIO` docstring says the default is 5 seconds, not 20 seconds."]);
    expect(byName.get("manage_session")?.reason).toBe("no docstring of `flask_socketio.SocketIO` documents it");
  });

  it("quotes what the open packet carried, and says so when the client was told another value than the server holds", () => {
    // python-engineio announces int(ping_interval) * 1000: 1.5 s goes out as 1000.
    const open = httpMessage("HTTP/1.1 200 OK", ["Content-Type: text/plain; charset=UTF-8"], '0{"sid":"s","upgrades":[],"pingTimeout":3000,"pingInterval":1000}');
    const get = httpMessage("GET /socket.io/?EIO=4&transport=polling&t=x HTTP/1.1", ["Host: 127.0.0.1"]);
    const chunk = (seq: number, dir: "in" | "out", data: Uint8Array) => ({ seq, conn: 1, dir, time: seq, data: Buffer.from(data).toString("base64"), size: data.length });
    const wired = { ...trace, chunks: [chunk(1, "in", get), chunk(2, "out", open)], connections: [{ id: 1, remote: "127.0.0.1:1", local: "127.0.0.1:2", opened: 0 }] } as Trace;
    const items = new Map(stepDocItems(init, wired, sampleDocs()).map((i) => [i.name, i]));
    const interval = items.get("ping_interval")!;
    expect(interval.facts).toContain("in this run `1.5` s on the server; the open packet carried `1000` ms");
    expect(interval.notes).toContain("The client was told `1000` ms in the open packet while the server holds `1500` ms.");
    expect(items.get("ping_timeout")!.facts).toContain("in this run `3` s on the server; the open packet carried `3000` ms");
    expect(items.get("ping_timeout")!.notes.some((n) => n.startsWith("The client was told"))).toBe(false);
  });

  it("gives nothing for an unknown step or docs that are missing", () => {
    expect(stepDocItems(step("nope", []), trace, sampleDocs())).toEqual([]);
    expect(stepDocItems(init, trace, { packages: {}, names: {}, reason: "no python" })).toEqual([]);
  });
});

describe("rendering", () => {
  const items = stepDocItems(init, trace, sampleDocs());

  it("renders one list item per method or option, escaped and linked", async () => {
    const lines = stepDocsMarkdown(items);
    expect(lines).toHaveLength(items.length);
    expect(lines[0]).toBe(
      "- Method `flask_socketio.SocketIO.__init__`, called as **`SocketIO(app=None, **kwargs)`** " +
        "([`flask_socketio/__init__.py:171`](https://github.com/miguelgrinberg/Flask-SocketIO/blob/v5.3.2/src/flask_socketio/__init__.py#L171-L181), flask_socketio 5.3.2; documented on its class): " +
        "“Create a Flask-SocketIO server.” … 3 more lines in the docstring",
    );
    const cors = lines.find((l) => l.includes("cors_allowed_origins"))!;
    expect(cors).toContain("`'*'`");
    expect(cors).toContain("all | origins \\<script\\>");
    const markdown = ["# Docs", "", ...lines, ""].join("\n");
    expect(await lintMarkdown(markdown)).toEqual([]);
    const structure = await markdownStructure(markdown);
    expect(structure.codeSpans).toContain("'*'");
    // A docstring line starting with `#` stays inside the quote, not a heading.
    expect(lines.find((l) => l.includes("_SocketIOMiddleware"))).toContain("“\\# Not a heading this WSGI middleware `exposes` the app.”");
  });

  it("cuts a long paragraph with a visible count", () => {
    const long = stepDocItems(init, trace, { ...sampleDocs(), names: { ...sampleDocs().names, "flask_socketio.SocketIO.__init__": { ...(sampleDocs().names["flask_socketio.SocketIO.__init__"] as object), doc: "x ".repeat(400) } as never } });
    expect(stepDocsMarkdown(long)[0]).toMatch(/… \d+ more”/);
  });

  it("puts one line per item under a `library` label in the text", () => {
    const lines = stepDocsText(items);
    expect(lines[0]).toBe("  library method flask_socketio.SocketIO(app=None, **kwargs) (flask_socketio/__init__.py:171; documented on its class): Create a Flask-SocketIO server. … 3 more lines");
    expect(lines[1]).toMatch(/^ {10}method flask_socketio\.SocketIO\.init_app\(\) \(flask_socketio\/__init__\.py:191\): no docstring$/);
    expect(lines.find((l) => l.includes("option ping_timeout"))).toContain("(engineio/server.py:37; engineio.Server docstring; signature default 20; in this run 3 s on the server): The time in seconds.");
    expect(lines).toContain("          method socketio.Server: socketio has no attribute Server");
  });
});
