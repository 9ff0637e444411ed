/**
 * What one PostgreSQL protocol message says, read from its body: the frontend's (the traced app's
 * `pg` client) StartupMessage, Query, Parse/Bind/Execute…, and the backend's Authentication,
 * ReadyForQuery, CommandComplete, ErrorResponse, NotificationResponse… Names and layouts are those
 * of the protocol's "Message Formats" chapter. Passwords and the cancel key are never shown. Never
 * throws: a body that does not hold its fields is reported malformed.
 */
import { printableText } from "./text.js";

/** A message's fields, read. */
export interface PgMessage {
  /** The protocol's name for it (`Query`, `NotificationResponse`), or `unknown 'x'`. */
  readonly name: string;
  /** Its fields as display text (`user=postgres`, `status idle`), bounded. */
  readonly fields: readonly string[];
  readonly sql?: string;
  /** Statement and portal names of Parse/Bind (empty: the unnamed one). */
  readonly statement?: string;
  /** Bind's parameter values as text (null as undefined), bounded; binary ones as `(N B binary)`. */
  readonly params?: readonly (string | undefined)[];
  /** NotificationResponse: the channel and the payload, whole (NOTIFY payloads are under 8000 B). */
  readonly channel?: string;
  readonly payload?: string;
  readonly malformed?: string;
}

const TEXT_LIMIT = 400;
const PARAMS_SHOWN = 16;

class Short extends Error {}

/** Reads a body field by field; running past its end throws `Short`, caught by the decoders below. */
class Reader {
  at = 0;
  constructor(readonly b: Uint8Array) {}
  get left(): number {
    return this.b.length - this.at;
  }
  byte(): number {
    if (this.left < 1) throw new Short();
    return this.b[this.at++];
  }
  int16(): number {
    if (this.left < 2) throw new Short();
    const v = (this.b[this.at] << 8) | this.b[this.at + 1];
    this.at += 2;
    return v > 0x7fff ? v - 0x10000 : v;
  }
  int32(): number {
    if (this.left < 4) throw new Short();
    const v = (this.b[this.at] << 24) | (this.b[this.at + 1] << 16) | (this.b[this.at + 2] << 8) | this.b[this.at + 3];
    this.at += 4;
    return v;
  }
  bytes(n: number): Uint8Array {
    if (n < 0 || this.left < n) throw new Short();
    const v = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }
  /** A NUL-terminated string, whole (callers bound what they show). */
  cstring(): string {
    const end = this.b.indexOf(0, this.at);
    if (end < 0) throw new Short();
    const v = new TextDecoder("utf-8").decode(this.b.subarray(this.at, end));
    this.at = end + 1;
    return v;
  }
}

const show = (text: string, max = TEXT_LIMIT): string => printableText(text, max);
const named = (kind: string, name: string): string => `${kind} ${name === "" ? "(unnamed)" : show(name, 80)}`;

type Decoder = (r: Reader) => Omit<PgMessage, "name">;

const STARTUP_CODES: Readonly<Record<number, string>> = { 80877103: "SSLRequest", 80877104: "GSSENCRequest", 80877102: "CancelRequest" };
const AUTH: Readonly<Record<number, string>> = {
  0: "AuthenticationOk", 2: "AuthenticationKerberosV5", 3: "AuthenticationCleartextPassword", 5: "AuthenticationMD5Password",
  7: "AuthenticationGSS", 8: "AuthenticationGSSContinue", 9: "AuthenticationSSPI", 10: "AuthenticationSASL",
  11: "AuthenticationSASLContinue", 12: "AuthenticationSASLFinal",
};
const STATUS: Readonly<Record<string, string>> = { I: "idle", T: "in a transaction", E: "in a failed transaction" };
const ERROR_FIELDS: Readonly<Record<string, string>> = { S: "severity", V: "severity", C: "code", M: "message", D: "detail", H: "hint", P: "position", W: "where", s: "schema", t: "table", c: "column", n: "constraint" };

const empty: Decoder = () => ({ fields: [] });

function errorFields(r: Reader): Omit<PgMessage, "name"> {
  const fields: string[] = [];
  for (let code = r.byte(); code !== 0; code = r.byte()) {
    const key = String.fromCharCode(code);
    const value = r.cstring();
    if (ERROR_FIELDS[key]) fields.push(`${ERROR_FIELDS[key]} ${show(value)}`);
  }
  return { fields };
}

