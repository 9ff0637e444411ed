/**
 * The Postgres decoder on bytes: a connection as `pg` and the server write it (start-up,
 * simple and extended queries, notifications, errors), the Postgres adapter's JSON inside the
 * pg_notify it sends and the NotificationResponse it hears, messages cut anywhere, bytes the
 * capture lost, and malformed messages shown as malformed.
 */
import { describe, expect, it } from "vitest";
import { createConnectionDecoder } from "../../src/wire/connection-decoder.js";
import { looksLikePostgresStart, postgresAdapterLayer } from "../../src/wire/postgres.js";
import { pgMessage } from "../../src/wire/postgres-messages.js";
import type { PostgresLayer, WireMessage } from "../../src/wire/types.js";
import { bytes, join } from "./helpers.js";
import { bindText, cstr, int16, int32, notification, pgMsg, pgNotify, startup, untyped } from "./pg-helpers.js";

const BROADCAST = JSON.stringify({ uid: "a1b2", nsp: "/", type: 3, data: { packet: { type: 2, data: ["said", "hello"], nsp: "/" }, opts: { rooms: ["lobby"], except: [], flags: {} } } });

function decode(out: readonly Uint8Array[], inn: readonly Uint8Array[] = []): WireMessage[] {
  const d = createConnectionDecoder(1);
  let seq = 0;
  const messages: WireMessage[] = [];
  for (const b of out) messages.push(...d.push({ seq: ++seq, dir: "out", time: seq, bytes: b }));
  for (const b of inn) messages.push(...d.push({ seq: ++seq, dir: "in", time: seq, bytes: b }));
  return [...messages, ...d.end()];
}
const pg = (m: WireMessage): PostgresLayer => m.layers[0] as PostgresLayer;

