/**
 * The `--server flask` and `--compare` modes: run the Flask-SocketIO chat under
 * the Python tracer (and, for `--compare`, the socket.io chat beside it) and
 * print the result. Errors are typed; `src/cli/main.ts` maps them to exit codes.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { EXIT, UsageError } from "../cli/errors.js";
import { printTrace } from "../cli/headless.js";
import { asRunError, runAllSteps, type StepRunner } from "../cli/run-steps.js";
import { Runner } from "../scenario/runner.js";
import { loadCounterpart, loadScenario, PACKAGE_ROOT } from "../trace/scenario.js";
import type { Trace } from "../trace/model.js";
import { FlaskRunner } from "./runner.js";
import { missingPythonMessage, probePython, pythonPath } from "./python-env.js";
import { checkFlaskFacts, type FactCheck, type LineReader } from "./facts.js";
import { compareSteps, renderCompare } from "./compare-text.js";
import { pythonPermalink } from "./permalinks.js";
import { loadFlaskLibraryDocs } from "./library-docs.js";

/** Flags the Flask modes read (a subset of the CLI's `RunFlags`). */
export interface FlaskFlags {
  readonly json: boolean;
  readonly color: boolean;
  readonly host: string;
  readonly port: number;
  /** Terminal width for `--compare`; defaults to stdout's columns, else 160. */
  readonly width?: number;
  /** Write the comparison as a markdown report to this file instead of printing it. */
  readonly output?: string;
}

async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once("drain", resolve));
}

/** Fails with a usage error (exit 2) and the install hint when the Python side is missing. */
export function requirePython(env: NodeJS.ProcessEnv = process.env): string {
  const probe = probePython(pythonPath(env));
  if (!probe.ok) throw new UsageError(missingPythonMessage(probe));
  return probe.python;
}

/** A line reader over the installed files (and the project's own, for relative paths), cached per file. */
export function fileLineReader(root: string = PACKAGE_ROOT): LineReader {
  const cache = new Map<string, string[] | undefined>();
  return (file, line) => {
    const path = isAbsolute(file) ? file : join(root, file);
    if (!cache.has(path)) {
      try {
        cache.set(path, readFileSync(path, "utf8").split("\n"));
      } catch {
        cache.set(path, undefined);
      }
    }
    return cache.get(path)?.[line - 1];
  };
}

/** Starts runners together; if one fails to start, the others are closed before the error is thrown. */
async function startAll<T extends StepRunner>(starts: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(starts);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (!failed) return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
  await Promise.all(settled.map((r) => (r.status === "fulfilled" ? r.value.close() : undefined)));
  throw asRunError(failed.reason);
}

function startFlask(flags: FlaskFlags, python: string, argv: readonly string[]): Promise<FlaskRunner> {
  return FlaskRunner.start({
    scenario: loadCounterpart(loadScenario(), "flask"),
    projectRoot: PACKAGE_ROOT,
    python,
    host: flags.host,
    port: flags.port,
    command: ["trace-socket", ...argv].join(" "),
  });
}

/** Starts the Flask chat under the tracer (for the stepper); missing Python packages are a UsageError. */
export function startFlaskRunner(flags: FlaskFlags, argv: readonly string[]): Promise<FlaskRunner> {
  return startFlask(flags, requirePython(), argv);
}

/** The facts section printed after a Flask trace: each check, then the upstream tags the links pin. */
export function renderFacts(trace: Trace, checks: readonly FactCheck[]): string {
  const lines = ["Flask-SocketIO facts, checked on this run:"];
  for (const c of checks) lines.push(`  ${c.ok ? "✓" : "✗"} ${c.claim}`, `      ${c.evidence}`);
  const tags = new Map<string, string>();
  for (const fn of trace.functions) {
    const link = pythonPermalink(fn);
    if (!link || tags.has(fn.pkg)) continue;
    tags.set(fn.pkg, `  ${fn.pkg}@${fn.version}: ${link.url.replace(/\/blob\/([^/]+)\/.*$/, "/tree/$1")}${link.check === "verified" ? "" : ` (${link.check})`}`);
  }
  if (tags.size) lines.push("upstream sources (permalinks pin these tags; the installed files were compared with them):", ...tags.values());
  return lines.join("\n");
}

/** `--server flask`: the Flask-SocketIO chat, headless, every step printed. */
export async function runFlaskHeadless(flags: FlaskFlags, argv: readonly string[]): Promise<number> {
  const python = requirePython();
  const [runner] = await startAll([startFlask(flags, python, argv)]);
  const interrupted = await runAllSteps([runner]);
  const trace = runner.trace();
  await printTrace(trace, flags);
  if (!flags.json) await write(`${renderFacts(trace, checkFlaskFacts(trace, fileLineReader()))}\n`);
  return interrupted ? EXIT.interrupted : EXIT.ok;
}

/** `--compare`: both chats, headless, each step's two call paths side by side. */
export async function runCompare(flags: FlaskFlags, argv: readonly string[]): Promise<number> {
  const python = requirePython();
  const command = ["trace-socket", ...argv].join(" ");
  const [node, flask] = await startAll<StepRunner>([
    Runner.start({ scenario: loadScenario(), projectRoot: PACKAGE_ROOT, host: flags.host, port: flags.port, command }),
    startFlask(flags, python, argv),
  ]);
  const interrupted = await runAllSteps([node, flask]);
  const [nodeTrace, flaskTrace] = [node.trace(), flask.trace()];
  // After the run: the trace's versions key the cache, so a second run starts no Python for them.
  const docs = flags.json && !flags.output ? undefined : await loadFlaskLibraryDocs({ python, versions: flaskTrace.meta.packages });
  if (flags.output) {
    const { writeFileAtomic, WriteError } = await import("../trace/atomic-write.js");
    const { renderCompareMarkdown } = await import("./compare-markdown.js");
    const markdown = renderCompareMarkdown(nodeTrace, flaskTrace, checkFlaskFacts(flaskTrace, fileLineReader()), { docs });
    try {
      const written = await writeFileAtomic(flags.output, markdown);
      process.stderr.write(`trace-socket: wrote ${written.path} (${written.bytes} bytes)\n`);
    } catch (error) {
      if (error instanceof WriteError) throw new UsageError(error.message);
      throw error;
    }
  } else if (flags.json) {
    for (const step of compareSteps(nodeTrace, flaskTrace)) await write(`${JSON.stringify(step)}\n`);
  } else {
    const width = flags.width ?? (process.stdout.columns || 160);
    await write(`${renderCompare(nodeTrace, flaskTrace, { width, docs })}\n${renderFacts(flaskTrace, checkFlaskFacts(flaskTrace, fileLineReader()))}\n`);
  }
  return interrupted ? EXIT.interrupted : EXIT.ok;
}
