/**
 * The trace-socket command line: parses flags, picks a mode, and is the one
 * place where errors become exit codes.
 */
import { Command, InvalidArgumentError, CommanderError } from "commander";
import { EXIT, RunError, UsageError } from "./errors.js";
import { PACKAGE_ROOT } from "../scenario/scenario.js";
import { readFileSync } from "node:fs";
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
    .exitOverride()
    .action(async (opts: RunFlags) => {
      const { runHeadless } = await import("./headless.js");
      const color = opts.color && !process.env.NO_COLOR && process.stdout.isTTY === true;
      result.code = await runHeadless({ ...opts, color }, process.argv.slice(2));
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
