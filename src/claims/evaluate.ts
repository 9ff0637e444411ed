/**
 * Evaluating a step's claims on the trace of the run that produced it. Pure:
 * a trace, its decoded messages and the declared claims in; results out.
 * A check that cannot be decided (a live value missing, a step with no calls)
 * fails: a claim is printed as fact only when this run shows it.
 */
import type { LinkEnd, Step, Trace } from "../trace/model.js";
import type { WireMessage } from "../wire/types.js";
import { indexCalls, type CallIndex, type IndexedCall } from "./call-index.js";
import { describeFrame, frameMatches } from "./frame-match.js";
import { linesOf } from "./log-match.js";
import type { CallName, Check, ClaimResult, ClaimSpec, FrameMatch, LineReader, LinkMatch, Scope } from "../trace/claims-spec.js";
import { belowLine, calledFromLine } from "./line-checks.js";

/** The outcome of one check: held or not, why not, and the calls that showed it. */
interface Outcome {
  readonly held: boolean;
  readonly reason: string;
  readonly evidence: readonly number[];
}

const PLACEHOLDER = /\{(\w+)\}/g;

/** What one evaluation needs: the trace's calls and messages, and the step being checked. */
interface Context {
  readonly trace: Trace;
  readonly index: CallIndex;
  readonly messages: readonly WireMessage[];
  readonly step: Step;
  readonly stepChunks: ReadonlySet<number>;
  readonly values: Readonly<Record<string, string>>;
  readonly readLine?: LineReader;
  /** A run of several servers: each connection's server. */
  readonly serverOf: ReadonlyMap<number, string>;
}

/** A value with its `{placeholders}` filled, or the first placeholder that has no live value. */
function fill(text: string, values: Readonly<Record<string, string>>): { text: string; missing?: string } {
  let missing: string | undefined;
  const out = text.replace(PLACEHOLDER, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) missing ??= key;
    return value ?? whole;
  });
  return missing === undefined ? { text: out } : { text: out, missing };
}

function fillFrame(match: FrameMatch, values: Readonly<Record<string, string>>): FrameMatch | string {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(match)) {
    if (typeof value === "string") {
      const filled = fill(value, values);
      if (filled.missing) return filled.missing;
      out[key] = filled.text;
    } else if (key === "data" && value && typeof value === "object") {
      const data: Record<string, string | number | boolean> = {};
      for (const [field, wanted] of Object.entries(value as Record<string, string | number | boolean>)) {
        const filled = typeof wanted === "string" ? fill(wanted, values) : { text: wanted };
        if ("missing" in filled && filled.missing) return filled.missing;
        data[field] = filled.text;
      }
      out[key] = data;
    } else {
      out[key] = value;
    }
  }
  return out as FrameMatch;
}

const held = (evidence: readonly number[] = []): Outcome => ({ held: true, reason: "", evidence });
const failed = (reason: string): Outcome => ({ held: false, reason, evidence: [] });

function where(scope: Scope | undefined): string {
  return scope === "whole-run" ? "on this run" : "in this step";
}

function callsOf(ctx: Context, name: CallName, scope: Scope | undefined): IndexedCall[] {
  return ctx.index.find(name, scope === "whole-run" ? undefined : ctx.step.index);
}

function framesOf(ctx: Context, match: FrameMatch, scope: Scope | undefined): WireMessage[] {
  return ctx.messages.filter((m) => (scope === "whole-run" || ctx.stepChunks.has(m.firstChunk)) && frameMatches(m, match)
    && (match.server === undefined || ctx.serverOf.get(m.conn) === match.server));
}

function checkLink(ctx: Context, check: Extract<Check, { link: LinkMatch }>): Outcome {
  const { channel, from, to } = check.link;
  const what = `message${channel ? ` on ${channel}…` : ""}${from ? ` from server ${from}` : ""}${to ? ` to server ${to}` : ""}`;
  const links = (ctx.trace.links ?? []).filter((l) => ctx.stepChunks.has(l.from.chunk)
    && (channel === undefined || l.channel.startsWith(channel)) && (from === undefined || l.from.process === from) && (to === undefined || l.to.process === to));
  if (!links.length) return failed(`no ${what} was published and received in this step`);
  // The receipt is every call its chunk started: a read may carry another message before it (a server's own request echoed).
  const inReceipt = (seq: number, to: LinkEnd): boolean => to.call !== undefined && ctx.index.isWithinRange(seq, to.call, to.callEnd ?? to.call + 1);
  const by = check.receivedBy === undefined ? [] : ctx.index.find(check.receivedBy);
  // Each link with the call that received it: the receiving function's call, or the receipt's first call.
  const received = links.flatMap((l) => {
    if (check.receivedBy === undefined) return [{ l, at: l.to.call }];
    const receiver = by.find((c) => inReceipt(c.node.seq, l.to));
    return receiver ? [{ l, at: receiver.node.seq }] : [];
  });
  const known = (calls: readonly (number | undefined)[]) => calls.filter((c): c is number => c !== undefined);
  if (!received.length) return failed(`the ${what} did not run ${check.receivedBy} on the receiving side`);
  if (check.reaches === undefined) return held(received.flatMap(({ l, at }) => known([l.from.call, at])));
  const reaches = fillFrame(check.reaches, ctx.values);
  if (typeof reaches === "string") return failed(`no live value for {${reaches}}`);
  for (const { l, at } of received) {
    const frame = framesOf(ctx, reaches, "step").find((m) => m.call !== undefined && inReceipt(m.call, l.to));
    if (frame) return held(known([l.from.call, at, frame.call]));
  }
  return failed(`no ${describeFrame(reaches)} was written under the receipt of the ${what}`);
}

