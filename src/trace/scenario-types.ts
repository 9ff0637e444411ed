/**
 * What a scenario folder declares, as the code reads it: steps, their docs
 * and counterpart links, the facts to check, the claims. Types only: the
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

/** A test on one source line. */
export interface TextTest {
  readonly includes?: string;
  readonly startsWith?: string;
}

/** Which call of a step a fact is about; every field given must hold. */
export interface CallPattern {
  readonly pkg?: string;
  readonly name?: string;
  readonly member?: string;
  readonly enclosing?: string;
  readonly fileEndsWith?: string;
  /** The nearest traced caller matches. */
  readonly parent?: CallPattern;
  /** Some traced caller further up matches, or is the call an earlier `find` entry of that name bound. */
  readonly under?: CallPattern | string;
  /** The caller's source line at which this call was made. */
  readonly callLine?: TextTest;
  /** The source line just above the function's own first line (the branch it is defined in). */
  readonly lineAbove?: TextTest;
}

/** A checked fact the trace of a scenario must bear out (`scenario.json` `facts`). */
export interface FactDefinition {
  readonly id: string;
  /** The fact, in one sentence. */
  readonly claim: string;
  /** Id of the step whose calls show it. */
  readonly step: string;
  /** Calls that must be there, each bound to a name: the first call (depth first) that matches. */
  readonly find: Readonly<Record<string, CallPattern>>;
  /** Calls that must not be there. */
  readonly absent?: Readonly<Record<string, CallPattern>>;
  /** What shows it: `{name.where}`, `{name.at}`, `{name.callLine}`, `{name.lineAbove}`, `{name.parent.where}`. */
  readonly evidence: string;
  /** When it fails and some such calls ran: `text` with `{list}`, the calls each written as `each`. */
  readonly seen?: { readonly calls: CallPattern; readonly each: string; readonly text: string };
  /** When it fails otherwise. */
  readonly missing: string;
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
  readonly facts?: readonly FactDefinition[];
  /** A user's own app: its packages are those it loaded, never the copies installed beside trace-socket. */
  readonly ownApp?: boolean;
}
