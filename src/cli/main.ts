/**
 * The trace-socket command line: parses flags, decides the mode once
 * (`mode.ts`), runs its command (`commands/`), and is the one place where
 * errors become exit codes (`boundary.ts`).
 */
import { Command, InvalidArgumentError } from "commander";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../trace/scenario.js";
import { acrossServers, formatCatalogue, formatLessons, lessons, runnableScenarios, unknownLesson } from "../trace/lessons.js";
import { parseAuth, parseClient, parseCookie, parseEmit, parseHeader, parseNamespace, parseQuery, parseTimeout, parseTransports, type EmitFlag } from "./app-flags.js";
import { exitCodeFor } from "./boundary.js";
import { EXIT } from "./errors.js";
import { ownDebugOnly } from "./own-debug.js";
import { outputOf } from "./output.js";
import { parseFormat, type ExportFlags } from "./export-flags.js";
import { resolveMode, type CliInput, type Mode } from "./mode.js";
import type { RunSettings } from "./settings.js";

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError("expected a port number from 0 to 65535.");
  return port;
}

function parseSeed(value: string): number {
  const seed = Number(value);
  if (!/^\d+$/.test(value) || seed > 0xffffffff) throw new InvalidArgumentError("expected a whole number from 0 to 4294967295.");
  return seed;
}

function parseServer(value: string): "node" | "flask" {
  if (value === "node" || value === "flask") return value;
  throw new InvalidArgumentError('expected "node" or "flask".');
}

function parseScenario(value: string): string {
  const unknown = unknownLesson(value, runnableScenarios());
  if (unknown) throw new InvalidArgumentError(unknown);
  return value;
}

/** The lessons, for the help: `--scenario` takes one of these names. */
function lessonsHelp(): string {
  const across = acrossServers();
  return `\nLessons (--scenario NAME; trace-socket lessons):\n${formatLessons(lessons()).replace(/^/gm, "  ").trimEnd()}\n` +
    (across.length ? `\nAcross servers (--scenario NAME):\n${formatLessons(across).replace(/^/gm, "  ").trimEnd()}\n` : "");
}

function parseProcesses(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 16) throw new InvalidArgumentError("expected a number of processes from 1 to 16.");
  return n;
}

/**
 * The positionals after the app: more app files before `--`, the app's own arguments after it
 * (commander hands both over as one list; everything after `--` is at its end).
 */
function splitPositionals(positionals: readonly string[], argv: readonly string[]): { more: string[]; args: string[] } {
  const dash = argv.indexOf("--");
  const after = dash < 0 ? 0 : Math.min(positionals.length, argv.length - dash - 1);
  return { more: positionals.slice(0, positionals.length - after), args: positionals.slice(positionals.length - after) };
}

function parseRedisUrl(value: string): string {
  if (!/^rediss?:\/\/[^\s]+$/.test(value)) throw new InvalidArgumentError("expected a redis:// URL, e.g. redis://127.0.0.1:6379.");
  return value;
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "0.0.0";
  }
}

/** Shown after the options: the common jobs, each one line. */
const EXAMPLES = `
Examples:
  trace-socket                              step through the built-in chat in the terminal
  trace-socket --no-interactive             print all eight steps as text
  trace-socket lessons                      the built-in lessons, one line each
  trace-socket --scenario rooms             step through another lesson (rooms, namespaces…)
  trace-socket export -o trace.md           write the markdown report
  trace-socket export --format json -o t.json && trace-socket replay t.json
  trace-socket server.js -- --port 3000     trace your own app (its arguments after --)
  trace-socket server.js --client none      trace your own app with your own clients (Ctrl-C prints the trace)
  trace-socket a.js b.js                    two processes of your app, each in its own lane, a built-in client on each
  trace-socket server.js --processes 2      server.js as two processes (each gets PORT and NODE_APP_INSTANCE)
  trace-socket export server.js -o report.md   the markdown report of your own app
  trace-socket --server flask --compare     the Flask-SocketIO chat beside the socket.io one
  trace-socket --predict                    guess each step's next frame before it is shown (keys 1-4)
  trace-socket export --predict -o sheet.md   the same questions as a markdown worksheet, answer key at the end`;

/** The long names of the options given on the command line, on `command` and the commands above it. */
function givenOptions(command: Command): Set<string> {
  const given = new Set<string>();
  for (let c: Command | null = command; c; c = c.parent) {
    for (const option of c.options) if (c.getOptionValueSource(option.attributeName()) === "cli") given.add(option.attributeName());
  }
  return given;
}

