/**
 * The Runner's step control: where a step begins (every process's record stream cut at its own
 * marker), where it ends (every process settled), and the user's own action performed as a step
 * of its own. Kept apart from `runner.ts` so that the Runner reads as the order of a run and this
 * as the cuts between its steps.
 */
import type { StepDefinition } from "../trace/scenario.js";
import { StepFailure } from "../runtime/child.js";
import type { ServerAction } from "../runtime/server-action.js";
import type { StepRun } from "./assemble.js";
import { checkAction, type TakenActions } from "./actions.js";
import type { RunProcess } from "./run-process.js";

/** What step control reads and writes of the run it serves (the Runner is one). */
export interface StepHost {
  /** The traced processes: each is marked and settled at every step. */
  readonly processes: readonly RunProcess[];
  /** The steps begun so far; a step that begins is added here. */
  readonly runs: StepRun[];
  /** The run's steps; a user's action is inserted among them. */
  readonly steps: StepDefinition[];
  /** Why the run failed, when it did. */
  readonly failure: string | undefined;
  /** Waits for `pending`, but fails at once if a traced process dies meanwhile. */
  unlessServerDies<T>(pending: Promise<T>): Promise<T>;
}

/** Begins and ends the steps of one run, and performs the user's actions as steps. */
export class StepControl {
  /**
   * @param host the run whose steps are cut
   * @param actions the steps the user took from the stepper, which `act` adds to
   * @param changed called whenever a step began or ended (live views re-render on it)
   */
  constructor(
    private readonly host: StepHost,
    private readonly actions: TakenActions,
    private readonly changed: () => void,
  ) {}

  /** Starts step `index`: every process's record stream is cut there, each at its own marker. */
  async begin(index: number, origin: number): Promise<StepRun> {
    const { processes, runs } = this.host;
    const marks = await Promise.all(processes.map((p) => this.host.unlessServerDies(p.server.mark(index))));
    const run: StepRun = { index, origin, markSeq: marks[0].seq, startedAt: marks[0].time, notes: [], ...(marks.length > 1 ? { marks } : {}) };
    runs.push(run);
    this.changed();
    return run;
  }

  /** Ends `run` once every process settled (several servers settle together), with the first one's state then. */
  async end(run: StepRun): Promise<void> {
    const states = await Promise.all(this.host.processes.map((p) => p.server.settle()));
    run.state = states[0];
    run.settled = true;
    this.changed();
  }

  /**
   * Performs the user's `action` on the (first) traced server as a step of its own, inserted
   * before the next scenario step: marked, sent, settled like any step, its claims checked on the
   * run. A target no longer in the live state is refused before anything is sent.
   */
  async act(action: ServerAction): Promise<void> {
    const { processes, runs, steps } = this.host;
    const server = processes[0].server;
    if (!server.act) throw new Error(`actions need a Node server: the ${server.label} takes none`);
    if (server.dead) throw new StepFailure(this.host.failure ?? `the ${server.label} is not running`);
    const refused = checkAction(action, runs[runs.length - 1]?.state);
    if (refused) throw new Error(refused);
    const index = runs.length;
    this.actions.insert(action, steps, index);
    const run = await this.begin(index, -1);
    const why = await this.host.unlessServerDies(server.act(action));
    if (why) run.notes.push(`nothing was sent: ${why}`);
    await this.end(run);
  }
}
