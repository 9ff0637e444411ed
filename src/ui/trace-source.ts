/**
 * Where the stepper's trace comes from: a live runner that records steps on
 * demand, or a recorded trace replayed without any server. The UI only sees
 * this interface: immutable snapshots, a change signal and "step forward".
 */
import { SCHEMA_NAME, SCHEMA_VERSION, type Trace } from "../trace/model.js";
import type { ServerAction } from "../runtime/server-action.js";

/** A step of the scenario as planned, before it has run. */
export interface PlannedStep {
  readonly id: string;
  readonly title: string;
}

/** A trace that changes over time and can be asked for its next step. */
export interface TraceSource {
  readonly kind: "live" | "replay";
  /** Every step of the scenario, recorded or not. */
  readonly plan: readonly PlannedStep[];
  /**
   * True when the steps are found as the run goes (the user's own clients act, `--client none`):
   * the plan is no total, so the stepper shows `step i`, as the text output does.
   */
  readonly openEnded?: boolean;
  /** Grows on every change subscribers are told about. */
  readonly version: number;
  /** The trace as recorded so far; the same object until the next change. */
  snapshot(): Trace;
  /** Calls `listener` after each change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Whether {@link stepForward} would record another step. */
  readonly canStep: boolean;
  /** True while a step runs. */
  readonly busy: boolean;
  /** Steps asked for while one runs, to run after it. */
  readonly queued?: number;
  /** What the source is doing when it is not ready yet (`starting the traced server…`). */
  readonly status?: string;
  /** Why the last step failed, when it did (the source may still be usable). */
  readonly error?: string;
  /** Set when the traced process died: the stepper must end. */
  readonly failure?: string;
  /**
   * Records (live) or reveals (replay) the next step; asked while a step runs,
   * it runs after it. Never rejects: errors land in `error`.
   */
  stepForward(): Promise<void>;
  /**
   * Runs a user's action on the live server as the next step (live only); resolves to why it
   * was not run, or undefined. Never rejects.
   */
  act?(action: ServerAction): Promise<string | undefined>;
}

/** A trace with no steps, for the moment before the traced server is up. */
export function emptyTrace(scenario: string): Trace {
  return {
    meta: {
      schema: SCHEMA_NAME,
      version: SCHEMA_VERSION,
      tool: "",
      node: "",
      platform: "",
      startedAt: "",
      command: "",
      scenario,
      packages: {},
    },
    functions: [],
    steps: [],
    connections: [],
    chunks: [],
    logs: [],
    dropped: { calls: 0, chunks: 0, bytes: 0, logs: 0 },
  };
}

/** Subscriber bookkeeping shared by the sources. */
export class Signal {
  private readonly listeners = new Set<() => void>();
  version = 0;

  /** Stable, so it can be handed to `useSyncExternalStore` as is. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Bumps the version and tells every subscriber. */
  emit(): void {
    this.version++;
    for (const listener of [...this.listeners]) listener();
  }

  clear(): void {
    this.listeners.clear();
  }
}

/**
 * Replays a recorded trace: steps are revealed one at a time as the user
 * steps forward, nothing runs.
 *
 * @example
 * const source = new ReplaySource(parseTraceFile(text));
 * await source.stepForward(); // step 2 appears
 */
export class ReplaySource implements TraceSource {
  readonly kind = "replay";
  readonly busy = false;
  readonly plan: readonly PlannedStep[];
  private readonly signal = new Signal();
  private revealed: number;
  private cached?: { readonly revealed: number; readonly trace: Trace };

  constructor(
    private readonly trace: Trace,
    revealed = Math.min(1, trace.steps.length),
  ) {
    this.plan = trace.steps.map((step) => ({ id: step.id, title: step.title }));
    this.revealed = Math.max(0, Math.min(revealed, trace.steps.length));
  }

  get version(): number {
    return this.signal.version;
  }

  readonly subscribe = (listener: () => void): (() => void) => this.signal.subscribe(listener);

  snapshot(): Trace {
    if (this.cached?.revealed !== this.revealed) {
      this.cached = { revealed: this.revealed, trace: { ...this.trace, steps: this.trace.steps.slice(0, this.revealed) } };
    }
    return this.cached.trace;
  }

  get canStep(): boolean {
    return this.revealed < this.trace.steps.length;
  }

  async stepForward(): Promise<void> {
    if (!this.canStep) return;
    this.revealed++;
    this.signal.emit();
  }
}
