/**
 * Runs a JavaScript snippet through the real load-time transform and evaluates
 * it as a CommonJS module against a fresh recorder, for unit tests.
 */
import { Recorder, OP, type RecordBatch } from "../../src/instrument/recorder.js";
import { RECORDER_GLOBAL, transformSource, type FoundFunction } from "../../src/instrument/transform.js";

export interface Instrumented<T> {
  readonly exports: T;
  readonly recorder: Recorder;
  readonly functions: readonly FoundFunction[];
  readonly code: string;
  /** Drains the recorder and lists `enter name` / `exit name` lines. */
  events(): string[];
}

/** Transforms `source`, evaluates it with `module.exports`, returns what it exported. */
export function instrument<T = Record<string, unknown>>(source: string, capacity = 4096): Instrumented<T> {
  const recorder = new Recorder(capacity);
  (globalThis as Record<string, unknown>)[RECORDER_GLOBAL] = recorder;
  const result = transformSource(source, { sourceType: "script", idBase: 1, moduleName: "snippet.js" });
  if (result.error) throw new Error(result.error);
  const module = { exports: {} as T };
  new Function("module", "exports", result.code)(module, module.exports);
  const names = (id: number): string => result.functions[id - 1]?.name ?? `#${id}`;
  return {
    exports: module.exports,
    recorder,
    functions: result.functions,
    code: result.code,
    events() {
      const batch: RecordBatch | undefined = recorder.drain();
      if (!batch) return [];
      const label: Record<number, string> = { [OP.enter]: "enter", [OP.exit]: "exit", [OP.resume]: "resume", [OP.suspend]: "suspend", [OP.mark]: "mark" };
      return [...batch.ops].map((op, i) => `${label[op]} ${op === OP.mark ? batch.ids[i] : names(batch.ids[i])}`);
    },
  };
}
