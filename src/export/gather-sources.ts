/**
 * Fills {@link ReportSources} for a trace: source views, option and method
 * docs and licences from the source index (`src/source/`, loaded lazily: it
 * pulls in ts-morph on a cold cache), the narration extras from the scenario
 * definition. Never throws: whatever cannot be had degrades to local links
 * and says so in `notes`.
 */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { walkCalls } from "../trace/call-tree.js";
import type { FunctionInfo, Trace } from "../trace/model.js";
import { loadScenario, type ScenarioDefinition } from "../trace/scenario.js";
import type { SourceIndex, SourceView } from "../source/index.js";
import type { ReportSources, StepExtras } from "./report-sources.js";

/** Where and how to gather. */
export interface GatherOptions {
  /** The project root the trace's paths are relative to. */
  readonly projectRoot: string;
  /** Never use the network for upstream permalinks. */
  readonly offline: boolean;
  /** Source index cache; default: the index's own default. */
  readonly cacheDir?: string;
  /** Upstream raw-file base; default: the index's own default. */
  readonly upstreamBase?: string;
  /** The scenario definition; default: the built-in scenario named in the trace, if there is one. */
  readonly scenario?: ScenarioDefinition;
}

/** Functions that appear in some step's call path. */
function calledFunctions(trace: Trace): FunctionInfo[] {
  const ids = new Set<number>();
  for (const step of trace.steps) walkCalls(step.calls, (node) => ids.add(node.fn));
  return trace.functions.filter((fn) => ids.has(fn.id));
}

function scenarioOf(trace: Trace, options: GatherOptions): ScenarioDefinition | undefined {
  if (options.scenario) return options.scenario;
  if (!/^[\w-]+$/.test(trace.meta.scenario)) return undefined;
  try {
    return loadScenario(trace.meta.scenario);
  } catch {
    return undefined;
  }
}

function stepExtras(scenario: ScenarioDefinition | undefined): Map<string, StepExtras> {
  const out = new Map<string, StepExtras>();
  for (const step of scenario?.steps ?? []) {
    const claims = scenario?.claims?.[step.id]?.map((claim) => claim.say);
    out.set(step.id, { options: step.docs.options, methods: step.docs.methods, flask: step.flask, template: step.explanation, ...(claims?.length ? { claimTemplates: claims } : {}) });
  }
  return out;
}

/** Option values in force, typed again from a step's narration strings (`"1500"` → 1500, origins → `cors.origin`). */
export function optionValues(values: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(values)) {
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // A plain string such as a path.
    }
    if (key === "origins") out.cors = { origin: value };
    else out[key] = value;
  }
  return out;
}

/** A one-line account of how the upstream permalinks went. */
function upstreamNote(views: readonly SourceView[]): string {
  const library = views.filter((v) => v.fn.pkg !== "app" && !v.fn.generated);
  const linked = library.filter((v) => v.upstream.kind === "permalink").length;
  const reasons = new Map<string, number>();
  for (const v of library) if (v.upstream.kind === "unavailable") reasons.set(v.upstream.reason, (reasons.get(v.upstream.reason) ?? 0) + 1);
  const top = [...reasons.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3);
  const why = top.length ? ` Without one (linked locally instead): ${top.map(([reason, n]) => `${n} × ${reason}`).join("; ")}.` : "";
  return `Upstream permalinks: ${linked} of ${library.length} library functions in the call paths.${why}`;
}

