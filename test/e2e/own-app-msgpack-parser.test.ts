/**
 * An app and its own client that both speak socket.io-msgpack-parser, traced with `--client none`:
 * the parser is listed in the header with the app's version, its Decoder and Encoder are in the
 * event's call path beside the app's handler, the step says so from what ran, and every Socket.IO
 * packet on the wire (base64 over polling, binary over WebSocket) is decoded as msgpack, none
 * shown as malformed text or as an attachment with no header.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { installedVersion } from "../helpers/installed.js";
import { BIN } from "../helpers/cli.js";
import { callNames as names, stepCalls, traceLines } from "../helpers/json-lines.js";
import { startNode } from "../helpers/watched-process.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { decodeChunks } from "../../src/wire/decode-chunks.js";
import type { Chunk } from "../../src/trace/model.js";

const PARSER = "socket.io-msgpack-parser";
const DIR = "test/fixtures/apps/msgpack-parser";

describe("trace-socket on an app with socket.io-msgpack-parser", () => {
  it("packets decoded as msgpack, the parser's calls in the event's path and named in its step", async () => {
    const cli = startNode([BIN, `${DIR}/server.js`, "--client", "none", "--json"]);
    const url = (await cli.line(/listening on (http:\/\/\S+)/))[1];
    await cli.line(/press Ctrl-C/);
    const client = startNode([join(PACKAGE_ROOT, DIR, "client.mjs"), url]);
    expect(await client.exited, client.err()).toBe(0);
    expect(client.out()).toBe("sum 5\n");
    cli.child.kill("SIGINT");
    expect(await cli.exited, cli.err()).toBe(0);

    const lines = traceLines(cli.out());
    expect(lines.find((l) => l.type === "meta")?.packages?.[PARSER]).toBe(installedVersion(PARSER));
    const functions = new Map(lines.filter((l) => l.type === "function").map((l) => [l.id as number, l]));
    const event = lines.find((l) => l.type === "step" && (l as { title?: string }).title === 'client 1: emits "add" with ack 0');
    expect(event, "the client's emit is a step of its own").toBeDefined();
    const path = names(stepCalls(event!), functions);
    // The frame is read by the parser's Decoder, the app's handler answers, the ack is written by its Encoder.
    const decoded = path.indexOf(`Decoder.add (${PARSER})`);
    const handler = path.indexOf("<anonymous add listener in server.js> (app)");
    expect(decoded, path.join(" → ")).toBeGreaterThanOrEqual(0);
    expect(handler).toBeGreaterThan(decoded);
    expect(path.indexOf(`Encoder.encode (${PARSER})`)).toBeGreaterThan(handler);
    expect((event as { explanation?: string }).explanation).toMatch(new RegExp(`${PARSER} ran [^;]*Decoder\\.add[^;]*Encoder\\.encode|${PARSER} ran [^;]*Encoder\\.encode[^;]*Decoder\\.add`));

    const chunks = lines.filter((l) => l.type === "chunk") as unknown as Chunk[];
    const packets = decodeChunks(chunks).flatMap((m) => m.layers.flatMap((layer) => (layer.kind === "socket.io" ? layer.packets : [])));
    expect(packets.filter((p) => p.malformed !== undefined)).toEqual([]);
    expect(packets.every((p) => p.encoding === "msgpack")).toBe(true);
    expect(packets.map((p) => p.name)).toEqual(expect.arrayContaining(["CONNECT", "EVENT", "ACK", "DISCONNECT"]));
    expect(packets.find((p) => p.event === "add")).toMatchObject({ name: "EVENT", id: 0, data: '["add",2,3]' });
    expect(packets.find((p) => p.name === "ACK")).toMatchObject({ id: 0, data: "[5]" });
    expect(packets.find((p) => p.event === "welcome")?.data).toMatch(/^\["welcome",\{"id":"[\w-]+"\}\]$/);
  });
});