function bind(r: Reader): Omit<PgMessage, "name"> {
  const portal = r.cstring();
  const statement = r.cstring();
  const formats = Array.from({ length: Math.max(0, r.int16()) }, () => r.int16());
  const count = Math.max(0, r.int16());
  const params: (string | undefined)[] = [];
  for (let i = 0; i < count; i++) {
    const length = r.int32();
    if (length === -1) {
      params.push(undefined);
      continue;
    }
    const value = r.bytes(length);
    // One format code applies to all; none means text.
    const binary = (formats.length === 1 ? formats[0] : formats[i] ?? 0) === 1;
    params.push(binary ? `(${length} B binary)` : new TextDecoder("utf-8").decode(value));
  }
  Array.from({ length: Math.max(0, r.int16()) }, () => r.int16());
  const shown = params.slice(0, PARAMS_SHOWN).map((p) => (p === undefined ? "NULL" : show(p, 200)));
  return { fields: [named("portal", portal), named("statement", statement), `${count} parameter(s)`, ...shown], statement, params };
}

const FRONTEND: Readonly<Record<string, [string, Decoder]>> = {
  Q: ["Query", (r) => {
    const sql = r.cstring();
    return { fields: [show(sql)], sql };
  }],
  P: ["Parse", (r) => {
    const statement = r.cstring();
    const sql = r.cstring();
    const types = Array.from({ length: Math.max(0, r.int16()) }, () => r.int32());
    return { fields: [named("statement", statement), show(sql), ...(types.length ? [`parameter types ${types.join(", ")}`] : [])], sql, statement };
  }],
  B: ["Bind", bind],
  D: ["Describe", (r) => ({ fields: [named(r.byte() === 0x53 ? "statement" : "portal", r.cstring())] })],
  E: ["Execute", (r) => {
    const portal = r.cstring();
    const rows = r.int32();
    return { fields: [named("portal", portal), rows === 0 ? "all rows" : `at most ${rows} row(s)`] };
  }],
  C: ["Close", (r) => ({ fields: [named(r.byte() === 0x53 ? "statement" : "portal", r.cstring())] })],
  S: ["Sync", empty],
  H: ["Flush", empty],
  X: ["Terminate", empty],
  // A password, SASL response or GSS token: what it holds is a secret.
  p: ["PasswordMessage", (r) => ({ fields: [`${r.bytes(r.left).length} B, not shown`] })],
  d: ["CopyData", (r) => ({ fields: [`${r.bytes(r.left).length} B`] })],
  c: ["CopyDone", empty],
  f: ["CopyFail", (r) => ({ fields: [show(r.cstring())] })],
  F: ["FunctionCall", (r) => ({ fields: [`function oid ${r.int32()}`, `${r.bytes(r.left).length} B of arguments`] })],
};

