/**
 * "From the library" for the headless text: one line per option or method a
 * step quotes, with where the installed `.d.ts` declares it, its documented
 * default, the value in force and the start of its doc comment. Pure: docs
 * and values in, lines out.
 */
import type { DeclaredIn, DocComment, MethodDoc, OptionDoc } from "../source/types.js";
import { equalsDefault, formatValue, valueAt } from "../source/option-values.js";
import type { Step } from "../trace/model.js";
import { escapeControls, printableText } from "../wire/index.js";
import { cutProse } from "./text-cut.js";
import type { LibraryDocs } from "./gather-sources.js";
import { PLAIN, type TextStyle } from "./text.js";
import { groupByDeclaration } from "./method-groups.js";

/** Characters of a doc comment's description on one line before it is cut. */
export const DESCRIPTION_LIMIT = 160;

/** Characters of a fact (a default, a value, a reason) before it is cut. */
const FACT_LIMIT = 80;

// Doc comments come from installed packages: anything in them could be an escape
// sequence, so every piece goes through the same escaping as decoded traffic.
function clean(text: string, max: number): string {
  return printableText(text.replace(/\s+/g, " ").trim(), max);
}

function description(doc: DocComment | undefined): string {
  // `{@link Socket}` reads as `Socket` on a terminal; `{@link url | label}` as its label.
  const text = doc?.text.replace(/\{@link(?:code|plain)?\s+([^}|\s]+)(?:\s*\|?\s*([^}]*))?\}/g, (_, target: string, label?: string) => label?.trim() || target).trim();
  // Prose: cut where a sentence or a word ends, not in the middle of one.
  return text ? cutProse(escapeControls(text.replace(/\s+/g, " ").trim()), DESCRIPTION_LIMIT) : "no doc comment";
}

function where(declared: DeclaredIn, withType: boolean): string {
  return `${clean(declared.pkg, FACT_LIMIT)}${withType ? ` ${clean(declared.type, FACT_LIMIT)}` : ""}, ${clean(declared.file, 200)}:${declared.line}`;
}

/** The value in force: the step's own values first (the docs may have been asked before the run), else the doc's. */
function inForce(doc: OptionDoc, values: Readonly<Record<string, unknown>>): { readonly text: string; readonly isDefault?: boolean } | undefined {
  const live = valueAt(values, doc.name);
  if (live) {
    const isDefault = doc.documentedDefault !== undefined ? equalsDefault(live.value, doc.documentedDefault) : undefined;
    return { text: formatValue(live.value), ...(isDefault !== undefined && { isDefault }) };
  }
  if (doc.inForce === undefined) return undefined;
  return { text: doc.inForce, ...(doc.isDefault !== undefined && { isDefault: doc.isDefault }) };
}

function optionLine(doc: OptionDoc, values: Readonly<Record<string, unknown>>, style: TextStyle): string {
  const name = style.name(clean(doc.name, FACT_LIMIT));
  const live = inForce(doc, values);
  const run = live ? `in this run ${clean(live.text, FACT_LIMIT)}${live.isDefault ? " (the default)" : ""}` : undefined;
  if (!doc.declaredIn) {
    const why = clean(doc.reason ?? "not documented in the installed packages", 200);
    return `option ${name} ${style.dim(`(no declaration: ${why}${run ? `; ${run}` : ""})`)}`;
  }
  const facts = [where(doc.declaredIn, true)];
  if (doc.documentedDefault !== undefined) facts.push(`default ${clean(doc.documentedDefault, FACT_LIMIT)}`);
  if (run) facts.push(run);
  for (const shadow of doc.shadows) {
    const overridden = `${clean(shadow.declaredIn.pkg, FACT_LIMIT)} ${clean(shadow.declaredIn.type, FACT_LIMIT)}`;
    facts.push(`overrides ${overridden}${shadow.documentedDefault !== undefined ? ` (default ${clean(shadow.documentedDefault, FACT_LIMIT)})` : ""}`);
  }
  return `option ${name} ${style.dim(`(${facts.join("; ")})`)}: ${description(doc.doc)}`;
}

function methodLine(names: readonly string[], doc: MethodDoc, style: TextStyle): string {
  const asked = style.name(names.map((n) => clean(n, FACT_LIMIT)).join(", "));
  if (!doc.declaredIn) return `method ${asked} ${style.dim(`(no declaration: ${clean(doc.reason ?? "not found in the installed declarations", 200)})`)}`;
  // `Namespace.on` declared by `StrictEventEmitter`: say so; `Server.use` on `Server` needs no repeat.
  const inherited = names.some((n) => !n.replace(/^[^:]*:/, "").startsWith(`${doc.declaredIn?.type}.`));
  return `method ${asked} ${style.dim(`(${where(doc.declaredIn, inherited)})`)}: ${description(doc.doc)}`;
}

/**
 * The "From the library" lines of one step, indented to sit under its `what`
 * line. `values` are the options in force, typed (`optionValues(step.values)`
 * in `gather-sources.ts`); names the docs do not know are left out.
 *
 * @example
 * libraryDocLines(step, docs, { pingInterval: 1500 });
 * // ["  library option pingInterval (engine.io ServerOptions, node_modules/…/server.d.ts:NN; default 25000; in this run 1500): how many ms …"]
 */
export function libraryDocLines(step: Step, docs: LibraryDocs, values: Readonly<Record<string, unknown>> = {}, style: TextStyle = PLAIN): string[] {
  const extras = docs.steps.get(step.id);
  if (!extras) return [];
  const lines: string[] = [];
  for (const name of extras.options) {
    const doc = docs.options.get(name);
    if (doc) lines.push(optionLine(doc, values, style));
  }
  for (const { names, doc } of groupByDeclaration(extras.methods, docs.methods)) lines.push(methodLine(names, doc, style));
  return lines.map((line, i) => `${i === 0 ? "  library " : "          "}${line}`);
}
