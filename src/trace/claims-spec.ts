/**
 * Claims: the sentences a step says about the run, each with the check that
 * proves it on the trace of this run. A scenario declares them as data
 * (`traces/<name>/claims.json`); nothing here knows a scenario.
 *
 * The vocabulary is deliberately small: calls (by name), their nesting and
 * order, frames on the wire (by layer), the call that wrote a frame, and the
 * live values the narration quotes. A claim no run could prove (a design
 * reason, a comparison with another library) carries `because` instead of a
 * check, and is shown as such, never as something seen.
 */

/**
 * A function as the trace names it (`Socket._onconnect`, `<anonymous request
 * listener in Server.attach>`). Matches the whole name, or the name before a
 * parenthesised qualifier (`Server.on` matches `Server.on (EventEmitter delegate)`).
 * A `pkg:` prefix (`engine.io:Server.init`) also requires the package. `*` is
 * any function (`app:*`: any of the app's own); `@file:line` is the function
 * declared at that line (the file by its path or the path's tail).
 */
export type CallName = string;

/** What a frame must look like. Every field given must match; strings allow `{placeholders}`. */
export interface FrameMatch {
  /** Seen from the traced server: `in` was read, `out` was written. */
  readonly dir?: "in" | "out";
  /** HTTP request method (`GET`, `POST`), for polling requests and the upgrade. */
  readonly method?: string;
  /** HTTP request target starts with this (`/socket.io/?EIO=4`). */
  readonly target?: string;
  /** HTTP response status. */
  readonly status?: number;
  /** The HTTP request's or response's body starts with this (`{"code":1,`): what an error answer says. */
  readonly body?: string;
  /** RFC 6455 opcode name: `text`, `binary`, `close`, `ping`, `pong`. */
  readonly ws?: string;
  /** For a close frame: its status code, or `null` for a close frame without one. */
  readonly closeCode?: number | null;
  /** An Engine.IO packet of this name (`open`, `ping`, `pong`, `upgrade`, `message`…). */
  readonly eio?: string;
  /** A Socket.IO packet of this name (`CONNECT`, `EVENT`, `ACK`, `DISCONNECT`, `CONNECT_ERROR`…). */
  readonly sio?: string;
  /** The Socket.IO packet's namespace. */
  readonly nsp?: string;
  /** The Socket.IO event name. */
  readonly event?: string;
  /** The Socket.IO packet is attachment N (from 0) of a BINARY_EVENT / BINARY_ACK: its bytes, sent apart from the header. */
  readonly attachment?: number;
  /** The printable message starts with this (`40{"sid":`). */
  readonly raw?: string;
  /** Fields of the packet's JSON data (Engine.IO open or Socket.IO payload) and the text each must equal. */
  readonly data?: Readonly<Record<string, string | number | boolean>>;
  /** On a Redis connection: the command (`PUBLISH`, `PSUBSCRIBE`) or push (`pmessage`, `message`). */
  readonly redis?: string;
  /** The Redis channel (or pattern) starts with this (`socket.io#/#`). */
  readonly channel?: string;
  /** The adapter's message inside: its type name (`REMOTE_FETCH`) or its channel's role (`broadcast`, `request`, `response`). */
  readonly adapter?: string;
  /** In a run of several servers: the message is on a connection of this server (`A`). */
  readonly server?: string;
}

/** A message one server published and another received (`Trace.links`), by channel prefix and servers. */
export interface LinkMatch {
  readonly channel?: string;
  readonly from?: string;
  readonly to?: string;
}

/** A test on one source line (trimmed): every field given must hold. */
export interface LineTest {
  readonly includes?: string;
  readonly startsWith?: string;
}

/** The line a call was made from, in its caller's file; `by` also names the caller. */
export interface CalledFrom extends LineTest {
  readonly by?: CallName;
}

/** Reads line `line` (1-based) of a traced file (as the trace names it); undefined when unreadable. */
export type LineReader = (file: string, line: number) => string | undefined;

/**
 * A check over the trace. The step's own calls and frames unless `scope` says `run`.
 * `call` holds when some call of that name ran (under `under`, and not under `notUnder`,
 * when given); "under" follows callers and, for async continuations, the call that
 * scheduled them. `order` holds when calls of the names began in that order.
 */
export type Check =
  | {
      readonly call: CallName;
      readonly under?: CallName;
      readonly notUnder?: CallName;
      /** The call was made from a line of its caller that passes the test (the Python tracer records that line). */
      readonly calledFrom?: CalledFrom;
      /** The line just above the function's own first line passes the test: the branch it is defined in. */
      readonly lineAbove?: LineTest;
      readonly scope?: Scope;
    }
  | { readonly order: readonly CallName[]; readonly scope?: Scope }
  | { readonly frame: FrameMatch; readonly writtenBy?: CallName; readonly scope?: Scope }
  | { readonly frame: FrameMatch; readonly before: FrameMatch; readonly scope?: Scope }
  | { readonly frame: FrameMatch; readonly beforeCall: CallName; readonly scope?: Scope }
  | { readonly frame: FrameMatch; readonly afterCall: CallName; readonly scope?: Scope }
  | { readonly noFrame: FrameMatch; readonly scope?: Scope }
  /**
   * A message published in this step reached another server: the receiving server's call that
   * its bytes started ran `receivedBy` (at any depth), and a frame matching `reaches` was written under it.
   */
  | { readonly link: LinkMatch; readonly receivedBy?: CallName; readonly reaches?: FrameMatch }
  | { readonly value: string; readonly equals: string }
  /** A line the server (`server`: its stdout) or the built-in client printed includes this text. */
  | { readonly log: "server" | "client"; readonly includes: string; readonly scope?: Scope }
  | { readonly all: readonly Check[] }
  | { readonly any: readonly Check[] }
  | { readonly not: Check };

/** Where a check looks: the step's calls and frames, or the whole run. */
export type Scope = "step" | "whole-run";

/** One sentence of a step's narration, as declared. */
export type ClaimSpec =
  | { readonly say: string; readonly check: Check }
  /** A sentence nothing on a run could prove: the reason it is not checked. */
  | { readonly say: string; readonly because: string };

/** The claims of a scenario, by step id. */
export type ClaimsFile = Readonly<Record<string, readonly ClaimSpec[]>>;

export type { ClaimResult, ClaimStatus } from "./model.js";
