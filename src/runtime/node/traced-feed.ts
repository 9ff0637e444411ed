/**
 * What the traced process tells the CLI, taken in: records, chunks and
 * functions into the collector; call sites, pauses, notices and the app's own
 * outcome beside it. Messages come over IPC and, after the process died, from
 * its spill file, which repeats what was in flight: numbered messages already
 * taken are skipped, so nothing counts twice.
 */
import { readFileSync, rmSync } from "node:fs";
import { deserialize } from "node:v8";
import type { Collector } from "../collector.js";
import type { CallSite } from "../../instrument/call-sites.js";
import type { FromTraced, ServerState } from "./protocol.js";
import { readOverflow } from "./overflow-file.js";
import type { ListenerRef } from "./protocol.js";

/** Listener lists and server configuration seen at a server pause. */
export interface PauseSnapshot {
  readonly listeners: Record<string, readonly ListenerRef[]>;
  readonly servers: readonly ServerState[];
}

/** Whether a message adds to the trace (rather than answering the runner). */
function isTraced(message: FromTraced): boolean {
  return message.t !== "marked" && message.t !== "paused" && message.t !== "settled" && message.t !== "described" && message.t !== "acted";
}

/** The messages that only add to the collector. */
type CollectorMessage = Extract<FromTraced, { readonly t: "hello" | "functions" | "records" | "tap" | "debug" }>;

/** How each message that only adds to the collector does it. */
const INTO_COLLECTOR: { readonly [T in CollectorMessage["t"]]: (c: Collector, message: Extract<CollectorMessage, { readonly t: T }>) => void } = {
  hello: (c, message) => c.setOrigin(message.timeOrigin),
  functions: (c, message) => c.addFunctions(message.list),
  records: (c, message) => c.addRecords(message.batch),
  tap: (c, message) => c.addTap(message.batch),
  debug: (c, message) => c.addDebug(message.batch),
};

/** The traced process's messages, taken in. */
export class TracedFeed {
  /** By step index. */
  readonly pauses = new Map<number, PauseSnapshot>();
  readonly sites = new Map<number, CallSite>();
  readonly notices: string[] = [];
  /** The app's start-up finished (its entry module resolved). */
  appDone = false;
  /** Number of the last message taken. */
  private last = 0;

  constructor(
    private readonly collector: Collector,
    /** The app threw, uncaught: its stack (the process explains a known failure, knowing its environment). */
    private readonly onAppError: (text: string) => void,
    /** Something was added to the trace: by this message. */
    private readonly onTraced: (message: FromTraced) => void,
    /** The process's overflow file (`overflow-file.ts`), read at each notice of a batch written there. */
    private readonly overflowFile?: string,
  ) {}

  /** Takes one message in. */
  take(received: FromTraced & { readonly n?: number }): void {
    if (received.n !== undefined) {
      if (received.n <= this.last) return;
      this.last = received.n;
    }
    const message = received.t === "overflow" ? this.fromOverflow(received) : received;
    const c = this.collector;
    // The table's messages are typed per kind; the lookup by kind cannot say so.
    const into = Object.hasOwn(INTO_COLLECTOR, message.t) ? (INTO_COLLECTOR[message.t as CollectorMessage["t"]] as (c: Collector, message: FromTraced) => void) : undefined;
    into?.(c, message);
    switch (message.t) {
      case "sites":
        for (const site of message.list) this.sites.set(site.index, site);
        break;
      case "paused":
        this.pauses.set(message.step, { listeners: message.listeners, servers: message.servers });
        break;
      case "app-done":
        this.appDone = true;
        break;
      case "app-error":
        this.onAppError(`the traced app threw: ${message.stack}`);
        break;
      case "notice":
        this.notices.push(message.text);
        break;
      case "transform-failed":
        c.addLog("stderr", `trace-socket: could not instrument ${message.file}: ${message.reason}`);
        break;
      default:
        break;
    }
    if (isTraced(message)) this.onTraced(message);
  }

  /** The batch an overflow notice stands for, read from the file; its counted stand-in if it cannot be. */
  private fromOverflow(notice: Extract<FromTraced, { readonly t: "overflow" }>): FromTraced {
    const batch = this.overflowFile ? readOverflow(this.overflowFile, notice) : undefined;
    if (batch?.t === "records" || batch?.t === "tap") return batch;
    this.collector.addLog("stderr", `trace-socket: a batch the traced process wrote to its overflow file could not be read; what it held is counted as dropped`);
    return notice.fallback;
  }

  /** Takes in the spill file the process wrote as it ended, if any, and removes it. */
  takeSpill(file: string): void {
    let rest: FromTraced[];
    try {
      rest = deserialize(readFileSync(file)) as FromTraced[];
      rmSync(file, { force: true });
    } catch {
      // No spill: the process ended after sending everything.
      return;
    }
    for (const message of rest) this.take(message);
  }
}
