/**
 * Traces as files: `export --format json` writes one JSON object (schema in
 * `SCHEMA.md`), `replay` and `export --from` read it back. Reading accepts the
 * JSON-lines stream of `--json` too. Anything else (a cut file, another
 * program's JSON, a newer schema) is a {@link TraceFileError} with one line
 * saying what is wrong, never a stack trace.
 */
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "./atomic-write.js";
import { findJsonSyntaxError } from "./json-syntax.js";
import { stringifyAny } from "./json-write.js";
import { SCHEMA_NAME, SCHEMA_VERSION, type Step, type Trace } from "./model.js";
import type { TurnList } from "./turn-list.js";
import { TraceFileError, validateTrace } from "./trace-validate.js";

export { TraceFileError } from "./trace-validate.js";

/**
 * The trace file's text, piece by piece: a header line with `schema` and
 * `version`, then one line per record, so that files of stable traces diff
 * well. The pieces joined are one JSON object.
 */
export function* serializeTracePieces(trace: Trace): Generator<string> {
  yield `{"schema":${JSON.stringify(SCHEMA_NAME)},"version":${SCHEMA_VERSION},\n`;
  yield `"meta":${stringifyAny(trace.meta)},\n`;
  const lists: [string, readonly unknown[]][] = [
    ["functions", trace.functions],
    ["connections", trace.connections],
    ["chunks", trace.chunks],
    ["steps", trace.steps],
    ["logs", trace.logs],
    // A run of several processes: what one published and another received (absent otherwise).
    ...(trace.links?.length ? [["links", trace.links] as [string, readonly unknown[]]] : []),
  ];
  for (const [key, items] of lists) {
    yield `"${key}":[`;
    for (let i = 0; i < items.length; i++) {
      yield i === 0 ? "\n" : ",\n";
      if (key === "steps") yield* stepPieces(items[i] as Step);
      else yield stringifyAny(items[i]);
    }
    yield "],\n";
  }
  yield `"dropped":${stringifyAny(trace.dropped)}}\n`;
}

/** Turns written per piece: a step of millions is never one string (nor a list of objects) at once. */
const TURNS_PER_PIECE = 4096;

/**
 * One step's JSON, piece by piece: the same text as `JSON.stringify(step)`,
 * its `turns` (in columns, maybe spilled to disk) written a few thousand at a
 * time where the field stands.
 */
function* stepPieces(step: Step): Generator<string> {
  if (!step.turns?.length) {
    yield stringifyAny(step);
    return;
  }
  let first = true;
  for (const [key, value] of Object.entries(step)) {
    if (value === undefined || typeof value === "function") continue;
    yield `${first ? "{" : ","}${JSON.stringify(key)}:`;
    first = false;
    if (key !== "turns") {
      yield stringifyAny(value);
      continue;
    }
    const turns = value as TurnList;
    for (let from = 0; from < turns.length; from += TURNS_PER_PIECE) {
      const part: string[] = [];
      for (let i = from; i < Math.min(turns.length, from + TURNS_PER_PIECE); i++) part.push(JSON.stringify(turns.at(i)));
      yield `${from === 0 ? "[" : ","}${part.join(",")}`;
    }
    yield "]";
  }
  yield "}";
}

/** The whole trace file as one string. */
export function serializeTrace(trace: Trace): string {
  return [...serializeTracePieces(trace)].join("");
}

/** Writes a trace file atomically; throws `WriteError` (from `atomic-write`) when it cannot. */
export function writeTraceFile(path: string, trace: Trace): Promise<{ readonly path: string; readonly bytes: number }> {
  return writeFileAtomic(path, serializeTracePieces(trace));
}

function byteOffset(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), "utf8");
}

function parseJson(text: string, what: string, base = 0): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const found = findJsonSyntaxError(text);
    if (!found) throw new TraceFileError(`${what}: ${(error as Error).message}`);
    const at = base + byteOffset(text, found.index);
    throw new TraceFileError(found.truncated ? `${what}not JSON (truncated?) at byte ${at}` : `${what}not JSON at byte ${at} (${found.problem})`);
  }
}

function describeJson(value: unknown): string {
  if (Array.isArray(value)) return "a JSON list";
  if (value === null) return "null";
  return `a JSON ${typeof value}`;
}

function checkSchema(value: unknown, where = ""): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TraceFileError(`${where}not a trace-socket trace (the file holds ${describeJson(value)}, not an object)`);
  }
  const document = value as Record<string, unknown>;
  if (!Object.hasOwn(document, "schema")) throw new TraceFileError(`${where}not a trace-socket trace (it has no schema field)`);
  if (document.schema !== SCHEMA_NAME) {
    const shown = JSON.stringify(document.schema) ?? String(document.schema);
    throw new TraceFileError(`${where}not a trace-socket trace (schema field is ${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown})`);
  }
  const version = document.version;
  if (!Number.isSafeInteger(version) || (version as number) < 1) {
    throw new TraceFileError(`${where}unreadable schema version ${JSON.stringify(version) ?? "(missing)"} (this trace-socket reads ${SCHEMA_VERSION})`);
  }
  if ((version as number) > SCHEMA_VERSION) {
    throw new TraceFileError(`written by a newer trace-socket (schema version ${version as number}, this reads ${SCHEMA_VERSION})`);
  }
  return document;
}

