/**
 * What a command line asks for, decided once and before anything runs or
 * renders: a pure function of the parsed flags, the environment and whether
 * stdin and stdout are terminals. Flags that would be silently ignored in the
 * mode chosen are usage errors here, so every mode can trust its flags.
 */
import type { ExportFormat } from "./export-flags.js";
import { UsageError } from "./errors.js";

/** How a run is shown: the stepper, every step as text, or JSON lines. */
export type View = "stepper" | "text" | "json";

/** What is traced. */
export type Target =
  /** A built-in lesson: `scenario` by name, or the default chat. */
  | { readonly kind: "builtin"; readonly scenario?: string }
  | { readonly kind: "flask" }
  | AppTarget;

/** The user's app: one file, several files (a process each), or one file run as `processes` instances. */
export interface AppTarget {
  readonly kind: "app";
  readonly entry: string;
  readonly args: readonly string[];
  /** More files of the app, each traced as a process of its own (`trace-socket a.js b.js`). */
  readonly more?: readonly string[];
  /** `--processes n`: `entry` traced as n processes. */
  readonly processes?: number;
}

/** Every mode of the CLI. */
export type Mode =
  | { readonly kind: "run"; readonly target: Target; readonly view: View }
  | { readonly kind: "compare"; readonly view: View }
  | { readonly kind: "replay"; readonly file: string; readonly view: View }
  | {
      readonly kind: "export";
      /** Run `target` headless, or render the trace file at `from`. */
      readonly input: { readonly kind: "record"; readonly target: Target } | { readonly kind: "file"; readonly from: string };
      readonly format: ExportFormat;
      readonly output: string;
      readonly stable: boolean;
    }
  | { readonly kind: "export-compare"; readonly output: string };

/** The command line as parsed, before any decision. */
export interface CliInput {
  readonly command: "run" | "export" | "replay";
  /** The user's app (`trace-socket server.js`, `export server.js`) or, for `replay`, the trace file. */
  readonly file?: string;
  /** The app's own arguments, after `--`. */
  readonly args: readonly string[];
  /** More app files, before `--` (`trace-socket a.js b.js`). */
  readonly more?: readonly string[];
  /** `--processes n`. */
  readonly processes?: number;
  readonly interactive: boolean;
  readonly json: boolean;
  readonly server: "node" | "flask";
  readonly compare: boolean;
  /** `--predict`: questions in the stepper, a worksheet when headless or exported. */
  readonly predict?: boolean;
  readonly format?: ExportFormat;
  readonly output?: string;
  readonly from?: string;
  readonly stable?: boolean;
  /** `--scenario`: the built-in lesson to run, already checked to be one. */
  readonly scenario?: string;
  /** Long names of the options given on the command line (not defaults), e.g. `port`, `emit`. */
  readonly given: ReadonlySet<string>;
  /** `--client`: the built-in client, or none (the user's own clients). */
  readonly client?: "builtin" | "none";
}

/** Whether stdin and stdout are terminals. */
export interface Terminals {
  readonly stdin: boolean;
  readonly stdout: boolean;
}

/** Options that shape the built-in client of a user's app, and so mean nothing for the built-in chats. */
const APP_CLIENT_OPTIONS = ["client", "emit", "emitAck", "timeout", "header", "cookie", "query", "auth", "transports", "namespace"] as const;

/** Those that shape the built-in client only, so mean nothing with `--client none`. */
const BUILTIN_CLIENT_OPTIONS = APP_CLIENT_OPTIONS.filter((name) => name !== "client");

