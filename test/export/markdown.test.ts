import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/export/markdown.js";
import { NO_SOURCES } from "../../src/export/report-sources.js";
import { FLASK_SOCKETIO_COMMIT, FIVEBYTES_COMMIT } from "../../src/export/flask-links.js";
import { chatSources, chatTrace } from "../fixtures/export/chat-trace.js";
import { lintMarkdown, markdownStructure } from "./markdown-check.js";

function render(options: Parameters<typeof chatTrace>[0] = {}, markdown: Parameters<typeof renderMarkdown>[2] = { linkBase: "../.." }): string {
  const trace = chatTrace(options);
  return renderMarkdown(trace, chatSources(trace), markdown);
}

/** The lines of one `## …` section. */
function section(md: string, heading: string): string {
  const start = md.indexOf(`\n## ${heading}\n`);
  expect(start, `section ${heading}`).toBeGreaterThanOrEqual(0);
  const end = md.indexOf("\n## ", start + 1);
  return md.slice(start, end < 0 ? undefined : end);
}

async function expectIntact(md: string): Promise<void> {
  expect(await lintMarkdown(md)).toEqual([]);
  const { tables, fences } = await markdownStructure(md);
  for (const table of tables) expect(new Set(table.rows).size, `table at line ${table.line}: ${table.rows.join(",")}`).toBe(1);
  for (const f of fences) expect(f.closed, `fence at line ${f.line}`).toBe(true);
}

