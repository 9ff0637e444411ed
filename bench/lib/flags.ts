/**
 * Command-line flags of the bench entries: bad input is one readable line on
 * stderr and exit code 2, as everywhere in trace-socket, not a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { basename, dirname } from "node:path";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** The entry's name for messages: its folder under `dist/bench/`. */
function entryName(): string {
  const script = process.argv[1] ?? "bench";
  return `bench ${basename(dirname(script))}`;
}

/** Exits with one line and code 2. */
export function badFlag(text: string): never {
  process.stderr.write(`${entryName()}: ${text}\n`);
  process.exit(2);
}

/** Parses the process's flags; an unknown flag, a missing value or a positional argument exits 2 with one line. */
export function readFlags<O extends Options>(options: O): ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>>["values"] {
  try {
    return parseArgs({ options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return badFlag(`${message} (flags: ${Object.keys(options).map((name) => `--${name}`).join(", ")})`);
  }
}

/** A flag's value as a positive number; anything else exits 2 with one line. */
export function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) badFlag(`--${name} must be a positive number, got "${value}"`);
  return number;
}