/** Local-only views, read straight from the files: what the report can show without the index. */
async function localViews(root: string, functions: readonly FunctionInfo[]): Promise<Map<number, SourceView>> {
  const files = new Map<string, Promise<string[] | undefined>>();
  const views = new Map<number, SourceView>();
  for (const fn of functions) {
    let lines = files.get(fn.file);
    if (!lines) {
      lines = readFile(join(root, fn.file), "utf8").then((t) => t.split(/\r?\n/), () => undefined);
      files.set(fn.file, lines);
    }
    const text = await lines;
    const last = Math.min(fn.endLine, fn.line + 39);
    views.set(fn.id, {
      fn,
      local: { path: fn.file, line: fn.line, endLine: fn.endLine, text: `${fn.file}:${fn.line}` },
      ...(text && {
        excerpt: {
          declarationLine: fn.line,
          lines: text.slice(fn.line - 1, last).map((t, i) => ({ number: fn.line + i, text: t })),
          omitted: Math.max(0, fn.endLine - last),
        },
      }),
      upstream: { kind: "unavailable", reason: "no source index" },
      notes: text ? [] : [`cannot read ${fn.file}`],
    });
  }
  return views;
}

/** Docs are looked up in the packages the scenario's server resolves (a copy nested under trace-socket, if so). */
async function openIndex(options: GatherOptions, scenario: ScenarioDefinition | undefined): Promise<SourceIndex> {
  const { openSourceIndex } = await import("../source/index.js");
  return openSourceIndex(options.projectRoot, {
    offline: options.offline,
    ...(scenario && { resolveFrom: dirname(scenario.server) }),
    ...(options.cacheDir !== undefined && { cacheDir: options.cacheDir }),
    ...(options.upstreamBase !== undefined && { upstreamBase: options.upstreamBase }),
  });
}

/** Asks once for every option and method any step quotes. */
async function askDocs(index: SourceIndex, steps: ReadonlyMap<string, StepExtras>, values: Record<string, unknown>): Promise<Pick<LibraryDocs, "options" | "methods">> {
  const optionNames = [...new Set([...steps.values()].flatMap((s) => s.options))];
  const methodNames = [...new Set([...steps.values()].flatMap((s) => s.methods))];
  const [optionDocs, methodDocs] = await Promise.all([index.optionDocs(optionNames, values), index.methodDocs(methodNames)]);
  return { options: new Map(optionDocs.map((d) => [d.name, d])), methods: new Map(methodDocs.map((d) => [d.name, d])) };
}

/** The doc comments a scenario's steps quote: the "From the library" part of {@link ReportSources}. */
export type LibraryDocs = Pick<ReportSources, "steps" | "options" | "methods">;

/**
 * Only the doc comments `scenario` quotes, for printing beside a run that has
 * not happened yet (values in force are the renderer's to add). Unlike
 * {@link gatherSources} this rejects when the source index cannot be opened.
 */
export async function gatherLibraryDocs(scenario: ScenarioDefinition, options: Omit<GatherOptions, "scenario">): Promise<LibraryDocs> {
  const steps = stepExtras(scenario);
  return { steps, ...(await askDocs(await openIndex(options, scenario), steps, {})) };
}

/** Gathers everything the report shows beyond the trace. */
export async function gatherSources(trace: Trace, options: GatherOptions): Promise<ReportSources> {
  const scenario = scenarioOf(trace, options);
  const steps = stepExtras(scenario);
  const functions = calledFunctions(trace);
  const base = { steps, ...(scenario && { scenarioTitle: scenario.title }) };
  try {
    const index = await openIndex(options, scenario);
    const [views, docs, licences] = await Promise.all([
      Promise.all(functions.map((fn) => index.describe(fn))),
      askDocs(index, steps, optionValues(trace.steps[trace.steps.length - 1]?.values ?? {})),
      index.licences().catch(() => []),
    ]);
    return {
      ...base,
      views: new Map(views.map((v) => [v.fn.id, v])),
      ...docs,
      licences,
      notes: [upstreamNote(views)],
    };
  } catch (error) {
    return {
      ...base,
      views: await localViews(options.projectRoot, functions),
      options: new Map(),
      methods: new Map(),
      licences: [],
      notes: [`The source index was unavailable (${(error as Error).message.split("\n")[0]}): excerpts are read from the local files; no doc comments, licences or upstream permalinks.`],
    };
  }
}
