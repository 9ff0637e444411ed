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

/** `--emit 'event=<json>'` (repeatable): a JSON array is the argument list, anything else one argument. */
export function parseEmit(value: string, previous: AppClientOptions["emits"] = []): AppClientOptions["emits"] {
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
  return [...previous, { event, args }];
}

/** `--client builtin|none`. */
export function parseClient(value: string): "builtin" | "none" {
  if (value !== "builtin" && value !== "none") throw new InvalidArgumentError(`expected builtin or none (got "${value}").`);
  return value;
}
