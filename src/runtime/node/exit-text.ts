/**
 * How a traced Node app's failure reads: a known failure (a port in use) said
 * plainly, an unexpected exit with the app's last stderr lines.
 */
import type { LogLine } from "../../trace/model.js";
import { howItEnded } from "../child.js";

/**
 * Says plainly what a well-known failure means (a port in use), else returns the text as it is.
 * `appPort` is the `PORT` in the app's environment: when that is the port taken, the user's way
 * out is to change it, so the line names it.
 */
export function explainFailure(text: string, appPort?: string): string {
  const inUse = /EADDRINUSE[^\n]*?(?:(\S+):(\d+))?$/m.exec(text);
  if (!inUse) return text;
  const port = inUse[2];
  const fromEnv = port !== undefined && port === appPort ? ` — it is the app's PORT=${port}: set PORT to a free port (or 0 for any), or stop what holds it` : "";
  return `port ${port ?? "(unknown)"} is already in use: the app could not listen (${inUse[0].trim()})${fromEnv}`;
}

/** A readable account of a traced process that ended unexpectedly, from its last stderr lines. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null, logs: readonly LogLine[], appPort?: string): string {
  const stderr = logs.filter((l) => l.source === "stderr").slice(-15).map((l) => l.text);
  const text = stderr.join("\n");
  return explainFailure(`the traced app exited unexpectedly (${howItEnded(code, signal)})${stderr.length ? `:\n${text}` : ""}`, appPort);
}
