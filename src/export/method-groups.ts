/**
 * Methods that resolve to one declaration (`Server.on`, `Namespace.on` →
 * `StrictEventEmitter.on`) are quoted once, under all the names asked; shared
 * by the markdown report and the headless text so both group the same way.
 */
import type { MethodDoc } from "../source/index.js";

/** One declaration and the names that led to it, in the order first asked. */
export interface MethodGroup {
  readonly names: string[];
  readonly doc: MethodDoc;
}

/** Groups `names` by the declaration their docs resolve to; names without docs are left out. */
export function groupByDeclaration(names: readonly string[], methods: ReadonlyMap<string, MethodDoc>): MethodGroup[] {
  const groups = new Map<string, MethodGroup>();
  for (const name of names) {
    const doc = methods.get(name);
    if (!doc) continue;
    const key = doc.declaredIn ? `${doc.declaredIn.file}:${doc.declaredIn.line}` : `?${name}`;
    const group = groups.get(key);
    if (group) group.names.push(name);
    else groups.set(key, { names: [name], doc });
  }
  return [...groups.values()];
}
