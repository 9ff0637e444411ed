/**
 * The client–server exchange as a mermaid `sequenceDiagram` (GitHub renders
 * it): beside the server, one lane per connection (`conn 1 · HTTP
 * long-polling`, `conn 3 · WebSocket`) for a built-in scenario, one per client
 * (its Engine.IO session, with the transports it used) for a user's own app and
 * for several servers, which also get a lane each and one for Redis (`sequence-servers.ts`);
 * every decoded message in wire order on its lane, grouped by step with
 * notes, and whatever is left out counted by kind. Mermaid's message text may not hold `#`, `;` or newlines;
 * they are written as its entity codes, so no payload can break the diagram.
 */
import type { Step } from "../trace/model.js";
import type { WireMessage } from "../wire/types.js";
import { printable } from "./markdown-escape.js";
import type { RenderContext } from "./markdown-context.js";
import { messageKind, messageLine } from "./markdown-packets.js";
import { clientLanes, type LaneGroup } from "./client-lanes.js";
import { serverSide } from "./sequence-servers.js";
import { connText, serviceOfLayer, type IdSpace } from "../trace/process-names.js";

/** Messages of one step drawn before the rest is counted in a note. */
const PER_STEP = 20;

/** Characters of a message's data in the diagram: the open packet's timing fields fit. */
const DIAGRAM_DATA = 110;

/** Connections drawn as lanes of their own; the others share one lane. */
const MAX_LANES = 6;

