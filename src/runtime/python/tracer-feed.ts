/**
 * What the Python tracer has reported so far, kept as its messages arrive:
 * its hello, the traced functions and call records (moved onto the CLI's
 * clock and capped), each step's pause and anchor line, where the app
 * listens, and how the app ended. Apart from the runner, which drives the
 * processes and the steps, because this is the bookkeeping of one message
 * stream and does no I/O of its own.
 */
import type { Collector } from "../collector.js";
import type { FromPython, PyFunctionInfo, PyRecord, PyStepLine } from "./protocol.js";

/** What the tracer reported at a pause: live configuration and the WSGI chain. */
export interface FlaskPause {
  readonly values: Readonly<Record<string, string>>;
  readonly wsgi: readonly string[];
}

/** Records kept when the runner's options do not say: enough for long sessions, bounded all the same. */
const DEFAULT_MAX_RECORDS = 2_000_000;

/** The tracer's stream, as far as it has arrived. */
export class TracerFeed {
  readonly functions: PyFunctionInfo[] = [];
  readonly records: PyRecord[] = [];
  readonly pauses = new Map<number, FlaskPause>();
  readonly stepLines = new Map<number, PyStepLine>();
  hello?: Extract<FromPython, { t: "hello" }>;
  /** Where the Python server listens, once it does. */
  listening?: { readonly host: string; readonly port: number };
  /** Records the tracer dropped, plus those past `maxRecords`. */
  droppedCalls = 0;
  /** Added to the tracer's times to place them on the collector's clock. */
  offset = 0;
  /** The app's script ran to its end. */
  appDone = false;
  /** The app raised: what it said. */
  appError?: string;

  /**
   * @param collector where the tracer's notices go, and whose start time the
   *   tracer's clock is placed against
   * @param maxRecords records kept in all; past it they are dropped and counted
   */
  constructor(
    private readonly collector: Collector,
    private readonly maxRecords = DEFAULT_MAX_RECORDS,
  ) {}

  /** Takes in one message of the tracer's stream. */
  ingest(message: FromPython): void {
    switch (message.t) {
      case "hello":
        this.hello = message;
        this.offset = message.timeOrigin - this.collector.startedAt;
        break;
      case "steps":
        for (const line of message.list) this.stepLines.set(line.step, line);
        break;
      case "functions":
        this.functions.push(...message.list);
        break;
      case "records": {
        for (const [seq, op, fn, time, task, line, link] of message.r) {
          if (this.records.length >= this.maxRecords) {
            this.droppedCalls++;
            continue;
          }
          this.records.push([seq, op, fn, time + this.offset, task, line, link]);
        }
        break;
      }
      case "dropped":
        this.droppedCalls += message.calls;
        break;
      case "paused":
        this.pauses.set(message.step, { values: message.values, wsgi: message.wsgi });
        break;
      case "listening":
        this.listening = { host: message.host, port: message.port };
        break;
      case "notice":
        this.collector.addLog("stderr", `trace-socket: ${message.text}`);
        break;
      case "app-done":
        this.appDone = true;
        break;
      case "app-error":
        this.appError = `the Flask app raised: ${message.stack}`;
        break;
      default:
        break;
    }
  }
}
