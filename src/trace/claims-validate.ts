/**
 * Validating a scenario's claims file as it is loaded, so that a typo in a
 * check is one clear line naming the file and the field, not a claim that
 * silently never holds.
 */
import type { Check, ClaimSpec, ClaimsFile } from "./claims-spec.js";

/** A claims file that does not follow the vocabulary: `where` is the field's path. */
export class ClaimsFileError extends Error {
  constructor(readonly file: string, readonly where: string, problem: string) {
    super(`${file}: ${where}: ${problem}`);
    this.name = "ClaimsFileError";
  }
}

type Json = unknown;

const FRAME_FIELDS: Readonly<Record<string, "string" | "number" | "code" | "dir" | "data">> = {
  dir: "dir", method: "string", target: "string", status: "number", body: "string", ws: "string", closeCode: "code",
  eio: "string", sio: "string", nsp: "string", event: "string", raw: "string", data: "data",
  redis: "string", channel: "string", adapter: "string", server: "string", attachment: "number",
};

const CHECK_KEYS: readonly (readonly string[])[] = [
  ["call", "under", "notUnder", "calledFrom", "lineAbove", "scope"],
  ["order", "scope"],
  ["frame", "writtenBy", "before", "beforeCall", "afterCall", "scope"],
  ["noFrame", "scope"],
  ["link", "receivedBy", "reaches"],
  ["value", "equals"],
  ["log", "includes", "scope"],
  ["all"],
  ["any"],
  ["not"],
];

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Checks a frame match (a claim's `frame`, a step's `until`) as parsed from
 * JSON; `fail` is called with the field's path and the problem.
 */
export function checkFrameMatch(value: Json, at: string, fail: (where: string, problem: string) => never): void {
  if (!isObject(value)) fail(at, "expected an object of frame fields");
  const fields = value as Record<string, Json>;
  if (!Object.keys(fields).length) fail(at, "a frame match needs at least one field");
  for (const [key, field] of Object.entries(fields)) {
    const kind = FRAME_FIELDS[key];
    const here = `${at}.${key}`;
    if (!kind) fail(here, `unknown frame field (expected one of ${Object.keys(FRAME_FIELDS).join(", ")})`);
    if (kind === "string" && typeof field !== "string") fail(here, "expected a string");
    if (kind === "number" && typeof field !== "number") fail(here, "expected a number");
    if (kind === "code" && field !== null && typeof field !== "number") fail(here, "expected a close code or null");
    if (kind === "dir" && field !== "in" && field !== "out") fail(here, 'expected "in" or "out"');
    if (kind === "data") {
      if (!isObject(field)) fail(here, "expected an object of field values");
      for (const [name, wanted] of Object.entries(field as Record<string, Json>)) {
        if (!["string", "number", "boolean"].includes(typeof wanted)) fail(`${here}.${name}`, "expected a string, number or boolean");
      }
    }
  }
}