describe("renderMarkdown", () => {
  it("renders the report of a chat-shaped trace as markdown that passes markdownlint, tables and fences intact", async () => {
    await expectIntact(render());
  });

  it("opens with the story: what this is, the steps one line each linked to their sections, then the diagram", () => {
    const md = render();
    expect(md.startsWith("# How socket.io really works: the chat scenario, traced\n")).toBe(true);
    const overview = section(md, "The 5 steps");
    expect(overview).toContain(
      "2. [connect: the client calls io(url)](#step-2--connect) — Step connect with sid Ab3_x-Yz9qR7tUvWAAAA on <http://127.0.0.1:41234>, pingInterval 1500. (10 calls, 11 frames)",
    );
    expect(overview).toContain("1. [init: new Server(httpServer, options)](#step-1--init) — ");
    expect(overview).toContain("(4 calls, no frames)");
    // Every step has one line, and each line's anchor is the slug of a step heading.
    const lines = overview.split("\n").filter((l) => /^\d+\. /.test(l));
    expect(lines).toHaveLength(5);
    for (const line of lines) {
      const anchor = /\]\(#(step-(\d)--([\w-]+))\)/.exec(line);
      expect(anchor, line).not.toBeNull();
      expect(md).toContain(`\n## Step ${anchor![2]} — ${anchor![3]}\n`);
    }
    // The story first, the facts and licences last.
    const order = ["## The 5 steps", "## The whole exchange at a glance", "## Step 1 — init", "## Step 5 — disconnect", "## About this run", "## General information & licensing", "## About this report"];
    const at = order.map((heading) => md.indexOf(`\n${heading}\n`));
    expect(at.every((n) => n > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(md.slice(0, md.indexOf("\n## The whole exchange"))).not.toContain("| Fact | Value |");
  });

  it("gives the run's facts and every package version at the end, in About this run", () => {
    const run = section(render(), "About this run");
    expect(run).toContain("| Date | 2026-11-25 15:06 UTC |");
    expect(run).toContain("| Command | `trace-socket export -o trace.md` |");
    expect(run).toContain("| Node | `v20.20.2` on `linux-x64` |");
    for (const [name, version] of Object.entries(chatTrace().meta.packages)) expect(run).toContain(`| \`${name}\` | \`${version}\` |`);
  });

  it("has a licensing table per package the trace ran, from the package itself", () => {
    const licensing = section(render(), "General information & licensing");
    expect(licensing).toContain("### socket.io 4.8.1");
    expect(licensing).toContain("| Code repository | <https://github.com/socketio/socket.io> |");
    // A pipe in a licence summary stays inside its cell.
    expect(licensing).toContain("| What it allows | Anything \\| really. |");
    expect(licensing).toContain("<guillermo@example.com>");
    // ws 8.18.0 is installed, but the trace ran 8.17.1: not described as if it were.
    expect(licensing).not.toContain("### ws 8.18.0");
    expect(licensing).toContain("`ws@8.17.1`");
  });

  it("draws the exchange as a mermaid sequence diagram with one lane per connection, grouped by step", () => {
    const diagram = section(render(), "The whole exchange at a glance");
    expect(diagram).toContain("```mermaid\nsequenceDiagram\n");
    expect(diagram).toContain("    participant C1 as client · conn 1 (HTTP long-polling)\n");
    expect(diagram).toContain("    participant C4 as client · conn 4 (WebSocket)\n");
    expect(diagram).toContain("    participant S as server (socket.io + engine.io on http.Server)\n");
    expect(diagram).toContain("    Note over C1,S: Step 2 · connect");
    expect(diagram).toContain("    C1->>S: GET polling");
    expect(diagram).toContain("    C4->>S: GET websocket (Upgrade)");
    expect(diagram).toContain("    S-->>C4: 101 Switching Protocols");
    expect(diagram).toContain("    S-->>C4: 2 (ping)");
    expect(diagram).toContain("    C4->>S: close frame (no status code)");
    // Nothing is drawn on a lane it did not travel on: from the upgrade on, every frame is conn 4's.
    const afterUpgrade = diagram.slice(diagram.indexOf("GET websocket"));
    expect(afterUpgrade).not.toMatch(/C[123]->>S|S-->>C[123]/);
  });

  it("names Socket.IO packets the way Engine.IO ones are named: the wire code, then what it is", () => {
    const diagram = section(render(), "The whole exchange at a glance");
    expect(diagram).toContain('    C3->>S: POST polling · 40 (connect /) {"token":"let-me-in"}');
    expect(diagram).toContain('    C4->>S: 420 (event /, ack 0) ["chat message","hi"]');
    expect(diagram).toContain('    S-->>C4: 430 (ack /, ack 0) [{"received":true}]');
    expect(diagram).toContain("    C4->>S: 41 (disconnect /)");
    expect(diagram).toContain("    C4->>S: 2probe (ping)");
    // Data that does not fit is cut at a field, and the cut says what it hid.
    expect(diagram).toContain('"pingInterval":1500,"pingTimeout":3000, … 1 more field}');
  });

  it("says what a cut diagram hides: how many frames of which kinds, and where they are", () => {
    const diagram = section(render({}, { linkBase: "../..", maxDiagramMessages: 5 }), "The whole exchange at a glance");
    expect(diagram).toMatch(/ {4}Note over C1,S: … 6 more frames \(1 × 101 Switching Protocols, .*, 3 others\) in the frames table of step 2\n/);
    expect(diagram).toMatch(/ {4}Note over C1,S: … 8 more frames in later steps \(2 × 42 \(event \/\), 2 × close frame \(no status code\), 1 × 2 \(ping\), 3 others\): each step's frames table has them\n/);
  });

  it("folds each call tree in <details> under its summary, which markdownlint allows", async () => {
    const md = render();
    const calls = section(md, "Step 2 — connect");
    const tree = calls.slice(calls.indexOf("### Call path"), calls.indexOf("### Key source"));
    expect(tree).toContain("\n<details>\n<summary>The call tree: 10 calls, each linked to its source</summary>\n\n- [");
    expect(tree.indexOf("</details>")).toBeGreaterThan(tree.indexOf("  - [`isString`]"));
    expect(md.match(/<details>/g)?.length).toBe(5);
    expect(md.match(/<\/details>/g)?.length).toBe(5);
    await expectIntact(md);
  });

  it("says what the 5bytes app is, once, where the report first cites it", () => {
    const md = render();
    const intro = "`5bytes app.py` below is the `app.py` of 5bytes (MaRonggg/5bytes on GitHub), a small Flask web app built on Flask-SocketIO";
    expect(section(md, "Step 1 — init")).toContain(intro);
    expect(md.split(intro)).toHaveLength(2);
    expect(md.indexOf(intro)).toBeLessThan(md.indexOf("`5bytes app.py` L25–27"));
  });

  it("gives each step the user's code with a link, the narration with live values, the call path, source, docs, Flask-SocketIO and frames", () => {
    const init = section(render(), "Step 1 — init");
    expect(init).toContain("Your code (server side), [`traces/chat/server.mjs:20`](../../traces/chat/server.mjs#L20):");
    expect(init).toContain("Step init with sid `Ab3_x-Yz9qR7tUvWAAAA` on `http://127.0.0.1:41234`, pingInterval `1500`.");
    expect(init).toContain("| `request` | `<anonymous createServer callback in server.mjs> (traces/chat/server.mjs:9)` |");
    for (const heading of ["### What happened", "### Call path", "### Key source", "### From the library", "### Flask-SocketIO counterpart", "### On the wire"]) {
      expect(init).toContain(heading);
    }
  });

  it("links each call to its upstream permalink when resolved, else to the local file relative to the report", () => {
    const calls = section(render(), "Step 1 — init");
    expect(calls).toContain("- [`Server.constructor`](https://github.com/socketio/socket.io/blob/socket.io%404.8.1/packages/socket.io/lib/index.ts#L399-L442) socket.io `dist/index.js:99`");
    expect(calls).toContain("  - [`Server.attach`](../../node_modules/socket.io/dist/index.js#L224) socket.io `dist/index.js:224`");
  });

  it("keeps compiler glue out of the tree and lists it apart", () => {
    const init = section(render(), "Step 1 — init");
    expect(init).not.toContain("- [`get exports.Adapter`]");
    expect(init).toContain("Compiler glue (TypeScript helpers and re-export getters, no upstream source): `get exports.Adapter`.");
    expect(init).toContain("4 calls in 1 callback");
  });

  it("folds runs of identical calls and names the origin of async callbacks", () => {
    const connect = section(render(), "Step 2 — connect");
    expect(connect).toContain("  - [`isString`](../../node_modules/cors/lib/index.js#L15) cors `lib/index.js:15` ×3");
    expect(connect).toContain("(resumed after `await`) — promise continuation of `BaseServer.handshake`");
    const heartbeat = section(render(), "Step 4 — heartbeat");
    expect(heartbeat).toContain("— timer set by `BaseServer.handshake`");
  });

  it("quotes excerpts in fences that content cannot close, with what was left out counted", () => {
    const init = section(render(), "Step 1 — init");
    expect(init).toContain("````js\n    constructor(srv, opts = {}) {\n        // a comment with ``` backticks and a | pipe\n// … 41 more lines\n    }\n````");
  });

  it("quotes the library's own documentation: options with defaults and values in force, methods with examples", () => {
    const init = section(render(), "Step 1 — init");
    expect(init).toContain("- Option **`pingInterval`** (engine.io `ServerOptions`, [`node_modules/engine.io/build/server.d.ts:46`](../../node_modules/engine.io/build/server.d.ts#L46); documented default `25000`; in this run `1500`): “how many ms before sending a new ping packet”");
    expect(init).toContain("- Option `nonsense`: not an option of socket.io or engine.io.");
    expect(init).toContain("- Method `Server.attach`, declared as **`attach(srv: TServerInstance | number, opts?: Partial<ServerOptions>): this;`**");
    expect(init).toContain("  ````js\n  io.attach(httpServer);\n  // ``` not a fence end\n  ````");
    expect(init).toContain("<https://socket.io/docs/v4/server-api/>");
  });

  it("pins every Flask-SocketIO link to a commit, never to a branch", () => {
    const md = render();
    const links = [...md.matchAll(/\((https:\/\/github\.com\/(?:miguelgrinberg|MaRonggg)\/[^)]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(5);
    for (const url of links) expect(url.includes(`/blob/${FLASK_SOCKETIO_COMMIT}/`) || url.includes(`/blob/${FIVEBYTES_COMMIT}/`), url).toBe(true);
    expect(md).toContain("[`self.init_app(app, ...)` — `flask_socketio/__init__.py` L186–187](https://github.com/miguelgrinberg/Flask-SocketIO/blob/91b5ddc31bebeb6241d281252c711b160550ce01/src/flask_socketio/__init__.py#L186-L187): called at once because an app is given");
    expect(md).toContain("[`SocketIO(app, cors_allowed_origins=[...])` — `5bytes app.py` L25–27](https://github.com/MaRonggg/5bytes/blob/325c16e9d3659d55ecb4abeef3986cdb32cee78a/app.py#L25-L27)");
  });

  it("lists a step's frames with direction, layers, decoded packets, size and the call that wrote them", () => {
    const message = section(render(), "Step 3 — message");
    expect(message).toContain("| # | Direction | Conn | Layers | Decoded | Size | Written / read by |");
    expect(message).toContain('| 1 | client → server | 4 | WebSocket → Engine.IO → Socket.IO | `WebSocket text frame, FIN, masked 37fa213d, 24 B (7-bit length)`<br>`Engine.IO message 20["chat message","hi"]`<br>`Socket.IO EVENT, nsp /, ack id 0 ["chat message","hi"]` | 30 B | `socketOnData` |');
  });

  it("caps long call paths with a visible count and keeps the total", async () => {
    const md = render({ extraCalls: 5000 });
    const message = section(md, "Step 3 — message");
    expect(message).toContain("5,004 calls in 5,001 callbacks");
    expect(message).toMatch(/- … 4,8\d\d more callbacks \(4,8\d\d calls\)/);
    const callPath = message.slice(message.indexOf("### Call path"), message.indexOf("### Key source"));
    expect(callPath.split("\n").filter((l) => /^\s*- /.test(l)).length).toBe(200);
    await expectIntact(md);
  });

  it("renders a 50,000-deep call chain without recursion, nesting cut at a depth with the rest counted", async () => {
    const md = render({ chainDepth: 50_000 });
    const message = section(md, "Step 3 — message");
    expect(message).toContain("(+ 49,985 nested calls)");
    await expectIntact(md);
  });

  it("renders without any sources: local links, no excerpts, still valid", async () => {
    const md = renderMarkdown(chatTrace(), NO_SOURCES);
    expect(md).toContain("- [`Server.constructor`](node_modules/socket.io/dist/index.js#L99) socket.io `dist/index.js:99`");
    expect(md).toContain("no source index: excerpts, doc comments and upstream permalinks are left out");
    await expectIntact(md);
  });

  it("renders a trace of your own app, and one with no steps at all", async () => {
    const trace = chatTrace();
    const app: typeof trace = {
      ...trace,
      meta: { ...trace.meta, scenario: "examples/my app/server.js" },
      steps: trace.steps.map((s) => (s.code ? { ...s, code: { ...s.code, line: 0 } } : s)),
    };
    const md = renderMarkdown(app, NO_SOURCES);
    expect(md.startsWith("# How socket.io really works: `server.js`, traced\n")).toBe(true);
    expect(md).toContain("Your code (server side), [`traces/chat/server.mjs`](traces/chat/server.mjs):");
    await expectIntact(md);
    await expectIntact(renderMarkdown({ ...trace, steps: [], chunks: [], connections: [] }, NO_SOURCES));
  });

  it("says in a stable report that values are placeholders and shows no date or timings", () => {
    const md = render({}, { stable: true });
    expect(md).toContain("| Date | (stable report: no date) |");
    expect(md).toContain("> **Stable report.**");
    expect(md).not.toMatch(/ · \d+ ms/);
  });
});
