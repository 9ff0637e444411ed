/**
 * The lessons: the built-in scenarios a user can name with `--scenario`,
 * read from their folders (`traces/<name>/`), the default one first. A
 * scenario that is another's counterpart on a different server (the Flask
 * chat) is reached through `--server`, not listed here.
 */
import { builtInScenarios, PACKAGE_ROOT, type ScenarioDefinition } from "./scenario.js";

/** One lesson as `trace-socket lessons` lists it. */
export interface Lesson {
  readonly name: string;
  /** Its one line: the summary in its `scenario.json`, else its title. */
  readonly line: string;
  readonly default: boolean;
}

/**
 * The built-in lessons, the default first, then by name. A scenario of several servers
 * (`servers` in its scenario.json) is not one yet: it has no committed, stable report;
 * `--scenario` still runs it ({@link runnableScenarios}).
 */
export function lessons(root: string = PACKAGE_ROOT): Lesson[] {
  return listed(root, false);
}

/** Every scenario `--scenario` runs: the lessons and the scenarios of several servers. */
export function runnableScenarios(root: string = PACKAGE_ROOT): Lesson[] {
  return listed(root, true);
}

function listed(root: string, severalServers: boolean): Lesson[] {
  const scenarios = builtInScenarios(root);
  const counterparts = new Set(scenarios.flatMap((s) => Object.values(s.counterparts ?? {})));
  return scenarios
    .filter((s) => !counterparts.has(s.name) && (severalServers || (!s.servers && !s.cluster)))
    .sort((a, b) => Number(b.default ?? false) - Number(a.default ?? false) || a.name.localeCompare(b.name))
    .map((s: ScenarioDefinition) => ({ name: s.name, line: s.summary ?? s.title, default: s.default === true }));
}

/** The lessons one per line, name then its line, aligned: what `trace-socket lessons` prints. */
export function formatLessons(list: readonly Lesson[]): string {
  const width = Math.max(...list.map((l) => l.name.length + (l.default ? " (default)".length : 0)));
  return list.map((l) => `${`${l.name}${l.default ? " (default)" : ""}`.padEnd(width)}  ${l.line}`).join("\n") + "\n";
}

/**
 * Checks a `--scenario` value: the name of a lesson, or else the one line
 * that names the known ones (thrown by the caller as a usage error).
 */
export function unknownLesson(name: string, list: readonly Lesson[]): string | undefined {
  if (list.some((l) => l.name === name)) return undefined;
  return `unknown scenario "${name}": the scenarios are ${list.map((l) => l.name).join(", ")} (trace-socket lessons)`;
}

/** The scenarios of several servers (`--scenario redis`, `cluster`): runnable, but not lessons of one server. */
export function acrossServers(root: string = PACKAGE_ROOT): Lesson[] {
  const own = new Set(lessons(root).map((l) => l.name));
  return runnableScenarios(root).filter((s) => !own.has(s.name));
}

/** What `trace-socket lessons` prints: the lessons, then the scenarios across servers under a heading of their own. */
export function formatCatalogue(root: string = PACKAGE_ROOT): string {
  const across = acrossServers(root);
  return formatLessons(lessons(root)) + (across.length ? `\nAcross servers (--scenario NAME):\n${formatLessons(across)}` : "");
}
