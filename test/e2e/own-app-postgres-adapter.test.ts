/**
 * An app with the Postgres adapter, traced while another server of the same app runs bare beside
 * it, on a real PostgreSQL cluster the test creates, a real client on each. The adapter is listed
 * in the header at the app's version; the traced server's broadcast runs from the app's handler
 * through PostgresAdapter to the `pg_notify` written on its own Postgres connection; the other
 * server's broadcast comes in as a NotificationResponse whose read starts the adapter's
 * notification handler, never a root Adapter.broadcast with no cause. The app's Postgres
 * connection is tapped once it loaded the adapter and decoded in the Postgres view, the adapter's
 * JSON inside.
 */
import { describe, expect, it } from "vitest";
import { installedVersion } from "../helpers/installed.js";
import { exchangeBesideBare } from "../helpers/adapter-exchange.js";
import { callNames, pathTo, stepCalls, type CallLine as Call, type TraceLine as Line } from "../helpers/json-lines.js";
import { postgresGate, usePostgresAndChildren } from "../helpers/postgres-server.js";
import { decodeChunks } from "../../src/wire/decode-chunks.js";
import type { Chunk } from "../../src/trace/model.js";
import type { AdapterLayer, PostgresLayer, WireMessage } from "../../src/wire/types.js";

const ADAPTER = "@socket.io/postgres-adapter";
const APP = "test/fixtures/apps/pg-adapter/server.js";

const postgresLayer = (m: WireMessage): PostgresLayer | undefined => (m.layers[0]?.kind === "postgres" ? m.layers[0] : undefined);
const adapterLayer = (m: WireMessage): AdapterLayer | undefined => (m.layers[1]?.kind === "adapter" ? m.layers[1] : undefined);

describe.skipIf(postgresGate.skip)(`your own app with the Postgres adapter${postgresGate.titleNote}`, () => {
  const { postgres, children } = usePostgresAndChildren();

  it("pg_notify from the app's handler, the other server's NOTIFY heard by the adapter's handler, the connection decoded", async () => {
    const lines = await exchangeBesideBare(APP, { DATABASE_URL: postgres().url }, children);
    expect(lines.find((l) => l.type === "meta")?.packages?.[ADAPTER]).toBe(installedVersion(ADAPTER));
    const functions = new Map(lines.filter((l) => l.type === "function").map((l) => [l.id as number, l]));
    const name = (call: Call): string => `${functions.get(call.fn)?.name} (${functions.get(call.fn)?.pkg})`;
    const steps = lines.filter((l) => l.type === "step");
    // No step has a broadcast of the adapter's as a root without a cause: each is under what caused it, or
    // is the continuation (ClusterAdapter.broadcast awaits its publish) of the call that started it.
    const causeless = steps.flatMap((step) => stepCalls(step)).filter((root) => /^(Postgres|Cluster)?Adapter(WithHeartbeat)?\.broadcast /.test(name(root)) && (root as Call & { async?: unknown }).async === undefined);
    expect(causeless.map(name)).toEqual([]);

    // ada's say: the app's handler, then the adapter publishing it.
    const said = steps.find((s) => (s as { title?: string }).title === 'client 1: emits "say"') as Line & { explanation?: string; chunks?: number[] };
    expect(said, steps.map((s) => (s as { title?: string }).title).join(" | ")).toBeDefined();
    const path = callNames(stepCalls(said), functions);
    const handler = path.indexOf("<anonymous say listener in main> (app)");
    expect(handler, path.join(" → ")).toBeGreaterThanOrEqual(0);
    expect(path.slice(handler), path.join(" → ")).toContain(`PostgresAdapter.doPublish (${ADAPTER})`);
    expect(said.explanation).toContain(`${ADAPTER} ran `);

    // The app's Postgres connections, decoded: none malformed, ada's broadcast in the Bind of a pg_notify, bob's in a NotificationResponse.
    const outgoing = new Set(lines.filter((l) => l.type === "connection" && l.outgoing).map((l) => l.id));
    // Each is named by what its bytes were decoded as, so no view calls it Redis.
    expect(lines.filter((l) => l.type === "connection" && l.outgoing).map((l) => (l as { service?: string }).service)).toEqual([...outgoing].map(() => "PostgreSQL"));
    const chunks = (lines.filter((l) => l.type === "chunk") as unknown as Chunk[]).filter((c) => outgoing.has(c.conn));
    const messages = decodeChunks(chunks);
    expect(messages.filter((m) => m.malformed !== undefined || m.layers.some((l) => l.malformed)).map((m) => m.malformed ?? m.raw)).toEqual([]);
    const names = new Set(messages.map((m) => postgresLayer(m)?.name));
    expect([...names]).toEqual(expect.arrayContaining(["StartupMessage", "Authentication", "ReadyForQuery", "Query", "CommandComplete", "Parse", "Bind", "NotificationResponse"]));
    const published = messages.find((m) => postgresLayer(m)?.name === "Bind" && adapterLayer(m)?.packet?.data.includes("hello from ada"));
    expect(published, "ada's broadcast, sent with pg_notify").toBeDefined();
    expect(postgresLayer(published!)).toMatchObject({ side: "frontend", channel: "socket.io#/", sql: "SELECT pg_notify($1, $2)" });
    expect(adapterLayer(published!)).toMatchObject({ adapter: "postgres", encoding: "json", typeName: "BROADCAST", packet: { name: "EVENT", event: "said" } });
    // It was written in ada's say step: its chunk is one of the step's.
    expect(said.chunks ?? []).toContain(published!.firstChunk);
    const heard = messages.find((m) => postgresLayer(m)?.name === "NotificationResponse" && adapterLayer(m)?.packet?.data.includes("hello from bob"));
    expect(heard, "bob's broadcast, heard on the traced server's LISTEN connection").toBeDefined();
    expect(adapterLayer(heard!)).toMatchObject({ adapter: "postgres", typeName: "BROADCAST" });

    // bob's say reaches ada through the adapter's notification handler, started by the read of that NotificationResponse.
    const writeOf = (text: string): Line => {
      const chunk = lines.find((l) => l.type === "chunk" && l.dir === "out" && !outgoing.has(l.conn) && Buffer.from(l.data ?? "", "base64").toString("latin1").includes(`["said","${text}"]`));
      expect(chunk?.call, `the frame carrying ${text} is linked to the call that wrote it`).toBeGreaterThanOrEqual(0);
      return chunk!;
    };
    const arrived = pathTo(steps, writeOf("hello from bob").call!)!;
    const arrivedNames = arrived.map(name);
    expect(arrivedNames[0], arrivedNames.join(" → ")).toMatch(new RegExp(`\\(${ADAPTER.replace(/[/.]/g, "\\$&")}\\)$`));
    expect(arrivedNames.join(" → ")).toMatch(/onMessage/);
    expect(arrivedNames).not.toContain("<anonymous say listener in main> (app)");
    const root = arrived[0].seq;
    expect(root).toBeGreaterThanOrEqual(heard!.call!);
    if (heard!.callEnd === undefined) expect(root).toBe(heard!.call);
    else expect(root).toBeLessThan(heard!.callEnd);
  });
});
