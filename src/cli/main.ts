/**
 * The trace-socket command line: parses flags, picks a mode, and is the one
 * place where errors become exit codes.
 */
import { Command, InvalidArgumentError, CommanderError } from "commander";
import { EXIT, RunError, UsageError } from "./errors.js";
import { loadScenario, PACKAGE_ROOT } from "../trace/scenario.js";
import { readFileSync } from "node:fs";
import { parseAuth, parseClient, parseEmit, parseNamespace, parseTransports } from "./app-flags.js";
import type { AppFlags } from "./app-run.js";
import { isLoopback } from "../instrument/loopback.js";
import { parseFormat, type ExportFlags } from "./export-flags.js";
import { join } from "node:path";

/** Options shared by the run modes. */
export interface RunFlags {
  readonly interactive: boolean;
  readonly json: boolean;
  readonly host: string;
  readonly port: number;
  readonly color: boolean;
  readonly offline: boolean;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError("expected a port number from 0 to 65535.");
  return port;
}

function parseServer(value: string): "node" | "flask" {
  if (value === "node" || value === "flask") return value;
  throw new InvalidArgumentError('expected "node" or "flask".');
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "0.0.0";
  }
}

/** Decides interactive vs headless before anything renders: no raw mode without a terminal. */
export function wantsInteractive(flags: { interactive: boolean; json: boolean }, env: NodeJS.ProcessEnv, stdinTTY: boolean, stdoutTTY: boolean): boolean {
  return flags.interactive && !flags.json && !env.CI && stdinTTY && stdoutTTY;
}

/** Shown after the options: the common jobs, each one line. */
const EXAMPLES = `
Examples:
  trace-socket                              step through the built-in chat in the terminal
  trace-socket --no-interactive             print all eight steps as text
  trace-socket export -o trace.md           write the markdown report
  trace-socket export --format json -o t.json && trace-socket replay t.json
  trace-socket server.js -- --port 3000     trace your own app (its arguments after --)
  trace-socket server.js --client none      trace your own app with your own clients (Ctrl-C prints the trace)
  trace-socket --server flask --compare     the Flask-SocketIO chat beside the socket.io one`;

