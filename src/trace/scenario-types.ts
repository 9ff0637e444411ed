/**
 * What a scenario folder declares, as the code reads it: steps, their docs
 * and counterpart links, the claims. Types only: the
 * loading and checking is in `scenario.ts`, which re-exports these.
 */
import type { ClaimsFile, FrameMatch } from "./claims-spec.js";
import type { UserCode } from "./model.js";

/** Which process runs a step's user code. */
export type StepSide = "server" | "client" | "none";

/** What a step waits for on the wire before it counts as done. */
export type WaitFor = "upgrade" | "pong" | "close";

/** What a step does to the built-in client's process (`src/scenario/client-actions.ts`). */
export type ClientAction = "freeze" | "kill";

/** A pinned line range in a file of another project (`linkRepos` of the scenario). */
export interface CounterpartLink {
  /** Key into the scenario's `linkRepos`. */
  readonly repo: string;
  readonly line: number;
  readonly endLine?: number;
  /** The code or name at that place. */
  readonly label: string;
  /** What the reader should know about it (a branch not taken, what it really does). */
  readonly note?: string;
}

/** An option (a keyword argument) a Python step quotes. */
export interface OptionRef {
  readonly name: string;
  /**
   * The callables whose docstrings may document it, the one that consumes it
   * first: its paragraph is quoted, the others are named (and their
   * documented defaults compared with it).
   */
  readonly owners: readonly string[];
  /** The step value (`Step.values`) holding what was in force, and its unit there. */
  readonly value?: {
    readonly key: string;
    readonly unit?: string;
    /** The Python parameter takes seconds while the value was recorded in ms (from the open packet): show both. */
    readonly pythonSeconds?: boolean;
  };
}

/** The Python docstrings one step quotes. */
export interface StepDocRefs {
  /** Qualified names: module path, then class and member (`socketio.Server.on`). */
  readonly methods: readonly string[];
  readonly options: readonly OptionRef[];
}

/** One step as the scenario declares it. */
export interface StepDefinition {
  readonly id: string;
  readonly title: string;
  readonly side: StepSide;
  /** Text of the first top-level statement of the step's code. */
  readonly anchor?: string;
  readonly waitFor?: WaitFor;
  /** Done to the built-in client's process during the step: stopped until `until` (`freeze`), or killed (`kill`). */
  readonly action?: ClientAction;
  /** A frame (as a claim matches one) the wire must show after the step began before it is done. */
  readonly until?: FrameMatch;
  /** Narration with `{placeholders}` for live values, for a step that `claims.json` does not narrate. */
  readonly explanation?: string;
  /** Options and methods whose doc comments the step quotes. */
  readonly docs: { readonly options: readonly string[]; readonly methods: readonly string[] };
  /** The Flask-SocketIO counterpart, in the project's words. */
  readonly flask?: string;
  /** The socket.io counterpart of a Python scenario's step. */
  readonly node?: string;
  /** The user's code, when it is known up front rather than found from an anchor. */
  readonly code?: UserCode;
  /** Show the HTTP server's listeners before and after the first step. */
  readonly listeners?: boolean;
  /** `package:Function.name` of the calls worth a source excerpt, in order. */
  readonly focus?: readonly string[];
  /** Pinned links into the counterpart's code. */
  readonly links?: readonly CounterpartLink[];
  /** The Python docstrings the step quotes. */
  readonly pythonDocs?: StepDocRefs;
  /**
   * In a run of several traced processes: the one whose process runs the step's line (its
   * server, or its client), or, for a server step, the ones that each run it in turn (the same
   * program in each: both servers create their adapter); default: the first.
   */
  readonly process?: string | readonly string[];
}

/** A scenario of several traced servers (`scenario.json` `servers`). */
export interface ServersDefinition {
  /** One server process per name, in order; client N belongs to the N-th. */
  readonly names: readonly string[];
  /** They need a Redis, passed as REDIS_URL. */
  readonly redis?: boolean;
}

/**
 * A scenario on Node's cluster module (`scenario.json` `cluster`): its server is the primary,
 * which forks the workers; each is traced as a process of its own (`worker-1`, …).
 */
export interface ClusterDefinition {
  /** The workers' program (absolute). */
  readonly worker: string;
  /** How many workers the primary forks. */
  readonly workers: number;
}

/** A file of another project, pinned at a commit. */
export interface LinkRepo {
  /** The file's permalink at `commit`, without a line anchor. */
  readonly url: string;
  /** How the report names the file. */
  readonly file: string;
  readonly commit: string;
}

/** A scenario ready to run. */
export interface ScenarioDefinition {
  readonly name: string;
  readonly title: string;
  /** Absolute paths. */
  readonly server: string;
  readonly client?: string;
  readonly steps: readonly StepDefinition[];
  /** What each step says about the run, with the checks that prove it (`claims.json`), when the scenario has them. */
  readonly claims?: ClaimsFile;
  /** Which runtime serves it; default node. */
  readonly runtime?: "node" | "python";
  /** The one `trace-socket` runs when none is named. */
  readonly default?: boolean;
  /** One line for `trace-socket lessons`: what the lesson dispels. */
  readonly summary?: string;
  /** The same scenario on another server, by `--server` value. */
  readonly counterparts?: Readonly<Record<string, string>>;
  /** Pinned files the steps' `links` point into. */
  readonly linkRepos?: Readonly<Record<string, LinkRepo>>;
  /** A user's own app: its packages are those it loaded, never the copies installed beside trace-socket. */
  readonly ownApp?: boolean;
  /** Several traced servers running the same program. */
  readonly servers?: ServersDefinition;
  /** A cluster primary and its workers, all traced. */
  readonly cluster?: ClusterDefinition;
}
