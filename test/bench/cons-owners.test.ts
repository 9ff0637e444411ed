/**
 * Decoded wire messages hold flat strings (issue 18), and the heap-snapshot reader that found
 * the ConsStrings says who holds them. A child process decodes chat traffic with the built
 * decoder (dist/wire) beside a string built a character at a time, writes a heap snapshot,
 * and the test reads it with bench/lib's reader: the built string shows up under its holder,
 * the decoded messages hold no ConsString at all.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consOwners, type ConsSummary } from "../../bench/lib/cons-owners.js";
import { heapGraph } from "../../bench/lib/heap-snapshot.js";
import type { ConnectionChunk } from "../../src/wire/connection-decoder.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { chunkSequence, clientFrame, httpMessage, wsFrame } from "../wire/helpers.js";

const MESSAGES = 300;
/** Characters of the control string, appended one at a time. */
const CONTROL_CHARS = 500;

/** What the child runs: decode, keep, snapshot. Two named holders, so each has a retainer path of its own. */
const CHILD = `
import { writeHeapSnapshot } from "node:v8";
const { createConnectionDecoder } = await import(process.env.WIRE_INDEX);
class DecodedForSnapshot { constructor(messages) { this.messages = messages; } }
class BuiltByHand { constructor(text) { this.text = text; } }
process.once("message", ({ chunks, file }) => {
  const decoder = createConnectionDecoder(1);
  let text = "";
  for (let i = 0; i < ${CONTROL_CHARS}; i++) text += String.fromCharCode(97 + (i % 26));
  globalThis.kept = [new DecodedForSnapshot(chunks.flatMap((c) => decoder.push(c))), new BuiltByHand(text)];
  writeHeapSnapshot(file);
  process.send({ messages: globalThis.kept[0].messages.length }, () => process.exit(0));
});
`;

/** A WebSocket connection's chat: upgrade, then each client message and its broadcast, as the chat scenario sends them. */
function chatChunks(): ConnectionChunk[] {
  const next = chunkSequence();
  const chunks = [
    next("in", httpMessage("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1", ["Connection: Upgrade", "Upgrade: websocket"])),
    next("out", httpMessage("HTTP/1.1 101 Switching Protocols", ["Connection: Upgrade", "Upgrade: websocket"])),
  ];
  for (let i = 0; i < MESSAGES; i++) {
    const event = `42["chat message","flood client ${i % 25} says hello number ${i} to the room"]`;
    chunks.push(next("in", clientFrame(event)), next("out", wsFrame(event)));
  }
  return chunks;
}

let dir: string;
let summary: ConsSummary;
let decoded: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cons-owners-"));
  const file = join(dir, "child.heapsnapshot");
  const child = spawn(process.execPath, ["--input-type=module", "-e", CHILD], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    serialization: "advanced",
    env: { ...process.env, WIRE_INDEX: pathToFileURL(join(PACKAGE_ROOT, "dist/wire/index.js")).href },
  });
  const reply = new Promise<{ messages: number }>((resolve, reject) => {
    child.once("message", (m) => resolve(m as { messages: number }));
    child.once("exit", (code) => reject(new Error(`the child exited (${code}) before it wrote the snapshot`)));
  });
  child.send({ chunks: chatChunks(), file });
  decoded = (await reply).messages;
  summary = consOwners(heapGraph(JSON.parse(readFileSync(file, "utf8"))));
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("ConsStrings in a heap snapshot, by owner", () => {
  it("a string appended a character at a time is found under its holder's property", () => {
    const owner = summary.owners.find((o) => o.path === "BuiltByHand.text");
    expect(owner?.strings).toBe(1);
    // V8 flattens short results; past that every append is a node.
    expect(owner!.nodes).toBeGreaterThan(CONTROL_CHARS / 2);
  });

  it("decoded chat messages (raw, frame payloads, packet data) hold no ConsString", () => {
    expect(decoded).toBe(2 * MESSAGES + 2);
    expect(summary.owners.filter((o) => o.path.startsWith("DecodedForSnapshot"))).toEqual([]);
  });
});
