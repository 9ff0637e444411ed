/**
 * The live trace source: wraps the scenario runner, records a step only when
 * asked, and turns the runner's change signal (every IPC batch, every frame)
 * into at most a few snapshots a second, so live heartbeats cost little.
 */
import type { LogLine, Trace } from "../trace/model.js";
import { emptyTrace, Signal, type PlannedStep, type TraceSource } from "./trace-source.js";
import type { ServerAction } from "../runtime/server-action.js";

/** The part of `Runner` (src/scenario/runner.ts) the stepper uses. */
export interface LiveRunner {
  readonly stepCount: number;
  readonly nextStep: number;
  readonly failure?: string;
  trace(): Trace;
  runNext(): Promise<void>;
  /** Every step, run or not, actions taken included (the plan grows with them). */
  readonly steps?: readonly PlannedStep[];
  /** Runs a user's action on the live server as the next step. */
  act?(action: ServerAction): Promise<void>;
  /** The user's own clients act (`--client none`): each of their actions becomes a step as it comes. */
  readonly ownClients?: boolean;
}

/** Options of a {@link LiveSource}. */
export interface LiveSourceOptions {
  readonly plan: readonly PlannedStep[];
  /** Scenario name, for the trace shown before the runner is up. */
  readonly scenario: string;
  /** Least time between two change notifications; default 100 ms (≤ 10 snapshots a second). */
  readonly intervalMs?: number;
}

/** A {@link TraceSource} over a runner that is attached once it has started. */
export class LiveSource implements TraceSource {
  readonly kind = "live";
  private readonly planned: readonly PlannedStep[];
  busy = false;
  error?: string;
  private runner?: LiveRunner;
  private startFailure?: string;
  private readonly signal = new Signal();
  private readonly intervalMs: number;
  private readonly empty: Trace;
  private readonly notes: LogLine[] = [];
  private dirty = true;
  /** The runner's trace as last built, and with the notes added. */
  private recorded?: Trace;
  private cached?: Trace;
  private notesShown = 0;
  private timer?: ReturnType<typeof setTimeout>;
  private lastEmit = Number.NEGATIVE_INFINITY;
  private readonly born = performance.now();

  constructor(options: LiveSourceOptions) {
    this.planned = options.plan;
    this.intervalMs = options.intervalMs ?? 100;
    this.empty = emptyTrace(options.scenario);
  }

  /** The runner's steps once it is up (actions taken are among them), the plan given until then. */
  get plan(): readonly PlannedStep[] {
    return this.runner?.steps ?? this.planned;
  }

  /** Open-ended while the attached runner waits for the user's own clients. */
  get openEnded(): boolean {
    return this.runner?.ownClients === true;
  }

  get version(): number {
    return this.signal.version;
  }

  readonly subscribe = (listener: () => void): (() => void) => this.signal.subscribe(listener);

  /** Hands over the started runner. */
  attach(runner: LiveRunner): void {
    this.runner = runner;
    this.changed();
    if (this.queued > 0 && this.canStep) {
      this.queued--;
      void this.stepForward();
    }
  }

  /** The runner could not start: the stepper ends with this message. */
  fail(message: string): void {
    this.startFailure = message;
    this.emitNow();
  }

  /** The runner's `onChange`: something was recorded. Throttled. */
  readonly changed = (): void => {
    this.dirty = true;
    this.schedule();
  };

  private schedule(): void {
    if (this.timer) return;
    const wait = this.lastEmit + this.intervalMs - performance.now();
    if (wait <= 0) {
      this.emitNow();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.emitNow();
    }, wait);
  }

  /** A line of the CLI process's own diagnostics (`debug`), shown in the log view. */
  note(text: string): void {
    this.notes.push({ time: performance.now() - this.born, source: "debug", text });
    // Not `changed()`: a note must not rebuild the runner's trace, whose decoding may log again.
    this.schedule();
  }

  private emitNow(): void {
    this.lastEmit = performance.now();
    this.signal.emit();
  }

  get status(): string | undefined {
    return this.runner || this.startFailure ? undefined : "starting the traced server…";
  }

  get failure(): string | undefined {
    return this.startFailure ?? this.runner?.failure;
  }

  /** Before the runner is attached, a step asked for waits for it. */
  get canStep(): boolean {
    if (this.failure !== undefined) return false;
    return this.runner ? this.runner.nextStep < this.runner.stepCount : this.plan.length > 0;
  }

  snapshot(): Trace {
    if (!this.runner) return this.empty;
    if (this.dirty || !this.recorded) {
      this.recorded = this.runner.trace();
      this.dirty = false;
      this.cached = undefined;
    }
    if (!this.cached || this.notesShown !== this.notes.length) {
      this.cached = this.notes.length ? { ...this.recorded, logs: [...this.recorded.logs, ...this.notes] } : this.recorded;
      this.notesShown = this.notes.length;
    }
    return this.cached;
  }

  /** Steps asked for while one was running; they run right after it, so no keypress is lost. */
  queued = 0;
  /** Index of the step being run. */
  private running = 0;

  async stepForward(): Promise<void> {
    const runner = this.runner;
    if (!this.canStep) return;
    if (!runner) {
      if (this.queued < this.plan.length) this.queued++;
      this.emitNow();
      return;
    }
    if (this.busy) {
      if (this.running + 1 + this.queued < runner.stepCount) {
        this.queued++;
        this.emitNow();
      }
      return;
    }
    this.busy = true;
    this.error = undefined;
    this.dirty = true;
    this.emitNow();
    try {
      for (;;) {
        this.running = runner.nextStep;
        await runner.runNext();
        if (this.queued === 0 || !this.canStep) break;
        this.queued--;
        this.dirty = true;
        this.emitNow();
      }
    } catch (error) {
      this.error = (error as Error)?.message ?? String(error);
    } finally {
      this.queued = 0;
      this.busy = false;
      this.dirty = true;
      this.emitNow();
    }
  }

  async act(action: ServerAction): Promise<string | undefined> {
    const runner = this.runner;
    if (!runner?.act) return "this run takes no actions";
    if (this.busy) return "a step is running: send the action once it is done";
    if (this.failure !== undefined) return "the traced process is gone";
    this.busy = true;
    this.error = undefined;
    this.emitNow();
    try {
      await runner.act(action);
      return undefined;
    } catch (error) {
      return (error as Error)?.message ?? String(error);
    } finally {
      this.busy = false;
      this.dirty = true;
      this.emitNow();
    }
  }

  /** Stops the throttle timer and forgets subscribers. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.signal.clear();
  }
}
