/**
 * What the CLI's `--server flask` and `--compare` commands need of the Python
 * side: the Python check, starting the Flask chat under the tracer, and the
 * upstream tags printed after its trace. The commands themselves live in
 * `src/cli/commands/`; errors are typed, and the CLI maps them to exit codes.
 */
import { UsageError } from "./errors.js";
import { loadCounterpart, loadScenario, INSTALL_ROOT } from "../trace/scenario.js";
import type { Trace } from "../trace/model.js";
import { Runner } from "../scenario/runner.js";
import { pythonRuntime } from "../runtime/python/python-runtime.js";
import { missingPythonMessage, probePython, pythonPath } from "../runtime/python/python-env.js";
import { pythonPermalink } from "../runtime/python/permalinks.js";

/** Fails with a usage error (exit 2) and the install hint when the Python side is missing. */
export function requirePython(env: NodeJS.ProcessEnv = process.env): string {
  const probe = probePython(pythonPath(env));
  if (!probe.ok) throw new UsageError(missingPythonMessage(probe));
  return probe.python;
}

/** Where and how to start the Flask chat. */
export interface FlaskStart {
  readonly host: string;
  readonly port: number;
  /** The command line, for the trace's metadata. */
  readonly command: string;
}

/** Starts the Flask chat under the tracer, up to its first step; missing Python packages are a UsageError. */
export function startFlaskRunner(options: FlaskStart, python: string = requirePython()): Promise<Runner> {
  const runtime = pythonRuntime({ python, host: options.host, port: options.port });
  return Runner.start({ scenario: loadCounterpart(loadScenario(), "flask"), projectRoot: INSTALL_ROOT, command: options.command, runtime });
}

/** Printed after a Flask trace: the upstream tags its permalinks pin, per Python package. */
export function renderUpstream(trace: Trace): string {
  const tags = new Map<string, string>();
  for (const fn of trace.functions) {
    const link = pythonPermalink(fn);
    if (!link || tags.has(fn.pkg)) continue;
    tags.set(fn.pkg, `  ${fn.pkg}@${fn.version}: ${link.url.replace(/\/blob\/([^/]+)\/.*$/, "/tree/$1")}${link.check === "verified" ? "" : ` (${link.check})`}`);
  }
  return tags.size ? ["upstream sources (permalinks pin these tags; the installed files were compared with them):", ...tags.values()].join("\n") : "";
}
