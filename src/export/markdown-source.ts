/**
 * The library's own words in the report: excerpts of the key functions a step
 * ran, and "From the library" — the doc comments of the options and methods
 * the step involves, as the installed `.d.ts` and source declare them.
 */
import { walkCalls } from "../trace/call-tree.js";
import type { FunctionInfo, Step } from "../trace/model.js";
import type { DocComment, DocTag, Excerpt } from "../source/index.js";
import { code, fence, link, more, proseWithCode } from "./markdown-escape.js";
import { functionHref, localHref, packageLabel, type RenderContext } from "./markdown-context.js";
import { STEP_FOCUS } from "./step-focus.js";
import { groupByDeclaration } from "./method-groups.js";

/** Characters of a doc comment's description before it is cut. */
const DOC_LIMIT = 700;

/** The functions of a step worth an excerpt, in the order shown. */
export function focusFunctions(ctx: RenderContext, step: Step): FunctionInfo[] {
  const ran: FunctionInfo[] = [];
  const seen = new Set<number>();
  const shallow: FunctionInfo[] = [];
  walkCalls(step.calls, (node, depth) => {
    if (seen.has(node.fn)) return;
    seen.add(node.fn);
    const fn = ctx.functions.get(node.fn);
    if (!fn) return;
    ran.push(fn);
    if (depth <= 1 && !fn.generated && fn.pkg !== "app") shallow.push(fn);
  });
  const wanted = STEP_FOCUS[step.id] ?? [];
  const picked = wanted.flatMap((spec) => {
    const [pkg, name] = spec.split(/:(.*)/s);
    const fn = ran.find((f) => f.pkg === pkg && f.name === name);
    return fn ? [fn] : [];
  });
  return (picked.length ? picked : shallow).slice(0, ctx.options.maxExcerpts);
}

function language(file: string): string {
  if (/\.(?:m|c)?tsx?$/.test(file)) return "ts";
  if (/\.(?:m|c)?jsx?$/.test(file)) return "js";
  return "";
}

function excerptLines(excerpt: Excerpt, max: number): string[] {
  const lines = excerpt.lines.map((l) => l.text);
  let gapAt = excerpt.omitted > 0 ? lines.length - 1 : -1;
  let omitted = excerpt.omitted;
  if (lines.length > max) {
    // Keep the head and the closing line, as the index does.
    omitted += lines.length - max;
    lines.splice(max - 1, lines.length - max);
    gapAt = max - 1;
  }
  if (gapAt >= 0) lines.splice(gapAt, 0, `// ${more(omitted, omitted === 1 ? "line" : "lines")}`);
  return lines;
}

/** Key source excerpts of a step: the code that ran, with links to it locally and upstream. */
export function renderExcerpts(ctx: RenderContext, focus: readonly FunctionInfo[]): string[] {
  const out: string[] = [];
  for (const fn of focus) {
    const view = ctx.sources.views.get(fn.id);
    const local = link(code(`${fn.file}:${fn.line}–${fn.endLine}`), localHref(ctx, fn.file, fn.line, fn.endLine));
    const upstream = view?.upstream;
    const where =
      upstream?.kind === "permalink"
        ? `upstream ${link(code(`${upstream.repo}/${upstream.path}#L${upstream.startLine}`), upstream.url)}${upstream.reason ? ` (${proseWithCode(upstream.reason)})` : ""}`
        : upstream
          ? `no upstream permalink (${proseWithCode(upstream.reason)})`
          : "no upstream permalink (no source index)";
    out.push(`**${code(fn.name)}** in ${packageLabel(fn)}, ${local}; ${where}.`, "");
    if (view?.excerpt) out.push(...fence(excerptLines(view.excerpt, ctx.options.maxExcerptLines), language(fn.file)), "");
    else out.push(`(Source not available${view?.notes.length ? `: ${proseWithCode(view.notes.join("; "))}` : ""}.)`, "");
  }
  return out;
}

function tagText(doc: DocComment, name: string): DocTag[] {
  return doc.tags.filter((t) => t.tag === name);
}

