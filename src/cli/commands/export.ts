/**
 * `trace-socket export`: a markdown report (or the whole trace as JSON) of
 * the built-in chat or the user's own app, run headless, or of a trace file
 * (`--from`). Written atomically; the path written is printed. Bad input
 * files and unwritable paths are `UsageError`s (exit 2), checked before
 * anything runs.
 */
import { relative } from "node:path";
import type { Trace } from "../../trace/model.js";
import { EXIT } from "../errors.js";
import type { ExportFlags } from "../export-flags.js";
import { checkOutputPath, writeExport, writeText } from "../export-writer.js";
import { resolveMode, type Mode } from "../mode.js";
import { outputOf } from "../output.js";
import type { RunSettings } from "../settings.js";
import { readTraceInput } from "../trace-input.js";
import { worksheetOf } from "../worksheet-output.js";

/** The mode of an `export` that records or reads one trace. */
export type ExportMode = Extract<Mode, { kind: "export" }>;

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function recordFor(mode: ExportMode, settings: RunSettings): Promise<Trace | undefined> {
  const input = mode.input;
  if (input.kind === "file") return readTraceInput(input.from);
  const { recordApp, recordScenario } = await import("../record-trace.js");
  const target = input.target;
  if (target.kind === "app") {
    if (process.stderr.isTTY) process.stderr.write("trace-socket: running your app headless…\n");
    const recording = await recordApp(target, settings);
    return recording.interrupted ? undefined : recording.trace;
  }
  if (process.stderr.isTTY) process.stderr.write(`trace-socket: running ${target.kind === "builtin" && target.scenario ? `the ${target.scenario} lesson` : "the default lesson"} headless…\n`);
  const recording = await recordScenario({ scenario: target.kind === "builtin" ? target.scenario : undefined, host: settings.host, port: settings.port, command: settings.command, ...(settings.redis !== undefined ? { redis: settings.redis } : {}) });
  return recording.interrupted ? undefined : recording.trace;
}

/** Runs an `export` mode; returns the exit code. */
export async function runExportMode(mode: ExportMode, settings: RunSettings): Promise<number> {
  await checkOutputPath(mode.output);
  const trace = await recordFor(mode, settings);
  if (!trace) {
    process.stderr.write("trace-socket: interrupted; nothing written\n");
    return EXIT.interrupted;
  }
  const written = settings.predict
    ? await writeText(mode.output, [await worksheetOf(trace, settings.predict.seed, mode.stable)])
    : await writeExport(trace, { output: mode.output, format: mode.format, stable: mode.stable, offline: settings.offline });
  if (written.path !== "-") await outputOf().write(`wrote ${relative(process.cwd(), written.path) || written.path} (${size(written.bytes)}, ${trace.steps.length} steps)\n`);
  return EXIT.ok;
}

/** Runs `export` of the built-in chat or a trace file from its flags; returns the exit code. `argv` is the command line after `trace-socket`. */
export function runExport(flags: ExportFlags, argv: readonly string[]): Promise<number> {
  const input = { command: "export", args: [], interactive: false, json: false, server: "node", compare: false, given: new Set<string>(), ...flags } as const;
  const mode = resolveMode(input, {}, { stdin: false, stdout: false }) as ExportMode;
  const settings: RunSettings = { host: flags.host, hostGiven: false, port: flags.port, offline: flags.offline, color: false, command: ["trace-socket", ...argv].join(" "), client: "builtin", namespace: "/", emit: [] };
  return runExportMode(mode, settings);
}
