/**
 * `trace-socket export`: a markdown report (or the whole trace as JSON) of the
 * built-in scenario, run headless, or of a trace file (`--from`). Written
 * atomically; the path written is printed. Bad input files and unwritable
 * paths are `UsageError`s (exit 2), checked before the scenario runs.
 */
import { access, stat } from "node:fs/promises";
import { constants } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { PACKAGE_ROOT } from "../trace/scenario.js";
import type { Trace } from "../trace/model.js";
import { serializeTracePieces } from "../trace/trace-file.js";
import { describeWriteError, writeFileAtomic, WriteError } from "../trace/atomic-write.js";
import { STABLE_DATE, stabilize } from "../export/stabilize.js";
import { EXIT, UsageError } from "./errors.js";
import { readTraceInput } from "./trace-input.js";
import { parseFormat, type ExportFlags, type ExportFormat } from "./export-flags.js";

export { parseFormat, type ExportFlags, type ExportFormat } from "./export-flags.js";

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

/** A reader that went away (`| head`) ends the output quietly, as for any filter. */
function ignoreClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== "EPIPE") throw error;
}

async function writeStdout(out: NodeJS.WritableStream, pieces: Iterable<string>): Promise<{ readonly path: string; readonly bytes: number }> {
  if (!out.listeners("error").includes(ignoreClosedPipe)) out.on("error", ignoreClosedPipe);
  let bytes = 0;
  for (const piece of pieces) {
    if ((out as { destroyed?: boolean }).destroyed) break;
    bytes += Buffer.byteLength(piece);
    if (!out.write(piece)) {
      await new Promise<void>((done) => {
        const finish = (): void => {
          out.off("drain", finish);
          out.off("close", finish);
          done();
        };
        out.on("drain", finish);
        out.on("close", finish);
      });
    }
  }
  return { path: "-", bytes };
}

/** The project root a trace's relative paths start from. */
export function projectRootOf(trace: Trace, cwd: string = process.cwd()): string {
  return /^[\w-]+$/.test(trace.meta.scenario) ? PACKAGE_ROOT : cwd;
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
  if (options.output === "-") return writeStdout(options.stdout ?? process.stdout, pieces);
  try {
    return await writeFileAtomic(options.output, pieces);
  } catch (error) {
    if (error instanceof WriteError) throw new UsageError(error.message);
    throw error;
  }
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Runs `export`; returns the exit code. `argv` is the command line after `trace-socket`, for the trace's metadata. */
export async function runExport(flags: ExportFlags, argv: readonly string[]): Promise<number> {
  const format = parseFormat(flags.format);
  const output = flags.output ?? (format === "json" ? "trace.json" : "trace.md");
  await checkOutputPath(output);
  let trace: Trace;
  if (flags.from !== undefined) {
    trace = await readTraceInput(flags.from);
  } else {
    const { recordScenario } = await import("./record-trace.js");
    if (process.stderr.isTTY) process.stderr.write("trace-socket: running the chat scenario headless…\n");
    const recording = await recordScenario({ host: flags.host, port: flags.port, command: ["trace-socket", ...argv].join(" ") });
    if (recording.interrupted) {
      process.stderr.write("trace-socket: interrupted; nothing written\n");
      return EXIT.interrupted;
    }
    trace = recording.trace;
  }
  const written = await writeExport(trace, { output, format, stable: flags.stable, offline: flags.offline });
  if (written.path !== "-") process.stdout.write(`wrote ${relative(process.cwd(), written.path) || written.path} (${size(written.bytes)}, ${trace.steps.length} steps)\n`);
  return EXIT.ok;
}