/** Text safe after `:` in a mermaid message or note (its grammar stops at `#`, `;` and newlines; `<`, `>`, `&` would be read as HTML). */
export function mermaidText(text: string, max = 60): string {
  const shown = printable(text, max).replace(/[#;<>`&]/g, (c) => `#${c.charCodeAt(0)};`);
  return shown.trim() || "(empty)";
}

function stepNames(steps: readonly Step[]): string {
  const first = steps[0];
  const last = steps[steps.length - 1];
  const range = steps.length === 1 ? `Step ${first.index + 1}` : `Steps ${first.index + 1}–${last.index + 1}`;
  return `${range} (${steps.map((s) => s.id).join(", ")})`;
}

/** What a connection carried, from its first HTTP request: `HTTP long-polling`, `WebSocket`. */
function transportOf(messages: readonly WireMessage[]): string {
  for (const message of messages) {
    const request = message.layers.find((l) => l.kind === "http-request");
    if (request?.kind !== "http-request") continue;
    const transport = /[?&]transport=(\w+)/.exec(request.target)?.[1];
    if (transport === "polling") return "HTTP long-polling";
    if (transport === "websocket") return "WebSocket";
    return "HTTP";
  }
  return messages.some((m) => m.layers.some((l) => l.kind === "ws-frame")) ? "WebSocket" : "connection";
}

/** The lanes of the built-in scenarios: one per connection, so that the upgrade's new TCP connection shows. */
function connectionLanes(messages: readonly WireMessage[]): LaneGroup[] {
  const order: number[] = [];
  for (const message of messages) if (!order.includes(message.conn)) order.push(message.conn);
  return order.map((conn) => ({ conns: [conn] }));
}

/**
 * `client · conn 3 (WebSocket)`, for a client's session `client 1 · sid Fe8SqO… (HTTP long-polling,
 * WebSocket)`, and `Redis · conn 1` for a connection the server opened to Redis or PostgreSQL (it is no client).
 */
function laneLabel(group: LaneGroup, n: number, byConn: ReadonlyMap<number, readonly WireMessage[]>, ids: IdSpace): string {
  const first = connText(ids, group.conns[0]);
  const service = (byConn.get(group.conns[0]) ?? []).map((m) => serviceOfLayer(m.layers[0]?.kind)).find((s) => s !== undefined);
  if (service) return `${service} · ${first}`;
  const transports = [...new Set(group.conns.map((conn) => transportOf(byConn.get(conn) ?? [])))].join(", ");
  return group.sid !== undefined ? `client ${n} · sid ${group.sid} (${transports})` : `client · ${first} (${transports})`;
}

/** The lanes: one participant per group in order of first message, the rest in one shared lane. */
function lanes(messages: readonly WireMessage[], groups: readonly LaneGroup[], ids: IdSpace): { readonly declarations: string[]; readonly laneOf: (conn: number) => string; readonly shared: (conn: number) => boolean; readonly first: string } {
  const byConn = new Map<number, WireMessage[]>();
  for (const message of messages) byConn.set(message.conn, [...(byConn.get(message.conn) ?? []), message]);
  const own = groups.length > MAX_LANES ? groups.slice(0, MAX_LANES - 1) : groups;
  let clients = 0;
  // A lane's id is its ordinal, not its first connection's id: across processes those are offset by
  // 2^32 per process (C4294967299), which makes the diagram's source unreadable; the label names the connection.
  const idOf = new Map(own.map((group, i) => [group, `C${i + 1}`] as const));
  const declarations = own.map((group) => `    participant ${idOf.get(group)!} as ${mermaidText(laneLabel(group, group.sid !== undefined ? ++clients : 0, byConn, ids), 80)}`);
  const others = groups.slice(own.length).reduce((n, group) => n + group.conns.length, 0);
  if (others) declarations.push(`    participant CX as ${mermaidText(`client · ${others} other connections`, 80)}`);
  if (!declarations.length) declarations.push("    participant C as client (socket.io-client)");
  const laneByConn = new Map(own.flatMap((group) => group.conns.map((conn) => [conn, group] as const)));
  return {
    declarations,
    laneOf: (conn) => {
      const group = laneByConn.get(conn);
      return group ? idOf.get(group)! : "CX";
    },
    // A client's lane holds several connections: each message says which it travelled on.
    shared: (conn) => (laneByConn.get(conn)?.conns.length ?? 0) > 1,
    first: own.length ? "C1" : declarations[0].includes(" CX ") ? "CX" : "C",
  };
}

/** `30 × 2 (ping), 30 × 3 (pong), 5 others`: what a cut left out, by kind. */
export function hiddenKinds(messages: readonly WireMessage[]): string {
  const counts = new Map<string, number>();
  for (const message of messages) {
    const kind = messageKind(message);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = sorted.slice(0, 3).map(([kind, n]) => `${n} × ${kind}`);
  const others = sorted.slice(3).reduce((n, [, c]) => n + c, 0);
  return [...shown, ...(others ? [`${others} other${others === 1 ? "" : "s"}`] : [])].join(", ");
}

/** The fenced mermaid block; `byStep` holds each step's messages in wire order. */
export function renderSequence(ctx: RenderContext, byStep: ReadonlyMap<number, readonly WireMessage[]>): string[] {
  const all = ctx.trace.steps.flatMap((step) => byStep.get(step.index) ?? []);
  const servers = serverSide(ctx.trace);
  const clientMessages = all.filter((m) => servers.isClient(m.conn));
  // A user's own app has clients of its own (the trace says so), each a lane with its transports;
  // so have several servers, whose one client may reach more than one of them.
  const severalServers = (ctx.trace.meta.processes?.length ?? 0) > 1;
  const groups = ctx.trace.meta.ownApp === true || severalServers ? clientLanes(clientMessages) : connectionLanes(clientMessages);
  const { declarations, laneOf, shared, first } = lanes(clientMessages, groups, ctx.trace);
  const lines = ["sequenceDiagram", ...declarations, ...servers.declarations];
  const note = (text: string, max = 160): string => `    Note over ${first},${servers.last}: ${mermaidText(text, max)}`;
  let drawn = 0;
  let quiet: Step[] = [];
  const flushQuiet = (): void => {
    if (quiet.length) lines.push(note(`${stepNames(quiet)}: no frames`));
    quiet = [];
  };
  const skipped: WireMessage[] = [];
  for (const step of ctx.trace.steps) {
    const messages = byStep.get(step.index) ?? [];
    if (!messages.length) {
      quiet.push(step);
      continue;
    }
    flushQuiet();
    if (drawn >= ctx.options.maxDiagramMessages) {
      skipped.push(...messages);
      continue;
    }
    lines.push(note(`Step ${step.index + 1} · ${step.id}`, 80));
    const room = Math.min(PER_STEP, ctx.options.maxDiagramMessages - drawn);
    for (const message of messages.slice(0, room)) {
      const arrow = servers.arrow(message.conn, message.dir, laneOf(message.conn));
      const text = messageLine(message, DIAGRAM_DATA);
      lines.push(`    ${arrow}: ${mermaidText(shared(message.conn) ? `${connText(ctx.trace, message.conn)} · ${text}` : text, 160)}`);
    }
    drawn += Math.min(room, messages.length);
    const hidden = messages.slice(room);
    if (hidden.length) lines.push(note(`… ${hidden.length} more frames (${hiddenKinds(hidden)}) in the frames table of step ${step.index + 1}`));
  }
  flushQuiet();
  if (skipped.length) lines.push(note(`… ${skipped.length} more frames in later steps (${hiddenKinds(skipped)}): each step's frames table has them`));
  return ["```mermaid", ...lines, "```"];
}
