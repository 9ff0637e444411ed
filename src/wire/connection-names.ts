/**
 * Names for the traced server's TCP connections, as a reader knows them: by
 * transport, Engine.IO session id and client (`ws 7Hk2Qf · node`), read off
 * the connection's own HTTP requests, instead of `c1`–`c4`. Pure.
 */
import type { WireMessage } from "./types.js";
import { connText, displayId, ONE_PROCESS, type IdSpace } from "../trace/process-names.js";

/** What the frames of one connection say about its client. */
export interface ConnectionName {
  readonly conn: number;
  /** `conn 3`, or `B conn 1` in a trace of several processes (each numbers its connections from 1). */
  readonly id: string;
  /** Short, for list rows: `ws 7Hk2Qf`, `poll 7Hk2Qf`, `c3` when nothing is known. */
  readonly label: string;
  readonly transport?: "polling" | "websocket";
  readonly sid?: string;
  /** The client's User-Agent header, as sent. */
  readonly agent?: string;
}

/** `Chrome 131`, `Firefox 133`, `node` for socket.io-client's XMLHttpRequest; else the agent's first product. */
export function shortAgent(agent: string): string {
  // Most specific first: Edge's agent names Chrome and Safari too, Chrome's names Safari.
  for (const [token, name] of [["Edg", "Edge"], ["Firefox", "Firefox"], ["Chrome", "Chrome"], ["Safari", "Safari"]] as const) {
    const version = new RegExp(`${token}/(\\d+)`).exec(agent);
    if (version) return `${name} ${version[1]}`;
  }
  if (/node/i.test(agent)) return "node";
  return agent.split(/[ /]/)[0] ?? agent;
}

function param(target: string, name: string): string | undefined {
  const match = new RegExp(`[?&]${name}=([^&]*)`).exec(target);
  return match?.[1];
}

/** Names every connection that has frames in `messages` (the whole trace's, decoded); `ids`: the trace's processes. */
export function connectionNames(messages: readonly WireMessage[], ids: IdSpace = ONE_PROCESS): Map<number, ConnectionName> {
  const facts = new Map<number, { transport?: "polling" | "websocket"; sid?: string; agent?: string }>();
  for (const message of messages) {
    const known = facts.get(message.conn) ?? {};
    facts.set(message.conn, known);
    for (const layer of message.layers) {
      if (layer.kind === "http-request") {
        const transport = param(layer.target, "transport");
        if (transport === "polling" || transport === "websocket") known.transport ??= transport;
        known.sid ??= param(layer.target, "sid");
        known.agent ??= layer.headers.find(([name]) => name.toLowerCase() === "user-agent")?.[1];
      }
      if (layer.kind === "engine.io" && !known.sid) {
        const open = layer.packets.find((p) => p.name === "open");
        if (open) known.sid = /"sid":"([^"]+)"/.exec(open.data)?.[1];
      }
    }
  }
  const out = new Map<number, ConnectionName>();
  for (const [conn, known] of facts) {
    const kind = known.transport === "websocket" ? "ws" : known.transport === "polling" ? "poll" : undefined;
    // `c3`, or `B c1`: the process's own number, not the trace's offset one.
    const shown = displayId(ids, conn).replace(/(\d+)$/, "c$1");
    const label = kind ? `${kind} ${known.sid ? known.sid.slice(0, 6) : shown}` : shown;
    out.set(conn, { conn, id: connText(ids, conn), label, ...known });
  }
  return out;
}

/** The connection as one line for the frame detail: `conn 2 · websocket · sid 7Hk2Qf… · node-XMLHttpRequest`. */
export function connectionLine(name: ConnectionName | undefined, conn: number): string {
  if (!name) return `conn ${conn}`;
  return [name.id, name.transport, name.sid ? `sid ${name.sid}` : undefined, name.agent ? shortAgent(name.agent) : undefined].filter(Boolean).join(" · ");
}
