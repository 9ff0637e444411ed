/**
 * Checks on rendered markdown with the parser markdownlint itself uses
 * (micromark, through markdownlint's custom-rule API): lint findings under the
 * repository's `.markdownlint-cli2.jsonc`, and the structure a hostile payload
 * could break — table rows with the wrong number of cells, unclosed fences,
 * code spans that do not hold what they should.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lint } from "markdownlint-cli2/markdownlint/promise";
import jsoncParse from "markdownlint-cli2/parsers/jsonc";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";

interface Token {
  readonly type: string;
  readonly text: string;
  readonly startLine: number;
  readonly children: readonly Token[];
}

/** What the structure rule collects. */
export interface MarkdownStructure {
  /** Per table: the number of cells of each row (header first). */
  readonly tables: { readonly line: number; readonly rows: readonly number[] }[];
  /** Per fenced block: its info string and whether it was closed. */
  readonly fences: { readonly line: number; readonly info: string; readonly closed: boolean }[];
  /** The text inside every inline code span. */
  readonly codeSpans: readonly string[];
}

const config = (jsoncParse(readFileSync(join(PACKAGE_ROOT, ".markdownlint-cli2.jsonc"), "utf8")) as { config: Record<string, unknown> }).config;

function walk(tokens: readonly Token[], visit: (token: Token) => void): void {
  const pending = [...tokens].reverse();
  while (pending.length) {
    const token = pending.pop()!;
    visit(token);
    for (let i = token.children.length - 1; i >= 0; i--) pending.push(token.children[i]);
  }
}

/** Lint findings of `text` under the repository's configuration, one line each (empty when clean). */
export async function lintMarkdown(text: string): Promise<string[]> {
  const results = await lint({ strings: { report: text }, config });
  return (results.report ?? []).map(finding);
}

/** One lint finding as one line. */
function finding(e: { lineNumber: number; ruleNames: string[]; ruleDescription: string; errorDetail: string | null; errorContext: string | null }): string {
  return `line ${e.lineNumber}: ${e.ruleNames.join("/")} ${e.ruleDescription}${e.errorDetail ? ` (${e.errorDetail})` : ""}${e.errorContext ? ` [${e.errorContext.slice(0, 80)}]` : ""}`;
}

type Found = { tables: MarkdownStructure["tables"][number][]; fences: MarkdownStructure["fences"][number][]; codeSpans: string[] };

/** A custom markdownlint rule that collects the structure into `found` as it walks the parser's tokens. */
function structureRule(found: Found) {
  return {
    names: ["collect-structure"],
    description: "collects tables, fences and code spans",
    tags: ["test"],
    parser: "micromark" as const,
    function: (params: { parsers: { micromark: { tokens: readonly Token[] } } }): void => {
      walk(params.parsers.micromark.tokens, (token) => {
        if (token.type === "table") {
          const rows: number[] = [];
          walk(token.children, (row) => {
            if (row.type === "tableRow") rows.push(row.children.filter((c) => c.type === "tableData" || c.type === "tableHeader").length);
          });
          found.tables.push({ line: token.startLine, rows });
        } else if (token.type === "codeFenced") {
          const fences = token.children.filter((c) => c.type === "codeFencedFence");
          const info = fences[0]?.children.find((c) => c.type === "codeFencedFenceInfo")?.text ?? "";
          found.fences.push({ line: token.startLine, info, closed: fences.length === 2 });
        } else if (token.type === "codeText") {
          found.codeSpans.push(token.children.filter((c) => c.type === "codeTextData" || c.type === "lineEnding").map((c) => c.text).join(""));
        }
      });
    },
  };
}

/** Tables, fences and code spans of `text` as the parser sees them. */
export async function markdownStructure(text: string): Promise<MarkdownStructure> {
  const found: Found = { tables: [], fences: [], codeSpans: [] };
  await lint({ strings: { report: text }, config: { default: false, "collect-structure": true }, customRules: [structureRule(found) as never] });
  return found;
}

/**
 * {@link lintMarkdown} and {@link markdownStructure} of `text` in one pass of the linter: the
 * same findings and structure for one parse instead of two (the parse is what a property test
 * run of a whole report pays for).
 */
export async function checkMarkdown(text: string): Promise<{ findings: string[]; structure: MarkdownStructure }> {
  const structure: Found = { tables: [], fences: [], codeSpans: [] };
  const results = await lint({ strings: { report: text }, config: { ...config, "collect-structure": true }, customRules: [structureRule(structure) as never] });
  const findings = (results.report ?? []).filter((e) => !e.ruleNames.includes("collect-structure")).map(finding);
  return { findings, structure };
}
