import { describe, expect, it } from "vitest";
import { createHttpParser, type HttpEvent, type RequestInfo } from "../../src/wire/http.js";
import type { HttpMessageEvent, HttpUpgradeEvent } from "../../src/wire/http.js";
import { DECODE_LIMIT, MAX_HEADERS } from "../../src/wire/limits.js";
import type { HttpRequestLayer, HttpResponseLayer } from "../../src/wire/types.js";
import { bytes, chunked, httpMessage, join, latin1, ref, split } from "./helpers.js";

function feed(side: "request" | "response", pieces: readonly Uint8Array[], requests: RequestInfo[] = []): HttpEvent[] {
  const parser = createHttpParser({ side, takeRequest: () => requests.shift() });
  const events = pieces.flatMap((p, i) => parser.push(p, ref(i + 1)));
  return [...events, ...parser.end()];
}
const messages = (events: readonly HttpEvent[]): HttpMessageEvent[] =>
  events.filter((e): e is HttpMessageEvent => e.kind === "message");
const request = (e: HttpEvent): HttpRequestLayer => (e as HttpMessageEvent).layer as HttpRequestLayer;
const response = (e: HttpEvent): HttpResponseLayer => (e as HttpMessageEvent).layer as HttpResponseLayer;

describe("HTTP requests", () => {
  it("parses the request line and keeps header order and case", () => {
    const [e] = feed("request", [httpMessage("GET /socket.io/?EIO=4 HTTP/1.1", ["Host: a", "X-Weird-CASE:  spaced value  ", "host: b"])]);
    expect(request(e)).toMatchObject({
      method: "GET", target: "/socket.io/?EIO=4", version: "HTTP/1.1", body: "", bodySize: 0,
      headers: [["Host", "a"], ["X-Weird-CASE", "spaced value"], ["host", "b"]],
    });
    expect(request(e).malformed).toBeUndefined();
  });

  it("reads a Content-Length body split byte by byte", () => {
    const data = httpMessage("POST /x HTTP/1.1", ["Host: a"], '42["héllo"]');
    const events = feed("request", split(data, 1));
    expect(events).toHaveLength(1);
    const [e] = messages(events);
    expect(request(e).body).toBe('42["héllo"]');
    expect(request(e).bodySize).toBe(12);
    expect(e).toMatchObject({ first: { seq: 1 }, last: { seq: data.length }, size: data.length });
  });

  it("de-chunks a Transfer-Encoding: chunked body", () => {
    const data = httpMessage("POST /x HTTP/1.1", ["Transfer-Encoding: chunked"]);
    const body = latin1(chunked(["4", '2["a",', '"b"]']).replace("6\r\n", "6;ext=1\r\n"));
    const [e] = messages(feed("request", split(join(data, body), 3)));
    expect(request(e)).toMatchObject({ body: '42["a","b"]', bodySize: 11 });
    expect(request(e).malformed).toBeUndefined();
  });

  it("handles keep-alive: two requests in one chunk, then a third", () => {
    const a = httpMessage("POST /a HTTP/1.1", [], "one");
    const b = httpMessage("GET /b HTTP/1.1", ["Host: x"]);
    const c = httpMessage("GET /c HTTP/1.1");
    const events = messages(feed("request", [join(a, b), c]));
    expect(events.map((e) => request(e).target)).toEqual(["/a", "/b", "/c"]);
    expect(events.map((e) => [e.first.seq, e.last.seq])).toEqual([[1, 1], [1, 1], [2, 2]]);
  });

  it("hands the bytes after an upgrade request head to the next protocol", () => {
    const head = httpMessage("GET /ws HTTP/1.1", ["Connection: keep-alive, Upgrade", "Upgrade: websocket"]);
    const events = feed("request", [join(head, bytes([0x81, 0x80])), bytes([1, 2])]);
    expect(events[0].kind).toBe("message");
    expect(events[1]).toMatchObject({ kind: "upgrade", protocol: "websocket" });
    expect(Array.from((events[1] as HttpUpgradeEvent).rest)).toEqual([0x81, 0x80]);
    expect(events[2]).toMatchObject({ kind: "opaque" }); // later bytes must be routed elsewhere
  });

  it("flags a garbage request line and shows the rest of the direction as opaque chunks", () => {
    const events = feed("request", [latin1("\x16\x03\x01\x02\x00\x01\n\x00\x00garbage"), bytes("GET / HTTP/1.1\r\n\r\n")]);
    expect(request(events[0]).malformed).toBe("not an HTTP request line");
    expect(events.slice(1).map((e) => e.kind)).toEqual(["opaque", "opaque"]);
    expect(events[2]).toMatchObject({ reason: "after malformed HTTP: not an HTTP request line", size: 18 });
  });

  it.each([
    ["bad chunk size", "zz\r\n", 'bad chunk size "zz"'],
    ["missing CRLF after data", "2\r\nabXY", "missing CRLF after chunk data"],
    ["huge chunk size", "fffffffffffffffffff\r\n", "chunk size too large"],
  ])("flags a %s", (_name, body, reason) => {
    const head = httpMessage("POST /x HTTP/1.1", ["Transfer-Encoding: chunked"]);
    const events = feed("request", [join(head, latin1(body))]);
    expect(request(events[0]).malformed).toBe(reason);
  });

  it.each([
    ["Content-Length: -1", 'bad Content-Length "-1"'],
    ["Content-Length: 99999999999999999999", 'bad Content-Length "99999999999999999999"'],
    ["Content-Length: 1\r\nContent-Length: 2", "conflicting Content-Length values 1, 2"],
    ["Transfer-Encoding: gzip", 'Transfer-Encoding "gzip" without chunked'],
    ["Bad Header: x", "bad header line"],
    [" folded", "obsolete header line folding"],
  ])("flags %j", (header, reason) => {
    const events = feed("request", [latin1(`POST /x HTTP/1.1\r\n${header}\r\n\r\nrest`)]);
    expect(request(events[0]).malformed).toBe(reason);
    expect(events[1]).toMatchObject({ kind: "opaque" });
  });

  it("flags more than MAX_HEADERS headers but keeps framing", () => {
    const headers = Array.from({ length: 5000 }, (_, i) => `X-${i}: v`);
    const events = messages(feed("request", [httpMessage("POST /x HTTP/1.1", headers, "body"), httpMessage("GET /y HTTP/1.1")]));
    expect(request(events[0]).headers).toHaveLength(MAX_HEADERS);
    expect(request(events[0]).malformed).toMatch(/^5001 headers, more than 2000/);
    expect(request(events[0]).body).toBe("body");
    expect(request(events[1]).target).toBe("/y");
  });

  it("stops an endless head at 64 KiB", () => {
    const events = feed("request", [bytes("GET / HTTP/1.1\r\n"), ...Array.from({ length: 100 }, () => bytes(`X: ${"a".repeat(1000)}\r\n`))]);
    expect(request(events[0]).malformed).toMatch(/HTTP head larger than 65536 bytes/);
    expect(events.length).toBeGreaterThan(2);
  });

  it("reports a head and a body cut by the end of the connection", () => {
    expect(request(feed("request", [bytes("GET / HTTP/1.1\r\nHost")])[0]).malformed).toBe("connection ended inside an HTTP head");
    const cut = feed("request", [bytes("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc")]);
    expect(request(cut[0])).toMatchObject({ body: "abc", bodySize: 3, malformed: "connection ended after 3 of 10 body bytes" });
    expect((cut[0] as HttpMessageEvent).broken).toBe(true);
  });

  it("counts blank lines left at the end of a connection", () => {
    const events = feed("request", [join(httpMessage("GET / HTTP/1.1"), bytes("\r\n\r\n"))]);
    expect(events[1]).toMatchObject({ kind: "opaque", size: 4, reason: "connection ended after blank lines" });
  });

  it("counts a body larger than the decode limit without keeping it", () => {
    const size = DECODE_LIMIT + 100_000;
    const piece = new Uint8Array(64 * 1024).fill(0x61);
    const parser = createHttpParser({ side: "request" });
    const events = parser.push(bytes(`POST / HTTP/1.1\r\nContent-Length: ${size}\r\n\r\n`), ref(0));
    for (let sent = 0; sent < size; sent += piece.length) events.push(...parser.push(piece.subarray(0, Math.min(piece.length, size - sent)), ref(1)));
    const [e] = messages(events);
    expect(request(e).bodySize).toBe(size);
    expect(e.body.length).toBe(DECODE_LIMIT);
    expect(e.bodyComplete).toBe(false);
    expect(request(e).body).toMatch(/^a{4096}… \d+ more$/);
  });

  it("skips bytes missing from the capture inside a body, and loses framing elsewhere", () => {
    const parser = createHttpParser({ side: "request" });
    const body = parser.push(bytes("POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nab"), ref(1), 98);
    expect(messages(body)[0]).toMatchObject({ bodyComplete: false, size: 140, broken: false });
    expect(request(body[0]).bodySize).toBe(100);
    const lost = parser.push(bytes("GET / HT"), ref(2), 10);
    expect(lost[0]).toMatchObject({ kind: "message", broken: true });
    expect(parser.push(bytes("GET / HTTP/1.1\r\n\r\n"), ref(3))[0].kind).toBe("opaque");
  });
});

