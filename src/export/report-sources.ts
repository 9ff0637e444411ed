/**
 * What the markdown report knows beyond the trace: source excerpts, doc
 * comments, permalinks and licences (from `src/source/`), and the scenario's
 * per-step narration extras. Plain data, gathered before rendering, so that
 * the renderer stays pure; see `gather-sources.ts` for where it comes from.
 */
import type { MethodDoc, OptionDoc, PackageLicence, SourceView } from "../source/index.js";

/** What the scenario definition says about a step beyond the trace itself. */
export interface StepExtras {
  /** Server options whose doc comments the step quotes. */
  readonly options: readonly string[];
  /** Methods whose doc comments the step quotes (`Server.use`). */
  readonly methods: readonly string[];
  /** The Flask-SocketIO counterpart, in the project's words. */
  readonly flask?: string;
  /** The narration template, to know which live values the step talks about. */
  readonly template?: string;
  /** The templates of the step's claims, in declared order, when the scenario narrates with claims. */
  readonly claimTemplates?: readonly string[];
}

/** Everything the renderer shows that is not in the trace. */
export interface ReportSources {
  /** Source views by `FunctionInfo.id`, for the functions that appear in call paths. */
  readonly views: ReadonlyMap<number, SourceView>;
  /** Doc comments of server options, by the name asked (`pingInterval`). */
  readonly options: ReadonlyMap<string, OptionDoc>;
  /** Doc comments of methods, by the name asked (`Server.use`). */
  readonly methods: ReadonlyMap<string, MethodDoc>;
  /** One entry per installed name@version of the family. */
  readonly licences: readonly PackageLicence[];
  /** Per step id. */
  readonly steps: ReadonlyMap<string, StepExtras>;
  /** The scenario's one-line title, when the trace is of a built-in scenario. */
  readonly scenarioTitle?: string;
  /** How sources were gathered and what degraded (offline, no index…); shown in the report. */
  readonly notes: readonly string[];
}

/** No sources at all: the report still renders, with local links only. */
export const NO_SOURCES: ReportSources = {
  views: new Map(),
  options: new Map(),
  methods: new Map(),
  licences: [],
  steps: new Map(),
  notes: ["no source index: excerpts, doc comments and upstream permalinks are left out"],
};
