/**
 * Finds an installed function again in the upstream source of its release, by
 * name — class + member, function name, or a closure's place — never by line
 * arithmetic. A function that is not in the upstream file gets no link, only
 * that fact (why it is missing is not known); only one that is there but
 * cannot be told apart from its namesakes is linked to its enclosing function,
 * and the link says so.
 */
import type { FileScan } from "./scan-functions.js";
import type { FunctionIdentity, IndexedFunction, UpstreamTarget } from "./types.js";

/** A range in the upstream file, or why there is none. */
export type MatchOutcome =
  | {
      readonly found: true;
      readonly line: number;
      readonly endLine: number;
      readonly target: UpstreamTarget;
      readonly reason?: string;
    }
  | { readonly found: false; readonly reason: string };

function found(fn: IndexedFunction, target: UpstreamTarget, reason?: string): MatchOutcome {
  return { found: true, line: fn.line, endLine: fn.endLine, target, ...(reason !== undefined && { reason }) };
}

/** Keeps the candidates that agree with `wanted` on a field, unless none would remain. */
function narrow(
  candidates: readonly IndexedFunction[],
  agrees: (fn: IndexedFunction) => boolean,
): readonly IndexedFunction[] {
  const kept = candidates.filter(agrees);
  return kept.length > 0 ? kept : candidates;
}

/** What is known when a function is not in the upstream file: only that. */
function absent(wanted: FunctionIdentity, where: string): MatchOutcome {
  return { found: false, reason: `${wanted.name} is not in ${where}` };
}

/** Falls back to the enclosing function of an ambiguous one, saying why it was not linked itself. */
function viaEnclosing(wanted: FunctionIdentity, scan: FileScan, why: string, where: string): MatchOutcome {
  if (wanted.enclosing !== undefined) {
    const enclosing = scan.functions.filter((fn) => fn.name === wanted.enclosing);
    if (enclosing.length === 1) {
      return found(enclosing[0]!, "enclosing", `${why}; the link points at its enclosing function ${wanted.enclosing}`);
    }
    const reason = `${why}, nor a single enclosing ${wanted.enclosing} (${enclosing.length} found) in ${where}`;
    return { found: false, reason };
  }
  return { found: false, reason: `${why} in ${where}` };
}

function matchMember(wanted: FunctionIdentity, scan: FileScan, where: string): MatchOutcome {
  const same = narrow(
    scan.functions.filter((fn) => fn.className === wanted.className && fn.member === wanted.member),
    (fn) => fn.kind === wanted.kind,
  );
  if (same.length === 1) return found(same[0]!, "member");
  if (same.length > 1) return viaEnclosing(wanted, scan, `${same.length} declarations of ${wanted.name} upstream`, where);
  if (wanted.member === "constructor") {
    const cls = scan.classes.find((c) => c.name === wanted.className);
    if (cls) {
      return {
        found: true,
        line: cls.line,
        endLine: cls.endLine,
        target: "class",
        reason:
          `class ${cls.name} has no explicit constructor upstream (the compiler wrote one for its fields); ` +
          "the link points at the class",
      };
    }
  }
  return absent(wanted, where);
}

/**
 * Matches one function against the scan of its upstream file. `where` names the
 * file and tag for the reasons (`packages/engine.io/lib/server.ts at engine.io@6.6.4`).
 */
export function matchUpstream(wanted: FunctionIdentity, scan: FileScan, where: string): MatchOutcome {
  if (wanted.generated) {
    return { found: false, reason: `${wanted.name} is glue written by the TypeScript compiler; it has no upstream source` };
  }
  if (wanted.className !== undefined && wanted.member !== undefined) return matchMember(wanted, scan, where);
  if (wanted.name.startsWith("<anonymous")) {
    const same = scan.functions.filter((fn) => fn.name === wanted.name);
    if (same.length === 1) return found(same[0]!, "closure");
    if (same.length === 0) return absent(wanted, where);
    return viaEnclosing(wanted, scan, `the closure could not be matched by name (${same.length} closures so named upstream)`, where);
  }
  const byName = scan.functions.filter((fn) => fn.name === wanted.name);
  const same = narrow(byName, (fn) => fn.enclosing === wanted.enclosing);
  if (same.length === 1) return found(same[0]!, "function");
  if (same.length === 0) return absent(wanted, where);
  return viaEnclosing(wanted, scan, `${same.length} functions named ${wanted.name} upstream`, where);
}
