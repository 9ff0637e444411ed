/**
 * Interactive mode: the stepper over a live traced run (or a replayed trace),
 * in the terminal's alternate screen. Decided before anything renders (see
 * `wantsInteractive` in main.ts); this module owns everything that touches
 * `process` for the UI: size, signals, console, the child processes' end.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { constants } from "node:os";
import { resolve } from "node:path";
import { format } from "node:util";
import type { ReactNode } from "react";
import { withRuntimeLinks } from "../runtime/source-links.js";
import type { RunnerOptions, Runner } from "../scenario/runner.js";
import type { SourceView } from "../source/types.js";
import type { FunctionInfo, Trace } from "../trace/model.js";
import type { QuitReason } from "../ui/app.js";
import type { LiveRunner, LiveSource } from "../ui/live-source.js";
import type { TraceSource } from "../ui/trace-source.js";
import type { Describe } from "../ui/use-source-view.js";
import { EXIT, RunError, UsageError } from "./errors.js";

/** A runner started before the stepper opens: the Node runner of a user's app, or the Flask runner. */
export interface AttachedRunner extends LiveRunner {
  readonly steps: readonly { readonly id: string; readonly title: string }[];
  readonly options: { readonly scenario: { readonly name: string }; readonly projectRoot: string };
  addChangeListener(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Options of {@link runInteractive}: exactly one of `live`, `runner` and `trace`. */
export interface InteractiveOptions {
  /** Run this scenario live, one step per keypress. */
  readonly live?: Omit<RunnerOptions, "onChange">;
  /** A run already started (a user's app, whose steps are known once it has started up; the Flask chat). */
  readonly runner?: AttachedRunner;
  /** Replay this recorded trace; no server runs. */
  readonly trace?: Trace;
  /** A recorded trace of the other runtime (`--compare`): the stepper opens its compare pane on it. */
  readonly compare?: Trace;
  readonly color: boolean;
  /** Never fetch upstream sources for permalinks. */
  readonly offline?: boolean;
  /** Where file paths of the trace are relative to, for the source index. Default: the live run's, else the export command's guess for the trace. */
  readonly projectRoot?: string;
  /** Writes the markdown report of a trace and resolves to its path. Default: {@link exportReport}. */
  readonly exportMarkdown?: (trace: Trace) => Promise<string>;
  /** The source index's `describe`. Default: `openSourceIndex(projectRoot)`, opened on first use. */
  readonly describe?: Describe;
  /** Predict mode from the start (`--predict`), with the seed its choices are drawn with. */
  readonly predict?: { readonly seed: number };
  readonly stdin?: NodeJS.ReadStream;
  readonly stdout?: NodeJS.WriteStream;
}

/** `name`, or the first of `name-2.md`, `name-3.md`… that does not exist yet: an export never overwrites a report. */
export function freshName(name: string): string {
  if (!existsSync(name)) return name;
  const dot = name.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  for (let n = 2; ; n++) if (!existsSync(`${stem}-${n}${ext}`)) return `${stem}-${n}${ext}`;
}

/**
 * The stepper's `e` key: the markdown report of the trace recorded so far,
 * written by the export command's writer to `output` (default
 * `trace-socket-report.md` in the working directory, numbered when that
 * exists). Resolves to the path.
 */
export async function exportReport(trace: Trace, offline: boolean, output = freshName("trace-socket-report.md")): Promise<string> {
  const { writeExport } = await import("./export-command.js");
  return resolve((await writeExport(trace, { output, format: "md", stable: false, offline })).path);
}

/**
 * A `describe` that opens the source index on first use and never rejects.
 * The index's cache is built in a worker from the start, and the first use
 * waits for it: a cold build off the main thread keeps the screen alive.
 */
function lazyDescribe(projectRoot: string, offline: boolean): Describe {
  const warmed = import("../source/warm.js").then((m) => m.warmSourceIndex(projectRoot, offline), () => undefined);
  let index: Promise<{ describe(fn: FunctionInfo): Promise<SourceView> }> | undefined;
  return async (fn) => {
    try {
      index ??= warmed.then(() => import("../source/index.js")).then((m) => m.openSourceIndex(projectRoot, { offline }));
      return await withRuntimeLinks(await (await index).describe(fn));
    } catch (error) {
      const reason = `source index unavailable: ${(error as Error)?.message ?? String(error)}`;
      return {
        fn,
        local: { path: fn.file, line: fn.line, endLine: fn.endLine, text: `${fn.file}:${fn.line}` },
        upstream: { kind: "unavailable", reason },
        notes: [reason],
      };
    }
  };
}

type ConsoleMethod = "log" | "info" | "warn" | "error" | "debug";
const CONSOLE_METHODS: readonly ConsoleMethod[] = ["log", "info", "warn", "error", "debug"];

/**
 * Routes this process's own `console` and `trace-socket:*` debug output into
 * `note` while the stepper owns the screen; returns the function that restores
 * them. Other namespaces are dropped here: in this process they come from the
 * wire decoders re-reading the trace (socket.io-parser), not from the traced app,
 * whose debug output the runner captures from its own stderr.
 */
async function captureOutput(note: (text: string) => void): Promise<() => void> {
  const saved = CONSOLE_METHODS.map((name) => [name, console[name]] as const);
  for (const name of CONSOLE_METHODS) console[name] = (...args: unknown[]) => note(format(...args));
  const createDebug = (await import("debug")).default;
  const savedLog = createDebug.log;
  createDebug.log = function (this: { namespace?: string } | undefined, ...args: unknown[]) {
    if (this?.namespace?.startsWith("trace-socket")) note(format(...args));
  };
  return () => {
    for (const [name, method] of saved) console[name] = method;
    createDebug.log = savedLog;
  };
}

/**
 * Runs the stepper until the user quits or the traced process dies, then
 * closes the traced server and client. Resolves to the exit code (0 on q,
 * 130 on Ctrl-C or SIGINT, 128+n on other signals); throws {@link RunError}
 * when the traced process died.
 *
 * Start-up is ordered for the first paint: a splash goes up before ink (about
 * half a second to import) has loaded, and the traced server boots meanwhile.
 */
export async function runInteractive(options: InteractiveOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const live = options.live;
  const given = options.runner;
  if (!live && !given && !options.trace) throw new Error("runInteractive needs a live run or a trace");
  // main.ts decides before calling; this keeps a wrong call from a raw-mode crash.
  if (!stdin.isTTY || !stdout.isTTY) throw new UsageError("the interactive stepper needs a terminal on stdin and stdout (use --no-interactive)");
  const { Screen, frameSink, splash } = await import("../ui/screen.js");
  const size = (): { width: number; height: number } => ({ width: stdout.columns || 80, height: stdout.rows || 24 });
  const screen = new Screen(stdout);
  // Raw at once: keys typed before the UI is up wait for it instead of echoing over the screen.
  if (stdin.isTTY) stdin.setRawMode(true);
  screen.enter();
  screen.paint(splash(size(), live?.scenario.name ?? given?.options.scenario.name ?? options.trace!.meta.scenario, !live && !given));
  const splashed = performance.now();

  let code: number = EXIT.ok;
  let failure: string | undefined;
  let ending = false;
  let instance: { unmount(): void; rerender(node: ReactNode): void; waitUntilExit(): Promise<unknown> } | undefined;
  const end = (exitCode: number): void => {
    if (ending) return;
    ending = true;
    code = exitCode;
    instance?.unmount();
  };
  const onSignal = (signal: NodeJS.Signals): void => end(signal === "SIGINT" ? EXIT.interrupted : 128 + (constants.signals[signal] ?? 0));
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const signal of signals) process.on(signal, onSignal);

  const [{ LiveSource }, { ReplaySource }] = await Promise.all([import("../ui/live-source.js"), import("../ui/trace-source.js")]);
  const planned = live?.scenario.steps ?? given?.steps;
  const liveSource: LiveSource | undefined = planned
    ? new LiveSource({ plan: planned.map((s) => ({ id: s.id, title: s.title })), scenario: live?.scenario.name ?? given!.options.scenario.name })
    : undefined;
  const source: TraceSource = liveSource ?? new ReplaySource(options.trace!);
  // A replay has no log of its own to add to: there, this process's diagnostics are dropped while the screen is ours.
  const note = (text: string): void => liveSource?.note(text);
  const restoreOutput = await captureOutput(note);
  let runner: Runner | AttachedRunner | undefined = given;
  let detach: (() => void) | undefined;
  if (given) {
    detach = given.addChangeListener(liveSource!.changed);
    liveSource!.attach(given);
  }
  const started = live
    ? import("../scenario/runner.js")
        .then(({ Runner }) => Runner.start({ ...live, onChange: liveSource!.changed }))
        .then(
          (up) => {
            runner = up;
            if (!ending) liveSource!.attach(up);
          },
          (error: unknown) => liveSource!.fail(`could not start the traced server: ${(error as Error)?.message ?? String(error)}`),
        )
    : Promise.resolve();
  const unsubscribe = source.subscribe(() => {
    if (source.failure && !ending) {
      failure = source.failure;
      end(EXIT.failure);
    }
  });

  const projectRoot = options.projectRoot ?? live?.projectRoot ?? given?.options.projectRoot ?? (await import("./export-command.js")).projectRootOf(options.trace!);
  const describe = options.describe ?? lazyDescribe(projectRoot, options.offline ?? false);
  const exportMarkdown = options.exportMarkdown ?? ((trace: Trace) => exportReport(trace, options.offline ?? false));
  let painted = false;
  let score: { readonly right: number; readonly answered: number } | undefined;
  const onResize = (): void => {
    screen.invalidate();
    instance?.rerender(element());
  };
  let element: () => ReactNode = () => null;
  try {
    const [{ render }, { createElement }, { App }] = await Promise.all([import("ink"), import("react"), import("../ui/app.js")]);
    element = () =>
      createElement(App, {
        source,
        ...size(),
        color: options.color,
        describe,
        onExport: exportMarkdown,
        onQuit: (reason: QuitReason) => end(reason === "interrupt" ? EXIT.interrupted : EXIT.ok),
        onOpen: async (file: string, line: number) => {
          const command = (await import("../ui/editor-command.js")).editorCommand(process.env.VISUAL || process.env.EDITOR, resolve(projectRoot, file), line);
          if (!command) return `set $EDITOR to open ${file}:${line}`;
          // The editor gets the terminal: off the alternate screen and out of raw mode until it exits.
          screen.leave();
          stdin.setRawMode(false);
          const result = spawnSync(command[0], command[1], { stdio: "inherit" });
          stdin.setRawMode(true);
          screen.enter();
          onResize();
          return result.error ? `could not run ${command[0]}: ${result.error.message}` : `opened ${file}:${line} in ${command[0]}`;
        },
        onCopy: async (text: string) => {
          // OSC 52: the terminal (or tmux with set-clipboard on) takes it; the log keeps it either way.
          stdout.write(`\u001B]52;c;${Buffer.from(text).toString("base64")}\u0007`);
          note(`copied frame: ${text}`);
          return liveSource ? `copied ${Buffer.byteLength(text)} B (OSC 52; also in the log, l)` : `copied ${Buffer.byteLength(text)} B (OSC 52)`;
        },
        compare: options.compare,
        ...(options.predict ? { predict: options.predict } : {}),
        onScore: (now: { readonly right: number; readonly answered: number }) => {
          score = now;
        },
      });
    const sink = frameSink(size, (frame) => {
      screen.paint(frame);
      if (painted) return;
      painted = true;
      const ms = performance.now();
      // Not from inside ink's render: the note itself changes what is rendered.
      setImmediate(() => note(`trace-socket:ui splash ${splashed.toFixed(0)} ms, stepper ${ms.toFixed(0)} ms after the process started`));
    });
    stdout.on("resize", onResize);
    if (!ending) {
      // debug: ink writes each whole frame to the sink, and the screen paints only the rows that changed.
      const ink = render(element(), { stdout: sink as unknown as NodeJS.WriteStream, stdin, debug: true, exitOnCtrlC: false, patchConsole: false });
      instance = ink;
      if (ending) ink.unmount();
      await ink.waitUntilExit();
    }
    ending = true;
    await started;
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
    stdout.off("resize", onResize);
    unsubscribe();
    liveSource?.dispose();
    detach?.();
    await started;
    await runner?.close();
    screen.leave();
    if (stdin.isTTY) stdin.setRawMode(false);
    restoreOutput();
  }
  // Off the alternate screen, the score stays in the terminal after the stepper is gone.
  if (score) stdout.write(`predict: ${score.right} of ${score.answered} right\n`);
  if (failure) throw new RunError(failure);
  return code;
}