/** A doc comment's description and its parameters, as one line of prose. */
function docLine(doc: DocComment | undefined): string {
  if (!doc) return "";
  const parts: string[] = [];
  if (doc.text.trim()) parts.push(`“${proseWithCode(doc.text.trim(), DOC_LIMIT)}”`);
  const params = tagText(doc, "param").map((t) => {
    // `name - what`, or JSDoc's `{Type} name what`.
    const match = /^(\{[^}]*\})?\s*(\[?[\w$.[\]=]+\]?)?\s*(?:-\s*)?([\s\S]*)$/.exec(t.text.trim());
    const [, type, name, what] = match ?? [];
    const head = name ? code(name) : type ? code(type) : "";
    const typed = name && type ? ` (${code(type)})` : "";
    return `${head}${typed}${what?.trim() ? ` — ${proseWithCode(what.trim().replace(/\.$/, ""), 200)}` : ""}`;
  });
  if (params.length) parts.push(`Parameters: ${params.join("; ")}.`);
  const returns = [...tagText(doc, "return"), ...tagText(doc, "returns")][0];
  if (returns?.text.trim()) parts.push(`Returns: ${proseWithCode(returns.text.trim().replace(/\.$/, ""), 200)}.`);
  return parts.join(" ");
}

/** The first `@example` of a doc comment as a fenced block, indented under a list item. */
function exampleBlock(doc: DocComment | undefined): string[] {
  const example = doc ? tagText(doc, "example")[0] : undefined;
  if (!example?.text.trim()) return [];
  const lines = example.text.replace(/^\s*\n/, "").replace(/\s+$/, "").split("\n");
  const kept = lines.length > 12 ? [...lines.slice(0, 11), `// ${more(lines.length - 11, "lines")}`] : lines;
  return ["", ...fence(kept, "js").map((line) => `  ${line}`), ""];
}

function declared(ctx: RenderContext, where: { pkg: string; type: string; file: string; line: number }): string {
  return `${where.pkg} ${code(where.type)}, ${link(code(`${where.file}:${where.line}`), localHref(ctx, where.file, where.line))}`;
}

/** "From the library": doc comments of the step's options and methods, and of the excerpted functions. */
export function renderLibraryDocs(ctx: RenderContext, step: Step, focus: readonly FunctionInfo[]): string[] {
  const extras = ctx.sources.steps.get(step.id);
  const items: string[][] = [];
  for (const name of extras?.options ?? []) {
    const doc = ctx.sources.options.get(name);
    if (!doc) continue;
    if (!doc.declaredIn) {
      items.push([`- Option ${code(name)}: ${proseWithCode(doc.reason ?? "not documented in the installed packages")}.`]);
      continue;
    }
    const facts = [declared(ctx, doc.declaredIn)];
    if (doc.documentedDefault !== undefined) facts.push(`documented default ${code(doc.documentedDefault)}`);
    if (doc.inForce !== undefined) facts.push(`in this run ${code(doc.inForce)}${doc.isDefault ? " (the default)" : ""}`);
    for (const shadow of doc.shadows) {
      facts.push(`overrides ${shadow.declaredIn.pkg} ${code(shadow.declaredIn.type)}${shadow.documentedDefault ? ` (default ${code(shadow.documentedDefault)})` : ""}`);
    }
    items.push([`- Option **${code(name)}** (${facts.join("; ")}): ${docLine(doc.doc) || "no doc comment."}`]);
  }
  const quotedTexts = new Set<string>();
  for (const { names, doc } of groupByDeclaration(extras?.methods ?? [], ctx.sources.methods)) {
    const asked = names.map((n) => code(n)).join(", ");
    if (!doc.declaredIn) {
      items.push([`- Method ${asked}: ${proseWithCode(doc.reason ?? "not found in the installed declarations")}.`]);
      continue;
    }
    if (doc.doc) quotedTexts.add(doc.doc.text.trim());
    const head = `- Method ${asked}, declared as **${code(doc.signature ?? names[0])}** (${declared(ctx, doc.declaredIn)})`;
    items.push([`${head}: ${docLine(doc.doc) || "no doc comment."}`, ...exampleBlock(doc.doc)]);
  }
  for (const fn of focus) {
    const doc = ctx.sources.views.get(fn.id)?.doc;
    if (!doc || quotedTexts.has(doc.text.trim())) continue;
    const line = docLine(doc);
    if (!line) continue;
    quotedTexts.add(doc.text.trim());
    items.push([`- Source comment of ${link(code(fn.name), functionHref(ctx, fn))} (${packageLabel(fn)}): ${line}`]);
  }
  if (!items.length) return [];
  // Items with a code block need blank lines around them; then every item gets one, for a consistent list.
  const loose = items.some((item) => item.length > 1);
  return loose ? items.flatMap((item, i) => (i ? ["", ...item] : item)).filter((l, i, all) => !(l === "" && all[i - 1] === "")) : items.flat();
}
