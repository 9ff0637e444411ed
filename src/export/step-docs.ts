/**
 * What one Flask step quotes from the Python packages, ready to render: per
 * method its signature, the first paragraph of its docstring and where it is;
 * per option the paragraph of the docstring that documents it, the defaults
 * the signature and the other docstrings give, and the value in force. Both
 * the markdown report and the headless text render these items.
 * Pure: docs, step and trace in, items out.
 */
import type { CallNode, Step, Trace } from "../trace/model.js";
import { FLASK_STEP_DOCS, type OptionRef, type StepDocRefs } from "../runtime/python/doc-catalogue.js";
import type { FlaskLibraryDocs, PyNameDoc, PyParamDoc } from "../runtime/python/library-docs.js";
import { packagePath, pythonPermalink, type LinkCheck } from "../runtime/python/permalinks.js";
import { announcedByServer } from "./step-docs-wire.js";

/** Where an item is: in the installed package, and upstream when it can be linked. */
export interface DocPlace {
  readonly pkg: string;
  readonly version?: string;
  /** Relative to the directory the package sits in: `socketio/server.py`. */
  readonly file: string;
  /** The installed file, for when there is no permalink. */
  readonly local: string;
  readonly line: number;
  readonly endLine: number;
  readonly url?: string;
  readonly check?: LinkCheck;
  /** Why the upstream lines may differ, when they may. */
  readonly note?: string;
}

/** One quoted method or option. Text fields hold reST turned into backtick code. */
export interface DocItem {
  readonly kind: "method" | "option";
  /** `socketio.Server.on`, `ping_interval`. */
  readonly name: string;
  /** How it is called: `on(event, handler=None, namespace=None)`. */
  readonly signature?: string;
  /** The first paragraph of the docstring (of the option's paragraph, all of it). */
  readonly text?: string;
  /** Lines of the docstring not quoted. */
  readonly moreLines: number;
  readonly place?: DocPlace;
  /** Short facts shown beside the place: whose docstring, defaults, the value in force. */
  readonly facts: readonly string[];
  /** Sentences shown after the text. */
  readonly notes: readonly string[];
  /** Why there is nothing to quote (the name did not resolve, no docstring documents it). */
  readonly reason?: string;
}

/** reST inline markup as markdown-ish text: ``x`` and :role:`x` become `x`, `Example::` ends in one colon. */
export function rstInline(text: string): string {
  return text
    .replace(/:[\w:]+:`~?([^`]+)`/g, "`$1`")
    .replace(/``([^`]+)``/g, "`$1`")
    .replace(/::(\s*)$/gm, ":$1");
}

/** The first paragraph of a docstring on one line, and how many non-blank lines follow it. */
export function firstParagraph(doc: string): { readonly text: string; readonly moreLines: number } {
  const lines = doc.split("\n");
  let end = lines.findIndex((line) => !line.trim());
  if (end < 0) end = lines.length;
  const text = lines.slice(0, end).map((l) => l.trim()).join(" ");
  return { text: rstInline(text), moreLines: lines.slice(end).filter((l) => l.trim()).length };
}

/** What a paragraph says the default is: `25 seconds` from "The default is 25 seconds.". */
export function documentedDefault(text: string): string | undefined {
  // `\.\d` keeps `127.0.0.1` and `1.5` whole; any other period ends the sentence.
  return /\b(?:[Tt]he default is|[Dd]efaults? (?:is|to))\s+((?:[^.]|\.(?=\d))+)\./.exec(text)?.[1].trim();
}

/** `socketio.Server.__init__` → `socketio.Server` (a constructor's docstring is its class's). */
function ownerLabel(name: string): string {
  return name.replace(/\.__init__$/, "");
}

function place(docs: FlaskLibraryDocs, file: string, line: number, endLine: number): DocPlace {
  const pkg = file.split("/")[0];
  const info = docs.packages[pkg];
  const local = info?.dir ? `${info.dir}/${file}` : file;
  const link = pythonPermalink({ pkg, version: info?.version, file: `/${file}`, line, endLine });
  return {
    pkg,
    ...(info ? { version: info.version } : {}),
    file,
    local,
    line,
    endLine,
    ...(link ? { url: link.url, check: link.check, ...(link.note ? { note: link.note } : {}) } : {}),
  };
}

/** True when the step's calls include the function the helper described. */
function calledIn(step: Step, trace: Trace, doc: Extract<PyNameDoc, { ok: true }>): boolean {
  const ids = new Set(
    trace.functions.filter((fn) => fn.pkg === doc.pkg && fn.name === doc.qualname && `${doc.pkg}/${packagePath(fn.file, doc.pkg)}` === doc.file).map((fn) => fn.id),
  );
  const pending: CallNode[] = [...step.calls];
  while (pending.length) {
    const node = pending.pop()!;
    if (ids.has(node.fn)) return true;
    pending.push(...node.children);
  }
  return false;
}

