/**
 * Layers look down: a module imports only from its own layer or one below it
 * (the order README's Layout states), and no files import each other in a
 * circle. Read from the sources' import lines, so a new upward import fails
 * here before it reaches review.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";

const SRC = join(PACKAGE_ROOT, "src");

/** Bottom first; README's Layout states the same order. */
const LAYERS = ["trace", "wire", "claims", "instrument", "source", "runtime", "export", "ui", "scenario", "cli"] as const;

/** Upward imports that exist today (none: the list only shrinks). */
const KNOWN_UPWARD = new Set<string>([]);

/** Circles that exist today (none: the list only shrinks). */
const KNOWN_CYCLES = new Set<string>([]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

/** Relative imports of a file, static and dynamic, as `src/`-relative `.ts`/`.tsx` paths. */
function importsOf(file: string, known: ReadonlySet<string>): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["'](\.[^"']+)["']/g)) {
    const target = relative(SRC, resolve(dirname(file), match[1])).replaceAll("\\", "/");
    const ts = [target.replace(/\.js$/, ".ts"), target.replace(/\.js$/, ".tsx")].find((t) => known.has(t));
    if (ts) out.push(ts);
  }
  return out;
}

function graph(): Map<string, string[]> {
  const files = sources(SRC).map((f) => relative(SRC, f).replaceAll("\\", "/"));
  const known = new Set(files);
  return new Map(files.map((f) => [f, importsOf(join(SRC, f), known)]));
}

function layerOf(file: string): number {
  const index = (LAYERS as readonly string[]).indexOf(file.split("/")[0]);
  return index === -1 ? LAYERS.length : index;
}

/** Upward imports of a graph, as `from → to`. */
function upward(edges: ReadonlyMap<string, readonly string[]>): string[] {
  return [...edges].flatMap(([from, tos]) => tos.filter((to) => layerOf(to) > layerOf(from)).map((to) => `${from} → ${to}`));
}

/** Strongly connected components of more than one file (Tarjan, iterative), each sorted and joined with ↔. */
function cycles(edges: ReadonlyMap<string, readonly string[]>): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[] = [];
  let counter = 0;
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    const work: [string, number][] = [[root, 0]];
    while (work.length) {
      const frame = work[work.length - 1];
      const [node, i] = frame;
      if (i === 0) {
        index.set(node, counter);
        low.set(node, counter++);
        stack.push(node);
        onStack.add(node);
      }
      const next = (edges.get(node) ?? [])[i];
      if (next !== undefined) {
        frame[1]++;
        if (!index.has(next)) work.push([next, 0]);
        else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
        continue;
      }
      work.pop();
      if (work.length) low.set(work[work.length - 1][0], Math.min(low.get(work[work.length - 1][0])!, low.get(node)!));
      if (low.get(node) === index.get(node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        if (component.length > 1) out.push(component.sort().join(" ↔ "));
      }
    }
  }
  return out;
}

describe("the layers of src/", () => {
  const edges = graph();

  it("every top folder of src/ has its place in the order", () => {
    const folders = new Set([...edges.keys()].map((f) => f.split("/")[0]).filter((f) => !f.includes(".")));
    expect([...folders].filter((f) => !(LAYERS as readonly string[]).includes(f))).toEqual([]);
  });

  it("no module imports from a layer above its own", () => {
    // The reader of import lines works on the real files: an import it must see is seen.
    expect(edges.get("trace/call-tree.ts")).toContain("trace/record-ops.ts");
    expect(upward(edges).filter((edge) => !KNOWN_UPWARD.has(edge))).toEqual([]);
  });

  it("no files import each other in a circle", () => {
    const found = cycles(edges);
    expect(found.filter((c) => !KNOWN_CYCLES.has(c))).toEqual([]);
  });

  it("would see an upward import and a circle", () => {
    const probe = new Map([
      ["trace/a.ts", ["export/b.ts"]],
      ["export/b.ts", ["export/c.ts"]],
      ["export/c.ts", ["export/b.ts", "trace/a.ts"]],
      ["wire/d.ts", ["trace/a.ts"]],
    ]);
    expect(upward(probe)).toEqual(["trace/a.ts → export/b.ts"]);
    expect(cycles(probe)).toEqual(["export/b.ts ↔ export/c.ts ↔ trace/a.ts"]);
  });
});