describe("HTTP responses", () => {
  it("parses the status line and matches responses to requests", () => {
    const requests = [{ method: "GET", target: "/a" }, { method: "POST", target: "/b" }];
    const events = messages(feed("response", [join(httpMessage("HTTP/1.1 200 OK", [], "0{}"), httpMessage("HTTP/1.1 400 Bad Request", [], "{}"))], requests));
    expect(events.map((e) => [response(e).status, response(e).reason, e.request?.target])).toEqual([[200, "OK", "/a"], [400, "Bad Request", "/b"]]);
  });

  it("switches protocols after a 101 and keeps the extensions", () => {
    const head = httpMessage("HTTP/1.1 101 Switching Protocols", ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Extensions: permessage-deflate"]);
    const events = feed("response", [join(head, bytes([0x81, 0x01, 0x32]))], [{ method: "GET", target: "/" }]);
    expect(response(events[0]).status).toBe(101);
    expect(events[1]).toMatchObject({ kind: "upgrade", protocol: "websocket", extensions: "permessage-deflate" });
  });

  it("knows which responses have no body", () => {
    const data = join(
      httpMessage("HTTP/1.1 100 Continue"),
      latin1("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"), // answers a HEAD: no body
      httpMessage("HTTP/1.1 204 No Content"),
      httpMessage("HTTP/1.1 304 Not Modified"),
      httpMessage("HTTP/1.1 200 OK", [], "body"),
    );
    const requests = [{ method: "HEAD", target: "/" }, { method: "GET", target: "/" }, { method: "GET", target: "/" }, { method: "GET", target: "/" }];
    const events = messages(feed("response", [data], requests));
    expect(events.map((e) => [response(e).status, response(e).bodySize])).toEqual([[100, 0], [200, 0], [204, 0], [304, 0], [200, 4]]);
    expect(events.every((e) => !e.layer.malformed)).toBe(true);
  });

  it("reads a body without length until the connection closes", () => {
    const events = feed("response", [bytes("HTTP/1.0 200 OK\r\n\r\nsome "), bytes("text")]);
    expect(response(events[0])).toMatchObject({ version: "HTTP/1.0", body: "some text", bodySize: 9 });
    expect(events[0]).toMatchObject({ first: { seq: 1 }, last: { seq: 2 } });
  });

  it("flags a garbage status line", () => {
    expect(response(feed("response", [bytes("HTTP/1.1 2000 OK\r\n\r\n")])[0]).malformed).toBe("not an HTTP status line");
    expect(response(feed("response", [bytes("SSH-2.0-OpenSSH\r\n")])[0]).malformed).toBe("not an HTTP status line");
  });

  it("shows a binary body as latin1 text, control characters escaped", () => {
    const [e] = feed("response", [join(bytes("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n"), bytes([0xff, 0x00, 0x41]))]);
    expect(response(e).body).toBe("\xff\\x00A");
  });

  it("keeps line feeds and tabs of a body but escapes what would drive a terminal", () => {
    const body = "a\nb\tc\x1b[2J\rd\u009b";
    const [e] = feed("response", [bytes(`HTTP/1.1 200 OK\r\nContent-Length: ${bytes(body).length}\r\n\r\n${body}`)]);
    expect(response(e).body).toBe("a\nb\tc\\x1b[2J\\rd\\x9b");
  });
});