function methodItem(name: string, docs: FlaskLibraryDocs, step: Step, trace: Trace): DocItem {
  const doc = docs.names[name];
  if (!doc) return { kind: "method", name, moreLines: 0, facts: [], notes: [], reason: "not asked of the docstring helper" };
  if (!doc.ok) return { kind: "method", name, moreLines: 0, facts: [], notes: [], reason: doc.reason };
  const first = doc.doc ? firstParagraph(doc.doc) : undefined;
  const facts: string[] = [];
  if (doc.docFrom === "class") facts.push("documented on its class");
  else if (doc.docFrom?.startsWith("inherited:")) facts.push(`docstring of \`${doc.docFrom.slice("inherited:".length)}\``);
  const notes = calledIn(step, trace, doc) ? [] : ["Not called in this step of this run."];
  return {
    kind: "method",
    name,
    ...(doc.signature ? { signature: doc.signature } : {}),
    ...(first ? { text: first.text } : {}),
    moreLines: first?.moreLines ?? 0,
    place: place(docs, doc.file, doc.line, doc.endLine),
    facts,
    notes,
  };
}

interface Documented {
  readonly owner: string;
  readonly param: PyParamDoc;
  readonly file: string;
}

/**
 * The value in force, in the unit the Python docstring speaks of when that
 * differs from the recorded one, and what the open packet told the client
 * when it carried the same field: quoted from the wire, never computed.
 */
function inForceText(value: string, how: NonNullable<OptionRef["value"]>, announced: string | undefined): string {
  const recorded = `\`${value}\`${how.unit ? ` ${how.unit}` : ""}`;
  const wire = announced === undefined ? "" : `; the open packet carried \`${announced}\`${how.unit ? ` ${how.unit}` : ""}`;
  const ms = Number(value);
  if (!how.pythonSeconds || value.trim() === "" || !Number.isFinite(ms)) return `in this run ${recorded}${wire}`;
  return `in this run \`${ms / 1000}\` s on the server${wire}`;
}

/** Said when the client was told another value than the one the server holds. */
function announcedNote(value: string, how: NonNullable<OptionRef["value"]>, announced: string | undefined): string | undefined {
  if (announced === undefined || announced === value || (announced.trim() !== "" && Number(announced) === Number(value))) return undefined;
  const unit = how.unit ? ` ${how.unit}` : "";
  return `The client was told \`${announced}\`${unit} in the open packet while the server holds \`${value}\`${unit}.`;
}

function optionItem(ref: OptionRef, docs: FlaskLibraryDocs, step: Step, trace: Trace): DocItem {
  const documented: Documented[] = [];
  let signatureDefault: string | undefined;
  for (const owner of ref.owners) {
    const doc = docs.names[owner];
    if (!doc?.ok) continue;
    signatureDefault ??= doc.defaults[ref.name];
    const param = doc.params.find((p) => p.name === ref.name);
    if (param) documented.push({ owner, param, file: param.file ?? doc.file });
  }
  const value = ref.value ? step.values[ref.value.key] : undefined;
  const announced = ref.value ? announcedByServer(trace).get(ref.value.key) : undefined;
  const inForce = value !== undefined ? inForceText(value, ref.value!, announced) : undefined;
  const wireNote = value !== undefined ? announcedNote(value, ref.value!, announced) : undefined;
  const [primary, ...others] = documented;
  if (!primary) {
    const reason = `no docstring of ${ref.owners.map((o) => `\`${ownerLabel(o)}\``).join(", ")} documents it`;
    return { kind: "option", name: ref.name, moreLines: 0, facts: inForce ? [inForce] : [], notes: wireNote ? [wireNote] : [], reason };
  }
  const text = rstInline(primary.param.text);
  const facts = [`\`${ownerLabel(primary.owner)}\` docstring`];
  if (signatureDefault !== undefined) facts.push(`signature default \`${signatureDefault}\``);
  if (inForce) facts.push(inForce);
  const notes: string[] = wireNote ? [wireNote] : [];
  if (others.length) notes.push(`Also documented by ${others.map((o) => `\`${ownerLabel(o.owner)}\``).join(" and ")}.`);
  // The docstrings are copies of each other; a default that drifted in one is worth saying.
  const ownDefault = documentedDefault(text);
  const differing = new Map<string, string[]>();
  for (const other of others) {
    const said = documentedDefault(rstInline(other.param.text));
    if (ownDefault !== undefined && said !== undefined && said !== ownDefault) differing.set(said, [...(differing.get(said) ?? []), `\`${ownerLabel(other.owner)}\``]);
  }
  for (const [said, owners] of differing) {
    notes.push(`${owners.length > 1 ? `The ${owners.join(" and ")} docstrings say` : `The ${owners[0]} docstring says`} the default is ${said}, not ${ownDefault}.`);
  }
  const line = primary.param.line;
  return {
    kind: "option",
    name: ref.name,
    text,
    moreLines: 0,
    ...(line !== undefined ? { place: place(docs, primary.file, line, primary.param.endLine ?? line) } : {}),
    facts,
    notes,
  };
}

/** The items of one step: its methods, then its options; none for a step the catalogue does not know. */
export function stepDocItems(step: Step, trace: Trace, docs: FlaskLibraryDocs, refs: StepDocRefs | undefined = FLASK_STEP_DOCS[step.id]): DocItem[] {
  if (!refs || docs.reason) return [];
  return [...refs.methods.map((name) => methodItem(name, docs, step, trace)), ...refs.options.map((ref) => optionItem(ref, docs, step, trace))];
}