/** What commander hands an action: the program's options and the subcommand's. */
type ParsedFlags = Omit<RunSettings, "hostGiven" | "command"> & {
  readonly interactive: boolean;
  readonly json: boolean;
  readonly server: "node" | "flask";
  readonly compare: boolean;
  readonly predict: boolean;
  readonly seed?: number;
  readonly emitAck?: RunSettings["emit"];
  readonly scenario?: string;
  readonly redis?: string;
  readonly processes?: number;
} & Partial<Pick<ExportFlags, "format" | "output" | "from" | "stable">>;

function settingsOf(flags: ParsedFlags, given: ReadonlySet<string>): RunSettings {
  return {
    host: flags.host,
    hostGiven: given.has("host"),
    port: flags.port,
    ...(flags.redis !== undefined ? { redis: flags.redis } : {}),
    offline: flags.offline,
    color: flags.color && !process.env.NO_COLOR && process.stdout.isTTY === true,
    client: flags.client,
    transports: flags.transports,
    namespace: flags.namespace,
    auth: flags.auth,
    // --emit and --emit-ack share one list (in command-line order): either names it.
    emit: flags.emitAck ?? flags.emit,
    timeout: flags.timeout,
    header: flags.header,
    cookie: flags.cookie,
    query: flags.query,
    ...(flags.predict ? { predict: { seed: flags.seed ?? 1 } } : {}),
    command: ["trace-socket", ...process.argv.slice(2)].join(" "),
  };
}

/** Runs the mode chosen; resolves to the exit code. */
async function dispatch(mode: Mode, settings: RunSettings): Promise<number> {
  switch (mode.kind) {
    case "run": {
      const { runHeadless, runStepper } = await import("./commands/run.js");
      return mode.view === "stepper" ? runStepper(mode.target, settings) : runHeadless(mode.target, mode.view, settings);
    }
    case "compare": {
      const { runCompare, runCompareStepper } = await import("./commands/compare.js");
      return mode.view === "stepper" ? runCompareStepper(settings) : runCompare(mode.view, settings);
    }
    case "replay":
      return (await import("./commands/replay.js")).runReplay(mode.file, mode.view, settings);
    case "export":
      return (await import("./commands/export.js")).runExportMode(mode, settings);
    case "export-compare":
      return (await import("./commands/compare.js")).exportCompare(mode.output, settings);
  }
}

/** Decides the mode of a parsed command line and runs it. */
function run(input: Omit<CliInput, "given" | "interactive" | "json" | "server" | "compare" | "predict" | "processes">, flags: ParsedFlags, command: Command): Promise<number> {
  const given = givenOptions(command);
  const { interactive, json, server, compare, predict, format, output, from, stable, scenario, processes } = flags;
  const mode = resolveMode({ ...input, ...(processes !== undefined ? { processes } : {}), interactive, json, server, compare, predict, format, output, from, stable, scenario, given, client: flags.client }, process.env, { stdin: process.stdin.isTTY === true, stdout: process.stdout.isTTY === true });
  return dispatch(mode, settingsOf(flags, given));
}