/** Checks claims parsed from JSON; throws {@link ClaimsFileError} on the first problem. */
export function validateClaims(parsed: Json, file: string): ClaimsFile {
  const fail = (where: string, problem: string): never => {
    throw new ClaimsFileError(file, where, problem);
  };

  const frame = (value: Json, at: string): void => checkFrameMatch(value, at, fail);

  function name(value: Json, at: string): void {
    if (typeof value !== "string" || !value.trim()) fail(at, "expected a function name such as Socket._onconnect");
  }

  function lineTest(value: Json, at: string, more: readonly string[]): void {
    if (!isObject(value)) fail(at, "expected an object with includes or startsWith");
    const t = value as Record<string, Json>;
    if (!("includes" in t) && !("startsWith" in t)) fail(at, "a line test needs includes or startsWith");
    for (const [key, field] of Object.entries(t)) {
      if (![...more, "includes", "startsWith"].includes(key)) fail(`${at}.${key}`, `unknown field (expected ${[...more, "includes", "startsWith"].join(", ")})`);
      if (key === "by") name(field, `${at}.by`);
      else if (typeof field !== "string" || !field) fail(`${at}.${key}`, "expected a non-empty string");
    }
  }

  function check(value: Json, at: string): void {
    if (!isObject(value)) fail(at, "expected a check object");
    const c = value as Record<string, Json>;
    const keys = Object.keys(c);
    const shape = CHECK_KEYS.find((allowed) => allowed[0] in c);
    if (!shape) fail(at, `unknown check (expected one of ${CHECK_KEYS.map((k) => k[0]).join(", ")})`);
    const extra = keys.find((k) => !shape!.includes(k));
    if (extra) fail(`${at}.${extra}`, `not part of a "${shape![0]}" check (allowed: ${shape!.join(", ")})`);
    if ("scope" in c && c.scope !== "step" && c.scope !== "whole-run") fail(`${at}.scope`, 'expected "step" or "whole-run"');
    switch (shape![0]) {
      case "call":
        name(c.call, `${at}.call`);
        if ("under" in c) name(c.under, `${at}.under`);
        if ("notUnder" in c) name(c.notUnder, `${at}.notUnder`);
        if ("calledFrom" in c) lineTest(c.calledFrom, `${at}.calledFrom`, ["by"]);
        if ("lineAbove" in c) lineTest(c.lineAbove, `${at}.lineAbove`, []);
        break;
      case "order":
        if (!Array.isArray(c.order) || c.order.length < 2) fail(`${at}.order`, "expected two or more function names");
        (c.order as Json[]).forEach((n, i) => name(n, `${at}.order[${i}]`));
        break;
      case "frame": {
        frame(c.frame, `${at}.frame`);
        const relations = ["writtenBy", "before", "beforeCall", "afterCall"].filter((k) => k in c);
        if (relations.length > 1) fail(`${at}.${relations[1]}`, `a frame check takes one of writtenBy, before, beforeCall, afterCall`);
        if ("before" in c) frame(c.before, `${at}.before`);
        for (const k of ["writtenBy", "beforeCall", "afterCall"]) if (k in c) name(c[k], `${at}.${k}`);
        break;
      }
      case "link": {
        if (!isObject(c.link)) fail(`${at}.link`, "expected an object with channel, from, to");
        for (const [key, value] of Object.entries(c.link as Record<string, Json>)) {
          if (!["channel", "from", "to"].includes(key)) fail(`${at}.link.${key}`, "unknown link field (expected one of channel, from, to)");
          if (typeof value !== "string") fail(`${at}.link.${key}`, "expected a string");
        }
        if ("receivedBy" in c && typeof c.receivedBy !== "string") fail(`${at}.receivedBy`, "expected a function name");
        if ("reaches" in c) frame(c.reaches, `${at}.reaches`);
        break;
      }
      case "noFrame":
        frame(c.noFrame, `${at}.noFrame`);
        break;
      case "value":
        if (typeof c.value !== "string") fail(`${at}.value`, "expected the name of a live value");
        if (typeof c.equals !== "string") fail(`${at}.equals`, "expected a string");
        break;
      case "log":
        if (c.log !== "server" && c.log !== "client") fail(`${at}.log`, 'expected "server" (its stdout) or "client"');
        if (typeof c.includes !== "string" || !c.includes) fail(`${at}.includes`, "expected the text the line includes");
        break;
      case "all":
      case "any":
        if (!Array.isArray(c[shape![0]]) || !(c[shape![0]] as Json[]).length) fail(`${at}.${shape![0]}`, "expected a non-empty list of checks");
        (c[shape![0]] as Json[]).forEach((part, i) => check(part, `${at}.${shape![0]}[${i}]`));
        break;
      case "not":
        check(c.not, `${at}.not`);
        break;
    }
  }

  if (!isObject(parsed)) fail("(top)", "expected an object of step ids to lists of claims");
  for (const [stepId, list] of Object.entries(parsed as Record<string, Json>)) {
    if (stepId === "$comment") continue;
    if (!Array.isArray(list)) fail(stepId, "expected a list of claims");
    (list as Json[]).forEach((claim, i) => {
      const at = `${stepId}[${i}]`;
      if (!isObject(claim)) fail(at, "expected an object with say and check (or because)");
      const c = claim as Record<string, Json>;
      if (typeof c.say !== "string" || !c.say.trim()) fail(`${at}.say`, "expected the sentence as a string");
      const hasCheck = "check" in c;
      const hasBecause = "because" in c;
      if (hasCheck === hasBecause) fail(at, "a claim takes a check, or (when no run could prove it) a because; exactly one");
      if (hasCheck) check(c.check, `${at}.check`);
      else if (typeof c.because !== "string" || !c.because.trim()) fail(`${at}.because`, "expected the reason no run can prove it");
      const extra = Object.keys(c).find((k) => !["say", "check", "because"].includes(k));
      if (extra) fail(`${at}.${extra}`, "unknown field (a claim has say, and check or because)");
    });
  }
  const out: Record<string, readonly ClaimSpec[]> = {};
  for (const [stepId, list] of Object.entries(parsed as Record<string, Json>)) {
    if (stepId !== "$comment") out[stepId] = list as ClaimSpec[];
  }
  return out;
}

/** Every function name a claim check mentions, for a test that each exists in the installed packages. */
export function namesIn(check: Check): string[] {
  if ("all" in check) return check.all.flatMap(namesIn);
  if ("any" in check) return check.any.flatMap(namesIn);
  if ("not" in check) return namesIn(check.not);
  if ("order" in check) return [...check.order];
  if ("call" in check) return [check.call, ...(check.under ? [check.under] : []), ...(check.notUnder ? [check.notUnder] : []), ...(check.calledFrom?.by ? [check.calledFrom.by] : [])];
  if ("link" in check) return check.receivedBy ? [check.receivedBy] : [];
  if ("frame" in check) {
    return ["writtenBy", "beforeCall", "afterCall"].flatMap((k) => {
      const v = (check as Record<string, unknown>)[k];
      return typeof v === "string" ? [v] : [];
    });
  }
  return [];
}
