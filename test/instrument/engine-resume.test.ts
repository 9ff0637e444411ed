/**
 * engine.io itself, loaded through the require hook as the traced process loads
 * it, against real HTTP requests: a handshake whose `await this.generateId()`
 * rejects (two tests of engine.io's own suite do this) and one that resolves.
 */
import { createServer, type Server as HttpServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkAsyncContinuations } from "../../src/instrument/async-links.js";
import { FunctionRegistry } from "../../src/instrument/function-registry.js";
import { Recorder, type RecordBatch } from "../../src/instrument/recorder.js";
import { instrumentRequire } from "../../src/instrument/require-hook.js";
import { RECORDER_GLOBAL } from "../../src/instrument/transform.js";
import { buildCallTrees, walkCalls } from "../../src/trace/call-tree.js";
import type { CallNode } from "../../src/trace/model.js";
import { PROJECT_ROOT } from "../source/helpers/paths.js";

interface Engine {
  generateId(req: unknown): unknown;
  on(event: string, listener: (...args: unknown[]) => void): void;
  close(): void;
}

const recorder = new Recorder(1 << 18);
const registry = new FunctionRegistry(PROJECT_ROOT);
const names = new Map<number, string>();
let http: HttpServer;
let engine: Engine;
let base: string;

beforeAll(async () => {
  (globalThis as Record<string, unknown>)[RECORDER_GLOBAL] = recorder;
  linkAsyncContinuations(recorder);
  instrumentRequire(registry, undefined, (file, reason) => {
    throw new Error(`${file}: ${reason}`);
  });
  const { attach } = createRequire(import.meta.url)("engine.io") as { attach(server: HttpServer): Engine };
  http = createServer();
  engine = attach(http);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/engine.io/?EIO=4&transport=polling`;
});

afterAll(() => {
  engine.close();
  http.close();
});

/** The call trees recorded by one handshake request. */
async function handshake(): Promise<{ status: number; trees: CallNode[] }> {
  recorder.drain();
  const response = await fetch(base);
  await response.text();
  const batch: RecordBatch = recorder.drain()!;
  for (const fn of registry.drain()) names.set(fn.id, fn.name);
  const trees = buildCallTrees({
    length: batch.ops.length,
    seq: (i) => batch.firstSeq + i,
    op: (i) => batch.ops[i]!,
    id: (i) => batch.ids[i]!,
    time: (i) => batch.times[i]!,
    link: (i) => batch.links[i]!,
    linkKind: (i) => batch.linkKinds[i]!,
  });
  return { status: response.status, trees };
}

function nodes(trees: readonly CallNode[], name: string): CallNode[] {
  const out: CallNode[] = [];
  walkCalls(trees, (node) => {
    if (names.get(node.fn) === name) out.push(node);
  });
  return out;
}

describe("engine.io's handshake under the instrumentation", () => {
  it("a resolved await resumes under the handshake's own frame, not its caller's", async () => {
    const { status, trees } = await handshake();
    expect(status).toBe(200);
    const [entered, resumed] = nodes(trees, "BaseServer.handshake");
    expect(resumed?.detached).toBe(true);
    expect(resumed?.async).toEqual({ kind: "promise", from: entered!.seq });
    expect(nodes(resumed!.children, "Socket.constructor")).toHaveLength(1);
    expect(recorder.mismatched).toBe(0);
  });

  it("a rejected generateId resumes the handshake in its catch block: no unmatched exit", async () => {
    engine.generateId = () => Promise.reject(new Error("nope"));
    const errors: unknown[] = [];
    engine.on("connection_error", (error) => errors.push(error));
    const { status, trees } = await handshake();
    expect(status).toBe(400);
    expect(errors).toHaveLength(1);
    const [entered, resumed] = nodes(trees, "BaseServer.handshake");
    expect(resumed?.async).toEqual({ kind: "promise", from: entered!.seq });
    // The catch block answers 400 through closeConnection, inside the resumed handshake.
    expect(nodes(resumed!.children, "closeConnection in callback in Server.handleRequest")).toHaveLength(1);
    expect(recorder.mismatched).toBe(0);
  });
});