/** `emitAck` → `emit-ack`, as the user typed it. */
function flagName(attribute: string): string {
  return attribute.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function viewOf(input: CliInput, env: NodeJS.ProcessEnv, tty: Terminals): View {
  if (input.json) return "json";
  // No raw mode without a terminal on both ends; CI logs are never a terminal to draw on.
  return input.interactive && !env.CI && tty.stdin && tty.stdout ? "stepper" : "text";
}

const NOT_AN_APP = "--server flask and --compare run the built-in chats; they cannot trace your own app";

function rejectAppClientOptions(input: CliInput): void {
  const misplaced = APP_CLIENT_OPTIONS.find((name) => input.given.has(name));
  if (misplaced) throw new UsageError(`--${flagName(misplaced)} applies only to your own app (trace-socket server.js --${flagName(misplaced)} …); the built-in chat runs its own client`);
}

function targetOf(input: CliInput): Target {
  const app = input.file;
  if (input.scenario !== undefined) {
    if (app !== undefined) throw new UsageError(`--scenario runs a built-in lesson; it cannot also trace ${app}`);
    if (input.compare || input.server === "flask") throw new UsageError("--server flask and --compare run the chat on both servers; the other lessons run on socket.io only (no --scenario)");
  }
  if (app !== undefined) {
    if (input.compare || input.server === "flask") throw new UsageError(NOT_AN_APP);
    if (input.given.has("port")) {
      throw new UsageError("--port does not apply to your own app: it listens where its own code says (pass its own flag after --, e.g. `-- --port 3000`, or set PORT if it reads it)");
    }
    const unused = input.client === "none" ? BUILTIN_CLIENT_OPTIONS.find((name) => input.given.has(name)) : undefined;
    if (unused) throw new UsageError(`--${flagName(unused)} shapes the built-in client, and --client none runs without it (your own clients connect as they are)`);
    if (input.scenario !== undefined) throw new UsageError(`--scenario runs a built-in scenario; it cannot also trace ${app}`);
    const more = input.more ?? [];
    if (more.length && input.processes !== undefined) throw new UsageError(`--processes runs one file several times; it cannot also run ${[app, ...more].join(" ")} (one process each)`);
    return { kind: "app", entry: app, args: input.args, ...(more.length ? { more } : {}), ...(input.processes !== undefined ? { processes: input.processes } : {}) };
  }
  if (input.processes !== undefined) throw new UsageError("--processes applies only to your own app (trace-socket server.js --processes 2)");
  if (input.more?.length) throw new UsageError(`unexpected arguments: ${input.more.join(" ")} (your app's own arguments go after --)`);
  rejectAppClientOptions(input);
  if (input.scenario !== undefined && (input.server === "flask" || input.compare)) throw new UsageError("--scenario runs a socket.io scenario; it does not combine with --server flask or --compare");
  if (input.server === "flask") return { kind: "flask" };
  return input.scenario === undefined ? { kind: "builtin" } : { kind: "builtin", scenario: input.scenario };
}

/** `--predict` and `--seed` combine with one trace shown as questions, never with what has no such form. */
function checkPredict(input: CliInput): void {
  if (!input.predict) {
    if (input.given.has("seed")) throw new UsageError("--seed draws predict mode's choices; it needs --predict");
    return;
  }
  if (input.compare) throw new UsageError("--predict asks about one trace; it does not combine with --compare");
  if (input.json) throw new UsageError("--predict asks questions in the stepper or prints a markdown worksheet; it has no --json form");
  if (input.command === "export" && input.format === "json") throw new UsageError("export --predict writes a markdown worksheet; it has no --format json");
}

function exportMode(input: CliInput): Mode {
  const format = input.format ?? "md";
  if (input.compare) {
    if (input.file !== undefined) throw new UsageError(NOT_AN_APP);
    rejectAppClientOptions(input);
    if (input.scenario !== undefined) throw new UsageError("export --compare records the chat on both servers; the other lessons run on socket.io only (no --scenario)");
    if (input.from !== undefined) throw new UsageError("export --compare records both chats; it cannot render a trace file (--from)");
    if (format !== "md") throw new UsageError("export --compare writes a markdown report only (no --format json)");
    return { kind: "export-compare", output: input.output ?? "compare.md" };
  }
  const output = input.output ?? (format === "json" ? "trace.json" : input.predict ? "worksheet.md" : "trace.md");
  const stable = input.stable ?? false;
  if (input.from !== undefined) {
    if (input.file !== undefined) throw new UsageError(`--from renders a trace file; it cannot also trace ${input.file}`);
    if (input.scenario !== undefined) throw new UsageError("--from renders a trace file; it cannot also run --scenario");
    if (input.server === "flask") throw new UsageError("--from renders a trace file; it cannot also run --server flask");
    return { kind: "export", input: { kind: "file", from: input.from }, format, output, stable };
  }
  const target = targetOf(input);
  if (target.kind === "flask") throw new UsageError("export records the socket.io chat or your app; for the Flask-SocketIO chat use export --compare");
  return { kind: "export", input: { kind: "record", target }, format, output, stable };
}

/**
 * Decides the mode of a command line. Throws {@link UsageError} (one line,
 * exit 2) for flags that the mode would ignore or that contradict each other.
 *
 * @example
 * resolveMode({ command: "run", args: [], interactive: true, json: false, server: "node", compare: false, given: new Set() }, {}, { stdin: true, stdout: true })
 * // → { kind: "run", target: { kind: "builtin" }, view: "stepper" }
 */
export function resolveMode(input: CliInput, env: NodeJS.ProcessEnv, tty: Terminals): Mode {
  checkPredict(input);
  if (input.command === "export") return exportMode(input);
  if (input.command === "replay") {
    if (input.file === undefined) throw new UsageError("replay needs a trace file: trace-socket replay trace.json");
    return { kind: "replay", file: input.file, view: viewOf(input, env, tty) };
  }
  if (input.compare) {
    if (input.file !== undefined) throw new UsageError(NOT_AN_APP);
    rejectAppClientOptions(input);
    if (input.scenario !== undefined) throw new UsageError("--compare runs the chat on both servers; the other lessons run on socket.io only (no --scenario)");
    return { kind: "compare", view: viewOf(input, env, tty) };
  }
  return { kind: "run", target: targetOf(input), view: viewOf(input, env, tty) };
}