describe("Postgres connection decoding", () => {
  it("reads a start-up, a query and the server's answers", () => {
    const out = join(startup({ user: "postgres", database: "app" }), pgMsg("Q", cstr('LISTEN "socket.io#/"')), pgMsg("X"));
    const inn = join(pgMsg("R", int32(0)), pgMsg("S", cstr("server_version"), cstr("15.18")), pgMsg("K", int32(4242), int32(123456789)), pgMsg("Z", bytes("I")), pgMsg("C", cstr("LISTEN")), pgMsg("Z", bytes("T")));
    const messages = decode([out], [inn]);
    expect(messages.map((m) => [m.dir, pg(m).name, pg(m).fields])).toEqual([
      ["out", "StartupMessage", ["protocol 3.0", "user=postgres", "database=app"]],
      ["out", "Query", ['LISTEN "socket.io#/"']],
      ["out", "Terminate", []],
      ["in", "Authentication", ["AuthenticationOk"]],
      ["in", "ParameterStatus", ["server_version=15.18"]],
      ["in", "BackendKeyData", ["process 4242"]],
      ["in", "ReadyForQuery", ["status idle"]],
      ["in", "CommandComplete", ["LISTEN"]],
      ["in", "ReadyForQuery", ["status in a transaction"]],
    ]);
    expect(messages.every((m) => m.malformed === undefined)).toBe(true);
    expect(pg(messages[1])).toMatchObject({ side: "frontend", code: "Q", sql: 'LISTEN "socket.io#/"' });
    expect(messages.map((m) => m.size).reduce((a, b) => a + b)).toBe(out.length + inn.length);
    // The cancel key is a secret: it is in no field.
    expect(JSON.stringify(messages[5].layers)).not.toContain("123456789");
  });

  it("decodes the adapter's broadcast in the Bind of a pg_notify, and in the NotificationResponse", () => {
    const messages = decode([join(startup({ user: "u" }), pgNotify("socket.io#/", BROADCAST))], [join(pgMsg("R", int32(0)), notification(77, "socket.io#/", BROADCAST))]);
    const bind = messages.find((m) => pg(m).name === "Bind")!;
    expect(pg(bind)).toMatchObject({ side: "frontend", sql: "SELECT pg_notify($1, $2)", channel: "socket.io#/" });
    const expected = { kind: "adapter", adapter: "postgres", encoding: "json", uid: "a1b2", nsp: "/", typeName: "BROADCAST", packet: { name: "EVENT", event: "said", data: '["said","hello"]' }, rooms: ["lobby"] };
    expect(bind.layers[1]).toMatchObject(expected);
    const heard = messages.find((m) => pg(m).name === "NotificationResponse")!;
    expect(pg(heard)).toMatchObject({ side: "backend", channel: "socket.io#/", fields: ["from process 77", "channel socket.io#/", BROADCAST] });
    expect(heard.layers[1]).toMatchObject(expected);
    // The other messages of the query carry no adapter layer.
    expect(messages.filter((m) => m.layers.length > 1).map((m) => pg(m).name)).toEqual(["Bind", "NotificationResponse"]);
  });

  it("a Bind of another statement, or a notification on another channel, is not read as the adapter's", () => {
    const messages = decode([join(startup({ user: "u" }), pgMsg("P", cstr("s1"), cstr("SELECT $1, $2"), int16(0)), bindText("socket.io#/", BROADCAST))], [notification(1, "jobs", BROADCAST)]);
    expect(messages.map((m) => m.layers.length)).toEqual([1, 1, 1, 1]);
    expect(postgresAdapterLayer("socket.io#/", "not json")).toBeUndefined();
    expect(postgresAdapterLayer("socket.io#/", "{nope")).toMatchObject({ adapter: "postgres", malformed: expect.stringContaining("not JSON") });
    expect(postgresAdapterLayer("socket.io#/", JSON.stringify({ uid: "u", type: 3, attachmentId: "17" }))).toMatchObject({ typeName: "BROADCAST", data: expect.stringContaining("attachment 17") });
  });

  it("gives the same messages however the bytes are cut, down to one byte a chunk after the first 8", () => {
    const out = join(startup({ user: "u" }), pgNotify("socket.io#/", BROADCAST));
    const inn = join(pgMsg("R", int32(0)), notification(5, "socket.io#/", BROADCAST), pgMsg("Z", bytes("I")));
    const whole = decode([out], [inn]).map((m) => m.layers);
    const single = (b: Uint8Array) => Array.from(b, (x) => Uint8Array.of(x));
    // The connection is told to be Postgres by the start-up's first 8 bytes, which `pg` writes in one write with the rest.
    expect(decode([out.subarray(0, 8), ...single(out.subarray(8))], single(inn)).map((m) => m.layers)).toEqual(whole);
  });

  it("reports errors and notices by their fields, and never shows a password", () => {
    const error = pgMsg("E", bytes("S"), cstr("ERROR"), bytes("C"), cstr("42P01"), bytes("M"), cstr('relation "x" does not exist'), bytes([0]));
    const messages = decode([join(startup({ user: "u" }), pgMsg("p", cstr("hunter2")))], [join(pgMsg("R", int32(5), bytes([1, 2, 3, 4])), error)]);
    expect(messages.map((m) => [pg(m).name, pg(m).fields])).toEqual([
      ["StartupMessage", ["protocol 3.0", "user=u"]],
      ["PasswordMessage", ["8 B, not shown"]],
      ["Authentication", ["AuthenticationMD5Password"]],
      ["ErrorResponse", ["severity ERROR", "code 42P01", 'message relation "x" does not exist']],
    ]);
    expect(JSON.stringify(messages)).not.toContain("hunter2");
  });

  it("an SSLRequest answered N goes on to the StartupMessage; answered S, the rest is not decoded", () => {
    const ssl = untyped(int32(80877103));
    const refused = decode([ssl, startup({ user: "u" }), pgMsg("Q", cstr("SELECT 1"))], [bytes("N"), pgMsg("R", int32(0))]);
    expect(refused.map((m) => pg(m).name)).toEqual(["SSLRequest", "StartupMessage", "Query", "SSL answer", "Authentication"]);
    const d = createConnectionDecoder(1);
    d.push({ seq: 1, dir: "out", time: 1, bytes: ssl });
    expect(d.push({ seq: 2, dir: "in", time: 2, bytes: bytes("S") }).map((m) => pg(m).fields)).toEqual([["S: TLS follows"]]);
    const tls = d.push({ seq: 3, dir: "out", time: 3, bytes: bytes([0x16, 3, 1, 0, 5, 1, 2, 3, 4, 5]) });
    expect(tls).toMatchObject([{ size: 10, malformed: expect.stringContaining("TLS"), layers: [] }]);
  });

  it("marks malformed messages: a length under 4, an unknown type, a body too short or too long, a cut connection", () => {
    const badLength = decode([join(startup({ user: "u" }), bytes("Q"), int32(2), bytes("rest"))]);
    expect(badLength[1]).toMatchObject({ malformed: expect.stringContaining("a message length of 2"), layers: [] });
    const unknown = decode([join(startup({ user: "u" }), pgMsg("~", bytes("xy")))]);
    expect(pg(unknown[1])).toMatchObject({ name: "unknown '~'", malformed: "no frontend message has type '~'" });
    const short = decode([join(startup({ user: "u" }), pgMsg("E", cstr("")))]);
    expect(pg(short[1])).toMatchObject({ name: "Execute", malformed: "the body ends inside its fields" });
    const long = decode([join(startup({ user: "u" }), pgMsg("S", bytes("extra")))]);
    expect(pg(long[1])).toMatchObject({ name: "Sync", malformed: "5 B after its fields" });
    const cut = decode([join(startup({ user: "u" }), pgMsg("Q", cstr("SELECT 1")).subarray(0, 7))]);
    expect(cut[1]).toMatchObject({ size: 7, malformed: "the connection ended inside a message" });
    expect(pgMessage(true, "", join(int32(12345), bytes([0])))).toMatchObject({ malformed: "unknown start-up code 12345" });
  });

  it("bytes the capture lost end the message they fall in; a lost header loses the boundaries", () => {
    const d = createConnectionDecoder(1);
    d.push({ seq: 1, dir: "out", time: 1, bytes: startup({ user: "u" }) });
    const query = pgMsg("Q", cstr("SELECT 'a long literal'"));
    // 10 bytes captured of the Query, the rest of it lost, then the next message whole.
    const cut = d.push({ seq: 2, dir: "out", time: 2, bytes: query.subarray(0, 10), size: query.length });
    expect(cut).toHaveLength(1);
    expect(pg(cut[0])).toMatchObject({ name: "Query", cut: `${query.length - 10} B of it not captured` });
    expect(d.push({ seq: 3, dir: "out", time: 3, bytes: pgMsg("S") }).map((m) => pg(m).name)).toEqual(["Sync"]);
    const lost = d.push({ seq: 4, dir: "out", time: 4, bytes: bytes("Q"), size: 40 });
    expect(lost[0]).toMatchObject({ malformed: expect.stringContaining("lost the message boundaries") });
    expect(d.push({ seq: 5, dir: "out", time: 5, bytes: pgMsg("S") })).toMatchObject([{ malformed: expect.stringContaining("lost the message boundaries") }]);
  });

  it("is told apart from HTTP, RESP and IPC by its first bytes", () => {
    expect(looksLikePostgresStart(startup({ user: "u" }))).toBe(true);
    expect(looksLikePostgresStart(untyped(int32(80877103)))).toBe(true);
    for (const other of ["GET / HTTP/1.1\r\n\r\n", "*1\r\n$4\r\nPING\r\n", '{"cmd":"NODE_CLUSTER"}\n']) expect(looksLikePostgresStart(bytes(other))).toBe(false);
    expect(looksLikePostgresStart(join(int32(8), int32(1)))).toBe(false);
  });
});