function program(result: { code: number }, argv: readonly string[]): Command {
  // One list for --emit and --emit-ack, so that the events go out in the order they were given.
  const emits: EmitFlag[] = [];
  const emit = (ack: boolean) => (value: string): EmitFlag[] => {
    emits.push(parseEmit(value, ack));
    return emits;
  };
  const cmd = new Command("trace-socket")
    .description("Dispel the magic of Socket.IO: trace a real socket.io v4 server step by step — call paths through its own source beside the decoded frames on the wire.")
    .version(version())
    .option("--no-interactive", "print every step as plain text instead of opening the stepper (automatic when stdout is not a terminal or CI is set)")
    .option("--json", "print the trace as JSON lines (schema: src/trace/SCHEMA.md)", false)
    .option("--host <host>", "address the traced server binds", "127.0.0.1")
    .option("--port <port>", "port the built-in chat binds (0: any free port); your own app listens where its code says", parsePort, 0)
    .option("--offline", "never fetch upstream sources for permalinks", false)
    .option("--no-color", "no colours (NO_COLOR is honoured too)")
    .argument("[app]", "your own socket.io server (CommonJS or ESM) to trace instead of the built-in chat")
    .argument("[args...]", "more files of your app, each traced as a process of its own; after --, arguments for your app")
    .option("--scenario <name>", "the built-in lesson to run instead of the chat (trace-socket lessons lists them)", parseScenario)
    .addHelpText("after", () => `${EXAMPLES}\n${lessonsHelp()}`)
    .option("--client <mode>", "your app: builtin connects the built-in client; none waits for your own clients (Ctrl-C prints the trace)", parseClient, "builtin")
    .option("--transports <list>", "your app: the built-in client's transports, e.g. websocket or polling,websocket", parseTransports)
    .option("--namespace <nsp>", "your app: namespace the built-in client connects to", parseNamespace, "/")
    .option("--auth <json>", "your app: the built-in client's auth payload, e.g. '{\"token\":\"x\"}'", parseAuth)
    .option("--emit <event=json>", "your app: an event the built-in client emits, no ack asked (repeatable)", emit(false), [])
    .option("--emit-ack <event=json>", "your app: an event the built-in client emits with an ack callback, and waits for the ack (repeatable; in order with --emit)", emit(true))
    .option("--timeout <ms>", "your app: how long the built-in client waits for each ack (default 3000)", parseTimeout)
    .option("--header <'Name: value'>", "your app: a header the built-in client sends with every request and the WebSocket handshake (repeatable)", parseHeader)
    .option("--cookie <name=value>", "your app: a cookie the built-in client sends, e.g. a session cookie (repeatable)", parseCookie)
    .option("--query <key=value>", "your app: a query parameter of the built-in client's handshake, e.g. room=blue or a=1&b=2 (repeatable)", parseQuery)
    .option("--server <runtime>", "which chat to trace: node (socket.io) or flask (Flask-SocketIO; needs Debian's python3-flask-socketio python3-eventlet)", parseServer, "node")
    .option("--compare", "trace both chats and show each step's two call paths side by side", false)
    .option("--predict", "before each step's frames are shown, guess what comes next on the wire (stepper: keys 1-4; headless or export: a markdown worksheet with the answer key)", false)
    .option("--seed <n>", "with --predict: the seed the choices are drawn and shuffled with (default 1; the same seed gives the same sheet)", parseSeed)
    .option("--processes <n>", "your app: run it as n traced processes, each in its own lane with a built-in client; instance i (from 0) gets NODE_APP_INSTANCE=i and PORT=<PORT+i> when PORT is set, else PORT=0", parseProcesses)
    .option("--redis <url>", "a running Redis for --scenario redis (redis://127.0.0.1:6379) instead of the one trace-socket starts", parseRedisUrl)
    .exitOverride()
    // A bad value may hold a line break (`--header $'a\nb'`): the error stays one line.
    // Help and version go through the one stdout writer too: `--help | head -1` ends quietly, not with EPIPE.
    .configureOutput({ writeOut: (text) => void outputOf().write(text), outputError: (text, write) => write(`${text.trimEnd().replace(/\r?\n/g, "\\n")}\n`) })
    .action(async (app: string | undefined, args: string[], opts: ParsedFlags, command: Command) => {
      result.code = await run({ command: "run", file: app, ...splitPositionals(args, argv) }, opts, command);
    });
  cmd
    .command("export")
    .description("run the chat scenario (or your own app) headless, or read --from, and write a markdown report, or with --format json the whole trace")
    .argument("[app]", "your own socket.io server to trace and report on, instead of the built-in chat")
    .argument("[args...]", "more files of your app, each traced as a process of its own; after --, arguments for your app")
    .option("-o, --output <file>", "file to write; - for stdout (default: trace.md, or trace.json with --format json)")
    .option("--format <format>", "md (the report) or json (the whole trace; schema: src/trace/SCHEMA.md)", parseFormat, "md")
    .option("--from <trace.json>", "render this trace file (or --json output) instead of running the scenario")
    .option("--stable", "placeholders for session ids, ports, masking keys, dates and timings: two runs give identical files", false)
    .option("--compare", "trace the socket.io and the Flask-SocketIO chat and write both call paths side by side", false)
    .action(async (app: string | undefined, args: string[], _opts: unknown, sub: Command) => {
      result.code = await run({ command: "export", file: app, ...splitPositionals(args, argv) }, sub.optsWithGlobals<ParsedFlags>(), sub);
    });
  cmd
    .command("lessons")
    .description("list the built-in lessons, one line each (run one with --scenario NAME)")
    .action(async () => {
      await outputOf().write(formatCatalogue());
    });
  cmd
    .command("replay <file>")
    .description("step through a recorded trace (export --format json, or --json output); no server runs")
    .action(async (file: string, _opts: unknown, sub: Command) => {
      result.code = await run({ command: "replay", file, args: [] }, sub.optsWithGlobals<ParsedFlags>(), sub);
    });
  return cmd;
}

/** Runs the CLI and returns the exit code: the one place where errors become exit codes. */
export async function main(argv: readonly string[]): Promise<number> {
  ownDebugOnly();
  try {
    const result = { code: EXIT.ok as number };
    await program(result, argv).parseAsync([...argv], { from: "user" });
    return result.code;
  } catch (error) {
    return exitCodeFor(error);
  }
}

process.exitCode = await main(process.argv.slice(2));
