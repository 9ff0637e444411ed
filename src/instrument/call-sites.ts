/**
 * Where the app called into the library: while the app starts up, each call
 * from the app's own code into the family (and each `listen`) is noted with the
 * app's file:line, read from a stack trace. Only during start-up: a stack trace
 * costs microseconds, which the hot path of a running server must not pay.
 */
import { fileURLToPath } from "node:url";
import { relative } from "node:path";
import { isAppFile } from "./family.js";

/** A line of the app that called into the library. */
export interface CallSite {
  readonly index: number;
  /** Relative to the project root. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** What was called: a traced function's id, or `listen`. */
  readonly callee: number | "listen";
}

const FRAME = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):(\d+):(\d+)\)?$/;

/** Finds the first frame of `stack` that is in the app's own files. */
export function appFrame(stack: string, appRoot: string): { path: string; line: number; column: number } | undefined {
  for (const raw of stack.split("\n").slice(1)) {
    const match = FRAME.exec(raw.trim());
    if (!match) continue;
    const path = match[1].startsWith("file://") ? fileURLToPath(match[1]) : match[1];
    if (isAppFile(path, appRoot)) return { path, line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}

/** Collects call sites; `capture` is called from the recorder's site hook or the listen patch. */
export class CallSites {
  private readonly sites: CallSite[] = [];
  private queued: CallSite[] = [];
  private readonly byKey = new Map<string, number>();

  constructor(
    private readonly appRoot: string,
    private readonly projectRoot: string,
  ) {}

  /** Notes the app frame of the current stack, below `above`; returns the site index or -1. */
  capture(callee: number | "listen", above: (...args: never[]) => unknown): number {
    const holder: { stack?: string } = {};
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 20;
    Error.captureStackTrace(holder, above);
    Error.stackTraceLimit = limit;
    const frame = appFrame(holder.stack ?? "", this.appRoot);
    if (!frame) return -1;
    const key = `${frame.path}:${frame.line}:${frame.column}:${callee}`;
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const site: CallSite = {
      index: this.sites.length,
      file: relative(this.projectRoot, frame.path).replaceAll("\\", "/"),
      line: frame.line,
      column: frame.column,
      callee,
    };
    this.sites.push(site);
    this.queued.push(site);
    this.byKey.set(key, site.index);
    return site.index;
  }

  /** Sites noted since the last drain. */
  drain(): CallSite[] {
    const out = this.queued;
    this.queued = [];
    return out;
  }
}
