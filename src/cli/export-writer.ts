/**
 * Writing a trace as a markdown report or a JSON trace file: atomically to a
 * file, or to stdout (`-o -`) through the one output writer, which stops
 * quietly when the reader goes away. Used by `export` and the stepper's `e`.
 * Unwritable paths are `UsageError`s (exit 2), checkable before any work.
 */
import { access, stat } from "node:fs/promises";
import { constants } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { INSTALL_ROOT } from "../trace/scenario.js";
import type { Trace } from "../trace/model.js";
import { serializeTracePieces } from "../trace/trace-file.js";
import { describeWriteError, writeFileAtomic, WriteError } from "../trace/atomic-write.js";
import { STABLE_DATE, stabilize } from "../export/stabilize.js";
import { UsageError } from "./errors.js";
import type { ExportFormat } from "./export-flags.js";
import { outputOf } from "./output.js";

/** What `writeExport` needs besides the trace. */
export interface WriteExportOptions {
  /** File to write, or `-` for `stdout`. */
  readonly output: string;
  readonly format: ExportFormat;
  readonly stable: boolean;
  readonly offline: boolean;
  /** Project root the trace's paths are relative to; default: trace-socket's own for built-in scenarios, else the current folder. */
  readonly projectRoot?: string;
  /** Where `-` writes; default `process.stdout`. */
  readonly stdout?: NodeJS.WritableStream;
  /** Source index cache; default: the index's own. */
  readonly cacheDir?: string;
}

/** The project root a trace's relative paths start from. */
export function projectRootOf(trace: Trace, cwd: string = process.cwd()): string {
  return /^[\w-]+$/.test(trace.meta.scenario) ? INSTALL_ROOT : cwd;
}

function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

/** Throws `UsageError` unless `output` can be written: its folder exists and is writable, and it is not a folder. */
export async function checkOutputPath(output: string): Promise<void> {
  if (output === "-") return;
  const target = resolve(output);
  const folder = dirname(target);
  const folderStat = await stat(folder).catch((error: unknown) => {
    throw new UsageError(describeWriteError(output, error));
  });
  if (!folderStat.isDirectory()) throw new UsageError(describeWriteError(output, { code: "ENOTDIR" }));
  if ((await stat(target).catch(() => undefined))?.isDirectory()) throw new UsageError(describeWriteError(output, { code: "EISDIR" }));
  await access(folder, constants.W_OK).catch((error: unknown) => {
    throw new UsageError(describeWriteError(output, error));
  });
}

/**
 * Renders `trace` in `format` and writes it (atomically, unless to stdout).
 * Returns what was written. Also the stepper's `e` key. Throws `UsageError`
 * when the file cannot be written.
 */
export async function writeExport(trace: Trace, options: WriteExportOptions): Promise<{ readonly path: string; readonly bytes: number }> {
  // A trace written with --stable renders as stable whatever the flags: its dates and timings are placeholders.
  const stable = options.stable || trace.meta.startedAt === STABLE_DATE;
  const shown = stable ? stabilize(trace) : trace;
  const projectRoot = options.projectRoot ?? projectRootOf(trace);
  const folder = options.output === "-" ? process.cwd() : dirname(resolve(options.output));
  let pieces: Iterable<string>;
  if (options.format === "json") {
    pieces = serializeTracePieces(shown);
  } else {
    const [{ gatherSources }, { renderMarkdown }] = await Promise.all([import("../export/gather-sources.js"), import("../export/markdown.js")]);
    const sources = await gatherSources(shown, { projectRoot, offline: options.offline, ...(options.cacheDir !== undefined && { cacheDir: options.cacheDir }) });
    pieces = [renderMarkdown(shown, sources, { stable, linkBase: toPosix(relative(folder, projectRoot)) })];
  }
  return writeText(options.output, pieces, options.stdout);
}

/**
 * Writes rendered text to `output` (atomically), or to stdout for `-`;
 * returns what was written. Throws `UsageError` when the file cannot be written.
 */
export async function writeText(output: string, pieces: Iterable<string>, stdout?: NodeJS.WritableStream): Promise<{ readonly path: string; readonly bytes: number }> {
  if (output === "-") return { path: "-", bytes: await outputOf(stdout).writeAll(pieces) };
  try {
    return await writeFileAtomic(output, pieces);
  } catch (error) {
    if (error instanceof WriteError) throw new UsageError(error.message);
    throw error;
  }
}
