/**
 * How a traced Node app's failure reads: a known failure (a port in use) said
 * plainly, an unexpected exit with the app's last stderr lines.
 */
import type { LogLine } from "../../trace/model.js";
import { howItEnded } from "../child.js";

/** Says plainly what a well-known failure means (a port in use), else returns the text as it is. */
export function explainFailure(text: string): string {
  const inUse = /EADDRINUSE[^\n]*?(?:(\S+):(\d+))?$/m.exec(text);
  if (inUse) return `port ${inUse[2] ?? "(unknown)"} is already in use: the app could not listen (${inUse[0].trim()})`;
  return text;
}

/** A readable account of a traced process that ended unexpectedly, from its last stderr lines. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null, logs: readonly LogLine[]): string {
  const stderr = logs.filter((l) => l.source === "stderr").slice(-15).map((l) => l.text);
  const text = stderr.join("\n");
  return explainFailure(`the traced app exited unexpectedly (${howItEnded(code, signal)})${stderr.length ? `:\n${text}` : ""}`);
}
