/**
 * The log view: what the traced server and client printed (stdout, stderr,
 * socket.io's own `debug` output), captured into the trace instead of the
 * screen, with the time it was printed.
 */
import type { ReactNode } from "react";
import type { Dropped, LogLine } from "../trace/model.js";
import { sanitize } from "../export/text-fit.js";
import { ONE_PROCESS, seqText, type IdSpace } from "../trace/process-names.js";
import type { Line, Tone } from "./theme.js";
import { Pane, Rows } from "./pane.js";

/** Props of {@link LogPane}. */
export interface LogPaneProps {
  readonly logs: readonly LogLine[];
  readonly dropped: Dropped;
  readonly scroll: number;
  /** Stick to the last line. */
  readonly follow: boolean;
  readonly rows: number;
  readonly width: number;
  readonly color: boolean;
  /** The function name of a call, by seq, for the calls that printed `debug` lines. */
  readonly nameOf?: (seq: number) => string | undefined;
  /** How a call's seq is shown (`B #7` in a trace of several processes). */
  readonly ids?: IdSpace;
}

const TONES: Readonly<Record<LogLine["source"], Tone>> = { stdout: "plain", stderr: "warn", debug: "dim", client: "in" };

/**
 * The lines in time order. The server's, the client's and this process's own
 * lines arrive over different pipes, so the trace holds them in arrival
 * order; a stable sort keeps lines of the same millisecond as they came.
 */
export function byTime(logs: readonly LogLine[]): readonly LogLine[] {
  for (let i = 1; i < logs.length; i++) if (logs[i].time < logs[i - 1].time) return [...logs].sort((a, b) => a.time - b.time);
  return logs;
}

/** One log row; a `debug` line names the call that printed it (`#seq`, and its function when `nameOf` knows it). */
export function logRow(line: LogLine, nameOf?: (seq: number) => string | undefined, ids: IdSpace = ONE_PROCESS): Line {
  const name = line.call === undefined ? undefined : nameOf?.(line.call);
  const by = line.call === undefined ? "" : `[${seqText(ids, line.call)}${name ? ` ${name}` : ""}] `;
  return { text: `${(line.time / 1000).toFixed(3).padStart(8)}s ${line.source.padEnd(6)} ${by}${sanitize(line.text)}`, tone: TONES[line.source] };
}

/** The log view. */
export function LogPane({ logs, dropped, scroll, follow, rows, width, color, nameOf, ids }: LogPaneProps): ReactNode {
  const last = Math.max(0, logs.length - rows);
  const start = follow ? last : Math.min(scroll, last);
  const lines = logs.slice(start, start + rows).map((line) => logRow(line, nameOf, ids));
  const lost = dropped.logs ? ` · ${dropped.logs} dropped` : "";
  const title = `log · ${logs.length} lines${lost} · stdout stderr debug client · l/esc back`;
  return (
    <Pane title={title} focused width={width} rows={rows} color={color}>
      {logs.length === 0 ? <Rows lines={[{ text: "nothing printed yet", tone: "dim" }]} start={0} rows={1} width={width} color={color} /> : null}
      <Rows lines={lines} start={0} rows={rows} width={width} color={color} />
    </Pane>
  );
}
