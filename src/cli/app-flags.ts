/**
 * Flags of `trace-socket path/to/server.js`: the built-in client's behaviour.
 * Parsers throw commander's InvalidArgumentError, so a bad flag is one line and exit 2.
 */
import { InvalidArgumentError } from "commander";
import type { AppClientOptions } from "../scenario/app-steps.js";

/** `--transports websocket` or `polling,websocket`. */
export function parseTransports(value: string): string[] {
  const list = value.split(",").map((t) => t.trim()).filter(Boolean);
  const bad = list.find((t) => t !== "polling" && t !== "websocket");
  if (bad || list.length === 0) throw new InvalidArgumentError(`expected polling and/or websocket, comma-separated (got "${value}").`);
  return list;
}

/** `--namespace /admin`. */
export function parseNamespace(value: string): string {
  if (!value.startsWith("/")) throw new InvalidArgumentError(`a namespace starts with "/" (got "${value}").`);
  return value;
}

/** `--auth '{"token":"x"}'`. */
export function parseAuth(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InvalidArgumentError(`expected a JSON object, e.g. '{"token":"x"}' (got ${value}).`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new InvalidArgumentError("expected a JSON object.");
  return parsed as Record<string, unknown>;
}

/** One `--emit` or `--emit-ack`. */
export type EmitFlag = AppClientOptions["emits"][number];

/**
 * `--emit 'event=<json>'` (no ack) and `--emit-ack 'event=<json>'` (waits for the ack): a JSON
 * array is the argument list, anything else one argument.
 */
export function parseEmit(value: string, ack = false): EmitFlag {
  const at = value.indexOf("=");
  const event = at < 0 ? value : value.slice(0, at);
  if (!event) throw new InvalidArgumentError(`expected event=<json> (got "${value}").`);
  let args: unknown[] = [];
  if (at >= 0) {
    try {
      const parsed = JSON.parse(value.slice(at + 1)) as unknown;
      args = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      throw new InvalidArgumentError(`the data after "=" must be JSON (got ${value.slice(at + 1)}).`);
    }
  }
  return { event, args, ack };
}

/** `--timeout 5000`: how long the built-in client waits for each ack, in ms. */
export function parseTimeout(value: string): number {
  const ms = Number(value);
  if (!/^\d+$/.test(value) || ms < 1 || ms > 600_000) throw new InvalidArgumentError(`expected milliseconds from 1 to 600000 (got "${value}").`);
  return ms;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

/** `--header 'Name: value'` (repeatable): sent with every HTTP request and the WebSocket handshake. */
export function parseHeader(value: string, previous: Readonly<Record<string, string>> = {}): Record<string, string> {
  const at = value.indexOf(":");
  const name = at < 0 ? "" : value.slice(0, at).trim();
  if (!TOKEN.test(name)) throw new InvalidArgumentError(`expected 'Name: value' with a header name of letters, digits and -_. (got "${value}").`);
  const text = value.slice(at + 1).trim();
  if (CONTROL.test(text)) throw new InvalidArgumentError(`a header value cannot hold control characters or line breaks (got ${JSON.stringify(value)}).`);
  return { ...previous, [name.toLowerCase()]: text };
}

/** `--cookie 'name=value'` (repeatable): joined into one Cookie header, as a browser sends them. */
export function parseCookie(value: string, previous: readonly string[] = []): string[] {
  const at = value.indexOf("=");
  const name = at < 0 ? "" : value.slice(0, at);
  const text = value.slice(at + 1);
  if (!TOKEN.test(name)) throw new InvalidArgumentError(`expected name=value with a cookie name of letters, digits and -_. (got "${value}").`);
  if (/[;,\s"\\]/.test(text) || CONTROL.test(text)) throw new InvalidArgumentError(`a cookie value cannot hold ; , spaces, quotes or backslashes (got ${JSON.stringify(value)}); percent-encode them.`);
  return [...previous, `${name}=${text}`];
}

/** `--query 'room=blue'` or `'a=1&b=2'` (repeatable): added to the handshake URL's query. */
export function parseQuery(value: string, previous: Readonly<Record<string, string>> = {}): Record<string, string> {
  const out: Record<string, string> = { ...previous };
  for (const pair of value.split("&")) {
    const at = pair.indexOf("=");
    const key = at < 0 ? "" : pair.slice(0, at);
    if (!key || CONTROL.test(pair)) throw new InvalidArgumentError(`expected key=value, several joined with & (got "${value}").`);
    if (["EIO", "transport", "sid", "t", "j", "b64"].includes(key)) throw new InvalidArgumentError(`"${key}" is Engine.IO's own query parameter; pick another name.`);
    try {
      out[key] = decodeURIComponent(pair.slice(at + 1));
    } catch {
      throw new InvalidArgumentError(`"${pair}" is not valid percent-encoding.`);
    }
  }
  return out;
}

/** `--client builtin|none`. */
export function parseClient(value: string): "builtin" | "none" {
  if (value !== "builtin" && value !== "none") throw new InvalidArgumentError(`expected builtin or none (got "${value}").`);
  return value;
}
