/**
 * A long-polling session spans TCP connections: a BINARY_EVENT's header comes
 * in one POST and its attachments in the next, which the Node client sends on
 * a new connection. The Socket.IO state that waits for the attachments is the
 * session's (its sid), so the attachments decode as the packet's own.
 */
import { describe, expect, it } from "vitest";
import { createConnectionDecoder, createSessionStreams, decodeChunks, sessionOf } from "../../src/wire/index.js";
import type { SocketLayer, WireMessage } from "../../src/wire/index.js";
import type { Chunk } from "../../src/trace/model.js";
import { frameMatches } from "../../src/claims/frame-match.js";
import { chunkSequence, httpMessage } from "./helpers.js";

const POST = (sid: string) => `POST /socket.io/?EIO=4&transport=polling&t=x&sid=${sid} HTTP/1.1`;
const HEADER = '452-0["upload",{"_placeholder":true,"num":0},{"thumb":{"_placeholder":true,"num":1}}]';
// Engine.IO v4 polling: binary packets as "b" + base64, packets joined by the record separator.
const ATTACHMENTS = `b${Buffer.from("hi").toString("base64")}\x1eb${Buffer.from([0x89, 0x50]).toString("base64")}`;
const socketLayer = (m: WireMessage) => m.layers.find((l) => l.kind === "socket.io") as SocketLayer | undefined;

describe("session streams", () => {
  it("decodes attachments sent on another connection as the binary packet's own", () => {
    const next = chunkSequence();
    const sessions = createSessionStreams();
    const first = createConnectionDecoder(1, sessions);
    const second = createConnectionDecoder(2, sessions);
    const [header] = first.push(next("in", httpMessage(POST("s1"), [], HEADER)));
    const [attachments] = second.push(next("in", httpMessage(POST("s1"), [], ATTACHMENTS)));
    expect(socketLayer(header)?.packets[0]).toMatchObject({ name: "BINARY_EVENT", id: 0, event: "upload", attachments: 2 });
    const layer = socketLayer(attachments);
    expect(layer?.malformed).toBeUndefined();
    expect(layer?.packets.map((p) => [p.name, p.attachment, p.attachments])).toEqual([["BINARY_EVENT", 0, 2], ["BINARY_EVENT", 1, 2]]);
  });

  it("lets a claim's frame match name an attachment by its index", () => {
    const next = chunkSequence();
    const sessions = createSessionStreams();
    const [header] = createConnectionDecoder(1, sessions).push(next("in", httpMessage(POST("s1"), [], HEADER)));
    const [attachments] = createConnectionDecoder(2, sessions).push(next("in", httpMessage(POST("s1"), [], ATTACHMENTS)));
    expect(frameMatches(attachments, { dir: "in", sio: "BINARY_EVENT", attachment: 1 })).toBe(true);
    expect(frameMatches(attachments, { sio: "BINARY_EVENT", attachment: 2 })).toBe(false);
    expect(frameMatches(header, { sio: "BINARY_EVENT", attachment: 0 })).toBe(false);
    expect(frameMatches(header, { sio: "BINARY_EVENT", event: "upload" })).toBe(true);
  });

  it("keeps sessions apart: another sid's attachments have no packet to belong to", () => {
    const next = chunkSequence();
    const sessions = createSessionStreams();
    createConnectionDecoder(1, sessions).push(next("in", httpMessage(POST("s1"), [], HEADER)));
    const [stray] = createConnectionDecoder(2, sessions).push(next("in", httpMessage(POST("s2"), [], ATTACHMENTS)));
    expect(socketLayer(stray)?.packets[0].name).toBe("ATTACHMENT");
    expect(socketLayer(stray)?.malformed).toBeDefined();
  });

  it("is what decodeChunks does over a whole trace", () => {
    const chunk = (seq: number, conn: number, body: string): Chunk =>
      ({ seq, conn, dir: "in", time: seq, size: 0, data: Buffer.from(httpMessage(POST("s1"), [], body)).toString("base64") }) as unknown as Chunk;
    const messages = decodeChunks([chunk(1, 1, HEADER), chunk(2, 2, ATTACHMENTS)]);
    expect(socketLayer(messages[1])?.packets.map((p) => p.name)).toEqual(["BINARY_EVENT", "BINARY_EVENT"]);
  });

  it("reads the session id of a request target", () => {
    expect(sessionOf("/socket.io/?EIO=4&transport=polling&sid=abc-_1")).toBe("abc-_1");
    expect(sessionOf("/socket.io/?EIO=4&transport=polling")).toBeUndefined();
    expect(sessionOf("/")).toBeUndefined();
  });
});
