/**
 * The report's frame: the overview it opens with — title, what this is, the
 * steps one line each — and, at its end, "About this run" (date, command, the
 * versions of Node and of the socket.io family) and "General information &
 * licensing": one table per package, from the package's own manifest and
 * LICENSE file.
 */
import { FAMILY, type Step } from "../trace/model.js";
import type { PackageLicence } from "../source/index.js";
import { cell, code, headingSlug, link, plural, prose, proseWithCode, table } from "./markdown-escape.js";
import { leadSentence } from "./text-cut.js";
import type { RenderContext } from "./markdown-context.js";
import { hasFlaskCounterpart } from "./flask-links.js";
import { countStepCalls } from "../trace/turns.js";

/** The heading of the licensing section (also its anchor's source). */
export const LICENSING_HEADING = "General information & licensing";

/** The heading of the sequence diagram's section. */
export const EXCHANGE_HEADING = "The whole exchange at a glance";

/** The heading of the closing notes. */
export const ABOUT_HEADING = "About this report";

/** `Step 5 — connect`: simple enough for its anchor to be predictable. */
export function stepHeading(index: number, id: string): string {
  const safe = id.replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "") || "step";
  return `Step ${index + 1} — ${safe}`;
}

function when(ctx: RenderContext): string {
  if (ctx.options.stable) return "(stable report: no date)";
  const date = new Date(ctx.trace.meta.startedAt);
  return Number.isNaN(date.getTime()) ? code(ctx.trace.meta.startedAt) : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** The heading of the run's facts (date, command, versions). */
export const RUN_HEADING = "About this run";

/** `A real socket.io server was started`, or, for a run of several processes (a cluster primary need not be a server), how many and which. */
function startedWhat(meta: RenderContext["trace"]["meta"]): string {
  const processes = meta.processes ?? [];
  if (processes.length < 2) return "A real socket.io server was started";
  return `${processes.length} processes were started (${processes.map((p) => prose(p.name)).join(", ")}), each traced`;
}

/** `socket.io 4.8.4, engine.io 6.6.12`: the two versions a reader asks first. */
function mainVersions(ctx: RenderContext): string {
  const { packages } = ctx.trace.meta;
  const named = ["socket.io", "engine.io"].filter((name) => packages[name] !== undefined).map((name) => `${prose(name)} ${code(packages[name])}`);
  return named.length ? ` with ${named.join(" and ")}` : "";
}

/** One line per step: its title linked to its section, the first sentence of what happened, what it cost. */
function overviewLine(ctx: RenderContext, step: Step, frames: number): string {
  const title = step.title.trim() || step.id.trim() || `step ${step.index + 1}`;
  const lead = leadSentence(step.explanation);
  const counts = `${plural(countStepCalls(step), "call")}, ${frames ? plural(frames, "frame") : "no frames"}`;
  return `${step.index + 1}. ${link(prose(title, 120), `#${headingSlug(stepHeading(step.index, step.id))}`)} — ${lead ? `${proseWithCode(lead)} ` : ""}(${counts})`;
}

/**
 * The overview a reader sees first: title, what this is, the steps one line
 * each (linked), and where everything else is. `frames` counts each step's messages.
 */
export function renderHeader(ctx: RenderContext, frames: (step: Step) => number): string[] {
  const { meta, steps } = ctx.trace;
  const out: string[] = [];
  const builtIn = /^[\w-]{1,40}$/.test(meta.scenario);
  // Even a name of word characters can be markup (`__0__` is strong emphasis): escape it.
  const what = builtIn ? `the ${prose(meta.scenario)} scenario` : code(meta.scenario.split(/[\\/]/).pop() || meta.scenario, 60);
  out.push(`# How socket.io really works: ${what}, traced`, "");
  if (ctx.sources.scenarioTitle) out.push(`The scenario: ${prose(ctx.sources.scenarioTitle)}.`, "");
  out.push(
    `${startedWhat(meta)} with load-time instrumentation${mainVersions(ctx)} on Node ${code(meta.node)} and walked through ${plural(steps.length, "step")}. ` +
      "Each step below tells what happened in plain words with the values of this run, shows the frames that crossed the wire, decoded layer by layer, " +
      `and then the evidence: the call path through the library's own source, the key source, the library's own documentation${hasFlaskCounterpart(ctx.sources) ? " and the Flask-SocketIO counterpart" : ""}.` +
      (ctx.options.stable ? " Session ids, ports and keys are placeholders in this stable report (see the end)." : ""),
    "",
  );
  if (steps.length) {
    out.push(`## ${overviewHeading(steps.length)}`, "");
    for (const step of steps) out.push(overviewLine(ctx, step, frames(step)));
    out.push("");
  }
  const rest = [EXCHANGE_HEADING, RUN_HEADING, LICENSING_HEADING, ABOUT_HEADING];
  out.push(`Also here: ${rest.map((heading) => link(prose(heading), `#${headingSlug(heading)}`)).join(" · ")}.`, "");
  return out;
}

/** `The 8 steps`. */
export function overviewHeading(steps: number): string {
  return steps === 1 ? "The step" : `The ${steps} steps`;
}

/** "About this run": date, command, Node, the tool, every package version and the stable report's placeholders. */
export function renderRunFacts(ctx: RenderContext): string[] {
  const { meta } = ctx.trace;
  const out: string[] = [`## ${RUN_HEADING}`, ""];
  const facts: string[][] = [
    ["Date", when(ctx)],
    ["Command", cell(code(meta.command, 400))],
    ["Node", `${cell(code(meta.node))} on ${cell(code(meta.platform))}`],
    ["trace-socket", `${cell(code(meta.tool))}, trace schema ${meta.version}`],
    ["Scenario", cell(code(meta.scenario))],
  ];
  if (meta.address) facts.push(["Traced server", cell(code(meta.address))]);
  out.push(...table(["Fact", "Value"], facts), "");
  const names = [...FAMILY.filter((name) => meta.packages[name] !== undefined), ...Object.keys(meta.packages).filter((n) => !(FAMILY as readonly string[]).includes(n))];
  const licenceOf = new Map(ctx.sources.licences.map((l) => [`${l.name}@${l.version}`, l]));
  const rows = names.map((name) => {
    const version = meta.packages[name];
    const licence = licenceOf.get(`${name}@${version}`);
    return [cell(code(name)), cell(code(version)), cell(licence ? code(licence.licence) : "see below")];
  });
  if (rows.length) out.push("Versions of the socket.io family in this run:", "", ...table(["Package", "Version", "Licence"], rows), "");
  else out.push("No package of the socket.io family was loaded in this run.", "");
  if (ctx.options.stable) {
    out.push(
      "> **Stable report.** Session ids, ports, WebSocket masking keys and keys, polling cache-busters, dates and timings " +
        "are replaced with placeholders (`eio-sid-1`, `PORT`, `00000000`, `TTTTTTTT`), and connections that were open at the same time " +
        "are numbered in a fixed order and listed one after the other rather than interleaved as they happened, " +
        "and a WebSocket heartbeat (ping, pong and the calls they set off) that fell inside a step of user code is left out of it " +
        "(when a ping falls is timing; the heartbeat step keeps its own), " +
        "so that two runs of the same scenario give the same file.",
      "",
    );
  }
  return out;
}

function licenceTable(ctx: RenderContext, licence: PackageLicence): string[] {
  const rows: string[][] = [];
  if (licence.repository) rows.push(["Code repository", `<${licence.repository}>`]);
  const fromText = licence.licenceFromText && licence.licenceFromText !== licence.licence ? `; the ${code(licence.licenceFile ?? "LICENSE")} text reads as ${code(licence.licenceFromText)}` : "";
  rows.push(["Licence", `${code(licence.licence)}${licence.summary ? ` — ${prose(licence.summary.title)}` : ""} (declared in ${code("package.json")}${fromText})`]);
  if (licence.copyright.length) rows.push(["Copyright", licence.copyright.map((c) => prose(c, 200)).join("<br>")]);
  if (licence.summary) {
    rows.push(["What it allows", prose(licence.summary.allows)]);
    rows.push(["What it requires", prose(licence.summary.requires)]);
    rows.push(["What it forbids", prose(licence.summary.forbids)]);
  }
  rows.push(["Installed in", licence.dirs.map((dir) => code(dir)).join("<br>")]);
  if (licence.licenceFile) rows.push(["Licence file", link(code(licence.licenceFile), `${ctx.options.linkBase ? `${ctx.options.linkBase.replace(/\/+$/, "")}/` : ""}${licence.dirs[0]}/${licence.licenceFile}`)]);
  if (licence.notes.length) rows.push(["Notes", licence.notes.map((n) => proseWithCode(n)).join("<br>")]);
  return table(["Field", `${prose(licence.name)} ${prose(licence.version)}`], rows.map(([k, v]) => [k, cell(v)]));
}

/** "General information & licensing": a table per installed package of the family. */
export function renderLicensing(ctx: RenderContext): string[] {
  const out = [`## ${LICENSING_HEADING}`, ""];
  // The versions the trace ran; other installed copies (the client's, say) are not part of it.
  const ran = ctx.trace.meta.packages;
  const licences = ctx.sources.licences.filter((l) => ran[l.name] === l.version);
  if (!licences.length) {
    out.push("The licences could not be read (no source index); each package's `package.json` and `LICENSE` file state them.", "");
    return out;
  }
  out.push(
    "Read from each installed package's `package.json` and `LICENSE` file. The summaries say what the licence lets you do, " +
      "what it asks of you, and what it rules out; the licence text itself is what binds.",
    "",
  );
  for (const licence of licences) {
    out.push(`### ${prose(`${licence.name} ${licence.version}`)}`, "", ...licenceTable(ctx, licence), "");
  }
  const missing = Object.entries(ran).filter(([name, version]) => !licences.some((l) => l.name === name && l.version === version));
  if (missing.length) {
    out.push(`Not found installed here, so not described: ${missing.map(([name, version]) => code(`${name}@${version}`)).join(", ")}.`, "");
  }
  return out;
}