const BACKEND: Readonly<Record<string, [string, Decoder]>> = {
  R: ["Authentication", (r) => {
    const code = r.int32();
    const mechanisms: string[] = [];
    if (code === 10) for (let m = r.cstring(); m !== ""; m = r.cstring()) mechanisms.push(show(m, 80));
    else r.bytes(r.left);
    return { fields: [AUTH[code] ?? `authentication request ${code}`, ...mechanisms] };
  }],
  S: ["ParameterStatus", (r) => ({ fields: [`${show(r.cstring(), 80)}=${show(r.cstring(), 200)}`] })],
  // The secret key lets anyone cancel this backend's queries: only the process id is shown.
  K: ["BackendKeyData", (r) => {
    const pid = r.int32();
    r.bytes(r.left);
    return { fields: [`process ${pid}`] };
  }],
  Z: ["ReadyForQuery", (r) => {
    const status = String.fromCharCode(r.byte());
    return { fields: [`status ${STATUS[status] ?? show(status, 4)}`] };
  }],
  C: ["CommandComplete", (r) => ({ fields: [show(r.cstring(), 200)] })],
  E: ["ErrorResponse", errorFields],
  N: ["NoticeResponse", errorFields],
  A: ["NotificationResponse", (r) => {
    const pid = r.int32();
    const channel = r.cstring();
    const payload = r.cstring();
    return { fields: [`from process ${pid}`, `channel ${show(channel, 200)}`, show(payload)], channel, payload };
  }],
  1: ["ParseComplete", empty],
  2: ["BindComplete", empty],
  3: ["CloseComplete", empty],
  n: ["NoData", empty],
  I: ["EmptyQueryResponse", empty],
  s: ["PortalSuspended", empty],
  c: ["CopyDone", empty],
  d: ["CopyData", (r) => ({ fields: [`${r.bytes(r.left).length} B`] })],
  T: ["RowDescription", (r) => {
    const count = Math.max(0, r.int16());
    const columns: string[] = [];
    for (let i = 0; i < count; i++) {
      columns.push(show(r.cstring(), 80));
      r.bytes(18);
    }
    return { fields: [`${count} column(s)`, ...columns.slice(0, PARAMS_SHOWN)] };
  }],
  D: ["DataRow", (r) => {
    const count = Math.max(0, r.int16());
    const values: string[] = [];
    for (let i = 0; i < count; i++) {
      const length = r.int32();
      values.push(length === -1 ? "NULL" : show(new TextDecoder("utf-8").decode(r.bytes(length)), 200));
    }
    return { fields: [`${count} value(s)`, ...values.slice(0, PARAMS_SHOWN)] };
  }],
  t: ["ParameterDescription", (r) => ({ fields: [`parameter types ${Array.from({ length: Math.max(0, r.int16()) }, () => r.int32()).join(", ")}`] })],
  G: ["CopyInResponse", (r) => ({ fields: [`${r.bytes(r.left).length} B`] })],
  H: ["CopyOutResponse", (r) => ({ fields: [`${r.bytes(r.left).length} B`] })],
  W: ["CopyBothResponse", (r) => ({ fields: [`${r.bytes(r.left).length} B`] })],
  V: ["FunctionCallResponse", (r) => ({ fields: [`${r.bytes(r.left).length} B`] })],
  v: ["NegotiateProtocolVersion", (r) => ({ fields: [`newest minor version ${r.int32()}`, `${r.int32()} option(s) not recognized`] })],
};

function untyped(r: Reader): PgMessage {
  const code = r.int32();
  if (code >>> 16 === 3) {
    const params: string[] = [];
    for (let key = r.cstring(); key !== ""; key = r.cstring()) params.push(`${show(key, 80)}=${show(r.cstring(), 200)}`);
    return { name: "StartupMessage", fields: [`protocol 3.${code & 0xffff}`, ...params] };
  }
  const name = STARTUP_CODES[code];
  if (name === "CancelRequest") {
    const pid = r.int32();
    r.int32();
    return { name, fields: [`process ${pid}`] };
  }
  return name ? { name, fields: [] } : { name: "start-up message", fields: [], malformed: `unknown start-up code ${code}` };
}

/**
 * Reads a message of the frontend (`frontend`) or the backend with type `code` ("" for the
 * untyped start-up messages, or the server's one-byte SSL answer when `!frontend`).
 *
 * @example
 * pgMessage(true, "Q", bytes("SELECT 1\0")); // { name: "Query", fields: ["SELECT 1"], sql: "SELECT 1" }
 */
export function pgMessage(frontend: boolean, code: string, body: Uint8Array): PgMessage {
  const r = new Reader(body);
  try {
    if (code === "") {
      if (!frontend) return { name: "SSL answer", fields: [body[0] === 0x53 ? "S: TLS follows" : body[0] === 0x47 ? "G: GSS encryption follows" : body[0] === 0x4e ? "N: no encryption" : `unexpected ${show(String.fromCharCode(body[0] ?? 0), 4)}`] };
      const message = untyped(r);
      return r.left > 0 && !message.malformed ? { ...message, malformed: `${r.left} B after its fields` } : message;
    }
    const known = (frontend ? FRONTEND : BACKEND)[code];
    // Type codes are one character, so no lookup reaches Object.prototype.
    if (!known) return { name: `unknown '${show(code, 4)}'`, fields: [`${body.length} B`], malformed: `no ${frontend ? "frontend" : "backend"} message has type '${show(code, 4)}'` };
    const [name, decode] = known;
    const message = { name, ...decode(r) };
    return r.left > 0 ? { ...message, malformed: `${r.left} B after its fields` } : message;
  } catch (e) {
    if (!(e instanceof Short)) return { name: "?", fields: [], malformed: `could not be read: ${e instanceof Error ? e.message : String(e)}` };
    const name = code === "" ? "start-up message" : ((frontend ? FRONTEND : BACKEND)[code]?.[0] ?? `unknown '${show(code, 4)}'`);
    return { name, fields: [], malformed: "the body ends inside its fields" };
  }
}