/** True when the message was on the wire before the call began. */
function frameBeforeCall(ctx: Context, message: WireMessage, call: IndexedCall): boolean {
  // Sequence numbers order calls exactly; the writer may itself have called `call` later, so that case goes by time.
  if (message.call !== undefined && ctx.index.calls.has(message.call) && !ctx.index.isWithin(call.node.seq, message.call)) {
    return message.call < call.node.seq;
  }
  return message.time < call.node.start;
}

function checkCall(ctx: Context, check: Extract<Check, { call: CallName }>): Outcome {
  const found = callsOf(ctx, check.call, check.scope);
  if (!found.length) return failed(`no call of ${check.call} ${where(check.scope)}`);
  let candidates = found;
  if (check.under !== undefined) {
    const under = check.under;
    candidates = candidates.filter((c) => ctx.index.isUnder(c.node.seq, under));
    if (!candidates.length) return failed(`${check.call} ran, but not under ${under}`);
  }
  if (check.notUnder !== undefined) {
    const notUnder = check.notUnder;
    const outside = candidates.filter((c) => !ctx.index.isUnder(c.node.seq, notUnder));
    if (!outside.length) return failed(`${check.call} ran only under ${notUnder}`);
    candidates = outside;
  }
  for (const lines of [
    check.calledFrom && calledFromLine(ctx.index, ctx.index.functions, check.call, candidates, check.calledFrom, ctx.readLine),
    check.lineAbove && belowLine(ctx.index.functions, check.call, candidates, check.lineAbove, ctx.readLine),
  ]) {
    if (!lines) continue;
    if (!lines.calls.length) return failed(lines.reason);
    candidates = lines.calls;
  }
  return held(candidates.map((c) => c.node.seq));
}

function checkOrder(ctx: Context, check: Extract<Check, { order: readonly CallName[] }>): Outcome {
  let after = -1;
  const evidence: number[] = [];
  for (const [i, name] of check.order.entries()) {
    const next = callsOf(ctx, name, check.scope).find((c) => c.node.seq > after);
    if (!next) {
      return failed(i === 0 ? `no call of ${name} ${where(check.scope)}` : `no call of ${name} after ${check.order[i - 1]} ${where(check.scope)}`);
    }
    after = next.node.seq;
    evidence.push(after);
  }
  return held(evidence);
}

function checkFrame(ctx: Context, check: Extract<Check, { frame: FrameMatch }>): Outcome {
  const match = fillFrame(check.frame, ctx.values);
  if (typeof match === "string") return failed(`this run gave no value for ${match}`);
  const frames = framesOf(ctx, match, check.scope);
  const what = describeFrame(match);
  if (!frames.length) return failed(`no ${what} ${where(check.scope)}`);
  if ("writtenBy" in check && check.writtenBy !== undefined) {
    const by = check.writtenBy;
    const written = frames.find((m) => m.call !== undefined && ctx.index.calls.has(m.call)
      && (ctx.index.find(by).some((c) => c.node.seq === m.call) || ctx.index.isUnder(m.call, by)));
    return written ? held([written.call!]) : failed(`the ${what} was not written under ${by}`);
  }
  if ("before" in check) {
    const other = fillFrame(check.before, ctx.values);
    if (typeof other === "string") return failed(`this run gave no value for ${other}`);
    const later = framesOf(ctx, other, check.scope);
    if (!later.length) return failed(`no ${describeFrame(other)} ${where(check.scope)}`);
    // Wire order is the order of the decoded messages: two packets of one TCP chunk keep theirs.
    const first = ctx.messages.indexOf(frames[0]);
    return later.some((m) => ctx.messages.indexOf(m) > first) ? held() : failed(`the ${describeFrame(other)} came first`);
  }
  if ("beforeCall" in check || "afterCall" in check) {
    const name = "beforeCall" in check ? check.beforeCall : check.afterCall;
    const call = callsOf(ctx, name, check.scope)[0];
    if (!call) return failed(`no call of ${name} ${where(check.scope)}`);
    const before = frameBeforeCall(ctx, frames[0], call);
    if ("beforeCall" in check) return before ? held([call.node.seq]) : failed(`the ${what} came after ${name} began`);
    return !before ? held([call.node.seq]) : failed(`the ${what} came before ${name} began`);
  }
  return held(frames.flatMap((m) => (m.call !== undefined ? [m.call] : [])));
}