function program(result: { code: number }): Command {
  const cmd = new Command("trace-socket")
    .description("Dispel the magic of Socket.IO: trace a real socket.io v4 server step by step — call paths through its own source beside the decoded frames on the wire.")
    .version(version())
    .option("--no-interactive", "print every step as plain text instead of opening the stepper (automatic when stdout is not a terminal or CI is set)")
    .option("--json", "print the trace as JSON lines (schema: src/trace/SCHEMA.md)", false)
    .option("--host <host>", "address the traced server binds", "127.0.0.1")
    .option("--port <port>", "port the traced server binds (0: any free port)", parsePort, 0)
    .option("--offline", "never fetch upstream sources for permalinks", false)
    .option("--no-color", "no colours (NO_COLOR is honoured too)")
    .argument("[app]", "your own socket.io server (CommonJS or ESM) to trace instead of the built-in chat")
    .argument("[args...]", "arguments for your app, after --")
    .addHelpText("after", EXAMPLES)
    .option("--client <mode>", "builtin: connect the built-in client; none: wait for your own clients (Ctrl-C prints the trace)", parseClient, "builtin")
    .option("--transports <list>", "the built-in client's transports, e.g. websocket or polling,websocket", parseTransports)
    .option("--namespace <nsp>", "namespace the built-in client connects to", parseNamespace, "/")
    .option("--auth <json>", "the built-in client's auth payload, e.g. '{\"token\":\"x\"}'", parseAuth)
    .option("--emit <event=json>", "an event the built-in client emits with an ack (repeatable)", parseEmit, [])
    .option("--server <runtime>", "which chat to trace: node (socket.io) or flask (Flask-SocketIO; needs Debian's python3-flask-socketio python3-eventlet)", parseServer, "node")
    .option("--compare", "trace both chats and show each step's two call paths side by side", false)
    .exitOverride()
    .action(async (app: string | undefined, args: string[], opts: RunFlags & Omit<AppFlags, "hostGiven"> & { server: "node" | "flask"; compare: boolean }, command: Command) => {
      const color = opts.color && !process.env.NO_COLOR && process.stdout.isTTY === true;
      const argv = process.argv.slice(2);
      if (opts.compare || opts.server === "flask") {
        if (app) throw new UsageError("--server flask and --compare run the built-in chats; they cannot trace your own app");
        const { runCompare, runFlaskHeadless, startFlaskRunner } = await import("../flask/command.js");
        const flags = { json: opts.json, color, host: opts.host, port: opts.port };
        if (opts.compare && wantsInteractive(opts, process.env, process.stdin.isTTY === true, process.stdout.isTTY === true)) {
          const [{ runInteractive }, { recordFlaskForCompare }] = await Promise.all([import("./interactive.js"), import("../flask/compare-record.js")]);
          process.stderr.write("trace-socket: recording the Flask-SocketIO chat to compare with…\n");
          const compare = await recordFlaskForCompare(flags, argv);
          if (!compare) {
            result.code = EXIT.interrupted;
            return;
          }
          const live = { scenario: loadScenario(), projectRoot: PACKAGE_ROOT, host: opts.host, port: opts.port, command: ["trace-socket", ...argv].join(" ") };
          result.code = await runInteractive({ live, compare, color, offline: opts.offline });
          return;
        }
        if (!opts.compare && wantsInteractive(opts, process.env, process.stdin.isTTY === true, process.stdout.isTTY === true)) {
          const { runInteractive } = await import("./interactive.js");
          const runner = await startFlaskRunner(flags, argv);
          result.code = await runInteractive({ runner, color, offline: opts.offline });
          return;
        }
        result.code = opts.compare ? await runCompare(flags, argv) : await runFlaskHeadless(flags, argv);
        return;
      }
      const interactive = wantsInteractive(opts, process.env, process.stdin.isTTY === true, process.stdout.isTTY === true);
      const hostGiven = command.getOptionValueSource("host") === "cli";
      if (!isLoopback(opts.host)) {
        process.stderr.write(`trace-socket: warning: --host ${opts.host} reaches beyond this machine; anyone who can reach it can connect to the traced server\n`);
      }
      const commandLine = ["trace-socket", ...argv].join(" ");
      if (interactive) {
        const { runInteractive } = await import("./interactive.js");
        if (app) {
          const { startApp } = await import("./app-run.js");
          process.stderr.write("trace-socket: starting your app…\n");
          const runner = await startApp(app, args, { ...opts, hostGiven }, commandLine);
          result.code = await runInteractive({ runner, color, offline: opts.offline });
        } else {
          const live = { scenario: loadScenario(), projectRoot: PACKAGE_ROOT, host: opts.host, port: opts.port, command: commandLine };
          result.code = await runInteractive({ live, color, offline: opts.offline });
        }
        return;
      }
      const headless = await import("./headless.js");
      if (app) result.code = await headless.runAppHeadless({ ...opts, color, hostGiven }, app, args, argv);
      else result.code = await headless.runHeadless({ ...opts, color }, argv);
    });
  cmd
    .command("export")
    .description("run the chat scenario headless (or read --from) and write a markdown report, or with --format json the whole trace")
    .option("-o, --output <file>", "file to write; - for stdout (default: trace.md, or trace.json with --format json)")
    .option("--format <format>", "md (the report) or json (the whole trace; schema: src/trace/SCHEMA.md)", parseFormat, "md")
    .option("--from <trace.json>", "render this trace file (or --json output) instead of running the scenario")
    .option("--stable", "placeholders for session ids, ports, masking keys, dates and timings: two runs give identical files", false)
    .option("--compare", "trace the socket.io and the Flask-SocketIO chat and write both call paths side by side", false)
    .action(async (_opts: unknown, sub: Command) => {
      const flags = sub.optsWithGlobals<ExportFlags & { compare: boolean; json: boolean; host: string; port: number }>();
      if (flags.compare) {
        const { runCompare } = await import("../flask/command.js");
        result.code = await runCompare({ json: false, color: false, host: flags.host, port: flags.port, output: flags.output ?? "compare.md" }, process.argv.slice(2));
        return;
      }
      const { runExport } = await import("./export-command.js");
      result.code = await runExport(sub.optsWithGlobals<ExportFlags>(), process.argv.slice(2));
    });
  cmd
    .command("replay <file>")
    .description("step through a recorded trace (export --format json, or --json output); no server runs")
    .action(async (file: string, _opts: unknown, sub: Command) => {
      const { readTraceInput } = await import("./trace-input.js");
      // A missing, cut, foreign or newer file is a UsageError: one line, exit 2.
      const trace = await readTraceInput(file);
      const opts = sub.optsWithGlobals<RunFlags>();
      const color = opts.color && !process.env.NO_COLOR && process.stdout.isTTY === true;
      if (wantsInteractive(opts, process.env, process.stdin.isTTY === true, process.stdout.isTTY === true)) {
        const { runInteractive } = await import("./interactive.js");
        result.code = await runInteractive({ trace, color, offline: opts.offline });
      } else {
        const { printTrace } = await import("./headless.js");
        await printTrace(trace, { json: opts.json, color });
      }
    });
  return cmd;
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const result = { code: EXIT.ok as number };
    await program(result).parseAsync([...argv], { from: "user" });
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0) return EXIT.ok;
      return EXIT.usage;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`trace-socket: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof RunError) {
      process.stderr.write(`trace-socket: ${error.message}\n`);
      return EXIT.failure;
    }
    process.stderr.write(`trace-socket: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT.failure;
  }
}

process.exitCode = await main(process.argv.slice(2));
