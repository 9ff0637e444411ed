/**
 * Reading a user's app for what to claim about it: which of its functions a
 * start-up line registers, which listeners those register in turn, and which
 * socket.io calls their own bodies make. This only chooses what to claim;
 * whether it happened is decided on the run (`src/claims`), so a guess that
 * misses shows as "not seen", never as fact.
 */
import type { FunctionInfo } from "../trace/model.js";

/** The app's own code: its traced functions and its files' lines. */
export interface AppSource {
  /** The app's functions (`pkg: "app"`), as the trace names them. */
  readonly functions: readonly FunctionInfo[];
  /** The lines of one of the app's files (relative to the project root); empty when unreadable. */
  lines(file: string): readonly string[];
}

/** One of the app's functions, found from the line that hands it to socket.io. */
export interface AppFunction {
  /** How a claim names it: the function declared at that line (`@server.js:16`). */
  readonly ref: string;
  /** Where it is, for sentences: `server.js:16`. */
  readonly place: string;
  readonly fn: FunctionInfo;
}

/** A listener an app function registers inside its body: `socket.on("message", onMessage)`. */
export interface NestedListener {
  readonly event: string;
  readonly handler: AppFunction;
}

/** What an app function's own body (not the functions nested in it) calls. */
export interface BodyCalls {
  readonly joins: boolean;
  readonly leaves: boolean;
  /** `socket.emit(…)` or `this.emit(…)`: to the socket's own client. */
  readonly emitsToSocket: boolean;
  /** `.to(room).emit`, `io.emit`, `.broadcast.emit`: through a BroadcastOperator. */
  readonly broadcasts: boolean;
  readonly disconnects: boolean;
  readonly listeners: readonly NestedListener[];
}

const EVENT = /\.(?:on|once)\(\s*(["'`])(.*?)\1/;
const HANDED = /\(\s*(?:(["'`]).*?\1\s*,\s*)?([A-Za-z_$][\w$]*)\s*\)\s*;?\s*$/;

function shortFile(file: string): string {
  return file.slice(file.lastIndexOf("/") + 1);
}

function appFunction(fn: FunctionInfo): AppFunction {
  const place = `${shortFile(fn.file)}:${fn.line}`;
  return { ref: `@${fn.file}:${fn.line}`, place, fn };
}

/** The event a registration line names: `io.on("connection", …)` → `connection`. */
export function eventOf(text: string): string | undefined {
  return EVENT.exec(text)?.[2];
}

/**
 * The app function a line hands to socket.io: one declared on that line after
 * `from` (the outermost, when several are), else one named by the call's last
 * argument (`io.use(auth)`).
 */
export function handedFunction(source: AppSource, file: string, line: number, text: string, from = 0): AppFunction | undefined {
  const declared = source.functions
    .filter((f) => f.file === file && f.line === line && f.column - 1 >= from)
    .sort((a, b) => a.column - b.column)[0];
  if (declared) return appFunction(declared);
  const name = HANDED.exec(text)?.[2];
  const named = name ? source.functions.find((f) => f.name === name || f.member === name) : undefined;
  return named ? appFunction(named) : undefined;
}

/** The body's own text, line by line (`offset`: the column its text starts at); functions declared inside it are cut out. */
function ownLines(source: AppSource, fn: FunctionInfo): { line: number; offset: number; text: string }[] {
  const lines = source.lines(fn.file);
  const nested = source.functions.filter((f) => f.file === fn.file && f !== fn && (f.line > fn.line || (f.line === fn.line && f.column > fn.column)) && f.endLine <= fn.endLine);
  const out: { line: number; offset: number; text: string }[] = [];
  for (let n = fn.line; n <= fn.endLine && n <= lines.length; n++) {
    if (nested.some((f) => n > f.line && n <= f.endLine)) continue;
    let text = lines[n - 1];
    const starts = nested.filter((f) => f.line === n).sort((a, b) => a.column - b.column)[0];
    // The nested function's line keeps what precedes it: the `socket.on("x",` that hands it over.
    if (starts) text = text.slice(0, starts.column - 1);
    const offset = n === fn.line ? fn.column - 1 : 0;
    out.push({ line: n, offset, text: text.slice(offset) });
  }
  return out;
}

/** What `fn`'s own body calls on sockets and namespaces, read from its source. */
export function bodyCalls(source: AppSource, fn: FunctionInfo): BodyCalls {
  const lines = ownLines(source, fn);
  const params = /^\s*(?:async\s+)?(?:function\b[^(]*)?\(?\s*([A-Za-z_$][\w$]*)/.exec(lines[0]?.text ?? "")?.[1];
  const self = new Set(["this", ...(params ? [params] : [])]);
  let emitsToSocket = false;
  let broadcasts = false;
  const listeners: NestedListener[] = [];
  for (const { line, offset, text } of lines) {
    for (const match of text.matchAll(/([\w$]+(?:\.[\w$]+|\([^()]*\))*)\.emit\(/g)) {
      // `socket.emit`/`this.emit` reach the socket's own client; `io.emit`, `.to(room).emit`, `.broadcast.emit` go through a BroadcastOperator.
      if (self.has(match[1])) emitsToSocket = true;
      else broadcasts = true;
    }
    const event = eventOf(text);
    if (event !== undefined) {
      const handler = handedFunction(source, fn.file, line, source.lines(fn.file)[line - 1] ?? "", offset + text.search(EVENT));
      if (handler) listeners.push({ event, handler });
    }
  }
  const all = lines.map((l) => l.text).join("\n");
  return {
    joins: /\.join\(/.test(all),
    leaves: /\.leave\(/.test(all),
    emitsToSocket,
    broadcasts,
    disconnects: /\.disconnect\(/.test(all),
    listeners,
  };
}
