/**
 * A claim's frame may name the start of an HTTP body (`body`): how an error answer such as
 * engine.io's 400 {"code":1,"message":"Session ID unknown"} is told apart from an ok. The
 * text summary shows an error answer's body, which no Engine.IO layer decodes.
 */
import { describe, expect, it } from "vitest";
import { frameMatches } from "../../src/claims/frame-match.js";
import { messageLine } from "../../src/export/markdown-packets.js";
import { layerSummary } from "../../src/export/text.js";
import type { HttpResponseLayer, WireMessage } from "../../src/wire/types.js";

function response(status: number, reason: string, body: string): WireMessage {
  const layer: HttpResponseLayer = { kind: "http-response", version: "HTTP/1.1", status, reason, headers: [["Content-Type", "application/json"]], body, bodySize: body.length };
  return { conn: 1, dir: "out", firstChunk: 1, lastChunk: 1, time: 0, size: 100 + body.length, raw: `HTTP/1.1 ${status} ${reason}`, layers: [layer] };
}

const unknown = response(400, "Bad Request", '{"code":1,"message":"Session ID unknown"}');

describe("a frame's body", () => {
  it("matches a response whose body starts with it, and no other", () => {
    expect(frameMatches(unknown, { status: 400, body: '{"code":1,' })).toBe(true);
    expect(frameMatches(unknown, { status: 400, body: '{"code":0,' })).toBe(false);
    expect(frameMatches(response(200, "OK", "ok"), { body: '{"code":1,' })).toBe(false);
    expect(frameMatches(response(200, "OK", "ok"), { status: 200, body: "ok" })).toBe(true);
  });

  it("shows an error answer's body in the text and the report, an ok's size only", () => {
    expect(layerSummary(unknown.layers[0])).toBe('HTTP 400 Bad Request (41 B body: {"code":1,"message":"Session ID unknown"})');
    expect(layerSummary(response(200, "OK", "ok").layers[0])).toBe("HTTP 200 OK (2 B body)");
    expect(messageLine(unknown)).toContain('400 Bad Request {"code":1,"message":"Session ID unknown"}');
  });
});