const RECORD_LISTS: Readonly<Record<string, string>> = {
  function: "functions",
  connection: "connections",
  chunk: "chunks",
  step: "steps",
  log: "logs",
};

/** Reassembles the JSON-lines stream of `--json` into a trace document. */
function fromJsonLines(text: string): Record<string, unknown> {
  const document: Record<string, unknown> = { functions: [], connections: [], chunks: [], steps: [], logs: [] };
  let offset = 0;
  let number = 0;
  for (const line of text.split("\n")) {
    number++;
    const start = offset;
    offset += Buffer.byteLength(line, "utf8") + 1;
    if (line.trim() === "") continue;
    const record = parseJson(line, `line ${number}: `, start);
    if (typeof record !== "object" || record === null || Array.isArray(record)) throw new TraceFileError(`line ${number}: expected a record object`);
    const { type, ...fields } = record as Record<string, unknown>;
    if (type === "meta") {
      const meta = checkSchema(fields, `line ${number}: `);
      document.schema = meta.schema;
      document.version = meta.version;
      document.meta = fields;
    } else if (type === "dropped") {
      document.dropped = fields;
    } else if (typeof type === "string" && Object.hasOwn(RECORD_LISTS, type)) {
      (document[RECORD_LISTS[type]] as unknown[]).push(fields);
    } else {
      throw new TraceFileError(`line ${number}: unknown record type ${JSON.stringify(type) ?? "(missing)"}`);
    }
  }
  if (document.meta === undefined) throw new TraceFileError("JSON lines without a meta record: not a trace-socket stream");
  if (document.dropped === undefined) throw new TraceFileError("JSON lines end before the dropped record (truncated?)");
  return document;
}

function looksLikeJsonLines(text: string): boolean {
  const firstLine = text.slice(0, text.indexOf("\n") >>> 0);
  return /^\s*\{"type":"meta"/.test(firstLine);
}

/** Parses a trace file's text (a trace object, or `--json` lines). Throws {@link TraceFileError}. */
export function parseTraceFile(text: string): Trace {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === "") throw new TraceFileError("empty file");
  const document = looksLikeJsonLines(body) ? fromJsonLines(body) : checkSchema(parseJson(body, ""));
  return validateTrace(document, document.version as number);
}

/**
 * The first byte that is not UTF-8: `cut` when it starts a sequence the end of
 * the file cuts short (a truncated file), undefined when all bytes are valid.
 */
function invalidUtf8(bytes: Uint8Array): { readonly at: number; readonly cut: boolean } | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    if (need === 0) return { at: i, cut: false };
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length) return { at: i, cut: true };
      if ((bytes[i + k] & 0xc0) !== 0x80) return { at: i, cut: false };
    }
    i += need + 1;
  }
  return undefined;
}

/** Parses a trace file's bytes: rejects binary and compressed files before trying JSON. */
export function parseTraceBytes(bytes: Uint8Array): Trace {
  if (bytes.length === 0) throw new TraceFileError("empty file");
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) throw new TraceFileError("gzip-compressed: decompress it first (gunzip)");
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new TraceFileError(`not a text file (binary data at byte ${nul})`);
  const bad = invalidUtf8(bytes);
  if (bad && !bad.cut) throw new TraceFileError(`not a text file (invalid UTF-8 at byte ${bad.at})`);
  // A character cut by the end of the file: the JSON it ends is cut too, and says so.
  const length = bad ? bad.at : bytes.length;
  let text: string;
  try {
    text = Buffer.from(bytes.buffer, bytes.byteOffset, length).toString("utf8");
  } catch {
    throw new TraceFileError(`too large to read (${bytes.length} bytes)`);
  }
  return parseTraceFile(text);
}

/** Reads and parses a trace file. Throws {@link TraceFileError}, for file-system problems too. */
export async function readTraceFile(path: string): Promise<Trace> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new TraceFileError("no such file");
    if (code === "EISDIR") throw new TraceFileError("it is a folder, not a trace file");
    if (code === "EACCES" || code === "EPERM") throw new TraceFileError("permission denied");
    if (code === "ERR_FS_FILE_TOO_LARGE") throw new TraceFileError("too large to read");
    throw new TraceFileError((error as Error).message.split("\n")[0]);
  }
  return parseTraceBytes(bytes);
}