function evaluateCheck(ctx: Context, check: Check): Outcome {
  if ("all" in check) {
    const evidence: number[] = [];
    for (const part of check.all) {
      const outcome = evaluateCheck(ctx, part);
      if (!outcome.held) return outcome;
      evidence.push(...outcome.evidence);
    }
    return held(evidence);
  }
  if ("any" in check) {
    const reasons: string[] = [];
    for (const part of check.any) {
      const outcome = evaluateCheck(ctx, part);
      if (outcome.held) return outcome;
      reasons.push(outcome.reason);
    }
    return failed(reasons.join("; and "));
  }
  if ("not" in check) {
    const outcome = evaluateCheck(ctx, check.not);
    return outcome.held ? failed(`the opposite was seen (${outcome.evidence.length ? `call #${outcome.evidence[0]}` : "on the wire"})`) : held();
  }
  if ("value" in check) {
    const have = ctx.values[check.value];
    const want = fill(check.equals, ctx.values);
    if (have === undefined) return failed(`this run gave no value for ${check.value}`);
    if (want.missing) return failed(`this run gave no value for ${want.missing}`);
    return have === want.text ? held() : failed(`${check.value} is ${have}, not ${want.text}`);
  }
  if ("log" in check) {
    const want = fill(check.includes, ctx.values);
    if (want.missing) return failed(`no live value for {${want.missing}}`);
    const seen = linesOf(ctx.trace, ctx.step, check.log, check.scope).some((l) => l.text.includes(want.text));
    return seen ? held() : failed(`the ${check.log} printed no line with "${want.text}" ${where(check.scope)}`);
  }
  if ("noFrame" in check) {
    const match = fillFrame(check.noFrame, ctx.values);
    if (typeof match === "string") return failed(`this run gave no value for ${match}`);
    const seen = framesOf(ctx, match, check.scope)[0];
    return seen ? failed(`a ${describeFrame(match)} was seen: ${seen.raw.slice(0, 60)}`) : held();
  }
  if ("order" in check) return checkOrder(ctx, check);
  if ("link" in check) return checkLink(ctx, check);
  if ("frame" in check) return checkFrame(ctx, check);
  return checkCall(ctx, check);
}

/** True when a check looks beyond its step, so a run still going may show it later. */
function looksAtRun(check: Check): boolean {
  if ("all" in check) return check.all.some(looksAtRun);
  if ("any" in check) return check.any.some(looksAtRun);
  if ("not" in check) return looksAtRun(check.not);
  return "scope" in check && check.scope === "whole-run";
}

/** How a step's claims are evaluated. */
export interface EvaluateOptions {
  /** The calls of the trace, shared across its steps. */
  readonly index?: CallIndex;
  /**
   * The run is over: a claim about the whole run that does not hold is not
   * seen. While it goes on, such a claim is pending (a later step may show it).
   */
  readonly final?: boolean;
  /** Reads the traced files' source lines, for `calledFrom` and `lineAbove`. */
  readonly readLine?: LineReader;
}

/** Evaluates one step's claims. */
export function evaluateStepClaims(
  trace: Trace,
  messages: readonly WireMessage[],
  step: Step,
  claims: readonly ClaimSpec[],
  options: EvaluateOptions = {},
): ClaimResult[] {
  const index = options.index ?? indexCalls(trace);
  const final = options.final ?? true;
  // Hand-made traces of one process may carry no meta.
  const names = new Map((trace.meta?.processes ?? []).map((p) => [p.id, p.name]));
  const serverOf = new Map(names.size ? trace.connections.flatMap((c) => (c.process !== undefined && names.has(c.process) ? [[c.id, names.get(c.process)!] as const] : [])) : []);
  const ctx: Context = { trace, index, messages, step, stepChunks: new Set(step.chunks), values: step.values, serverOf, ...(options.readLine ? { readLine: options.readLine } : {}) };
  return claims.map((claim) => {
    const { text, missing } = fill(claim.say, step.values);
    // A template's braces are never printed as if they were a value.
    const shown = missing === undefined ? text : text.replace(PLACEHOLDER, final ? "(none in this run)" : "(not known yet)");
    if ("because" in claim) return { text: shown, status: "unchecked", reason: claim.because };
    // A sentence that would quote a value this run did not give is not printed as fact.
    if (missing !== undefined) return final ? { text: shown, status: "not-seen", reason: `this run gave no value for ${missing}` } : { text: shown, status: "pending", reason: `not yet: this run gave no value for ${missing}` };
    const outcome = evaluateCheck(ctx, claim.check);
    if (outcome.held) return { text, status: "held", ...(outcome.evidence.length ? { evidence: [...new Set(outcome.evidence)] } : {}) };
    if (!final && looksAtRun(claim.check)) return { text, status: "pending", reason: `not yet: ${outcome.reason}` };
    return { text, status: "not-seen", reason: outcome.reason };
  });
}
