/**
 * `--client none` with several of the user's own clients, each a real socket.io-client process
 * started by the test: every client action is a step of its own, named after the client that
 * did it, with the app's handler that the action ran.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN } from "../helpers/cli.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";

const APP = "test/fixtures/apps/own-clients/server.js";
const CLIENT = join(PACKAGE_ROOT, "test/fixtures/apps/own-clients/client.mjs");

function runClient(url: string, name: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLIENT, url, name], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout }));
  });
}

/** trace-socket on the app with `--client none`, its stdout so far, and its end on Ctrl-C. */
function startCli(...flags: string[]): { waiting: Promise<string>; stdout: () => string; interrupt: () => Promise<number | null> } {
  const command = flags[0] === "export" ? ["export", APP, ...flags.slice(1)] : [APP, ...flags];
  const cli = spawn(process.execPath, [BIN, ...command, "--client", "none"], { cwd: PACKAGE_ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "" } });
  let stdout = "";
  let stderr = "";
  cli.stdout.on("data", (d: Buffer) => (stdout += d));
  const exited = new Promise<number | null>((resolve) => cli.on("close", resolve));
  const waiting = new Promise<string>((resolve) =>
    cli.stderr.on("data", (d: Buffer) => {
      stderr += d;
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match && stderr.includes("press Ctrl-C")) resolve(match[1]);
    }),
  );
  return {
    waiting,
    stdout: () => stdout,
    interrupt: () => {
      cli.kill("SIGINT");
      return exited;
    },
  };
}

interface StepLine {
  readonly type: string;
  readonly id?: string;
  readonly title?: string;
  readonly explanation?: string;
}

describe("trace-socket server.js --client none: your own clients", () => {
  it("two real clients: a step per action, each named by its client, with the handler that ran", async () => {
    const cli = startCli("--json");
    const url = await cli.waiting;
    const clients = await Promise.all([runClient(url, "ada"), runClient(url, "bob")]);
    for (const client of clients) expect(client).toEqual({ code: 0, stdout: "joined lobby\ndone\n" });
    expect(await cli.interrupt()).toBe(0);
    const steps = cli.stdout().trim().split("\n").map((l) => JSON.parse(l) as StepLine).filter((l) => l.type === "step");
    const titles = steps.map((s) => s.title ?? "");
    expect(titles.some((t) => t.startsWith("live:"))).toBe(false);
    for (const n of [1, 2]) {
      const own = titles.filter((t) => t.startsWith(`client ${n}: `)).map((t) => t.slice(`client ${n}: `.length));
      // Each client's actions: the CONNECT (over polling) and the upgrade (its own TCP connection)
      // may reach the server in either order; the rest is ordered by the client itself.
      expect([...own].sort()).toEqual(["CONNECT to namespace /", "DISCONNECT from namespace /", "Engine.IO handshake (polling)", "closes the WebSocket", 'emits "join" with ack 0', 'emits "say"', "upgrades to WebSocket"]);
      expect(own[0]).toBe("Engine.IO handshake (polling)");
      const at = (action: string): number => own.indexOf(action);
      expect(at("CONNECT to namespace /")).toBeLessThan(at('emits "join" with ack 0'));
      expect(at('emits "join" with ack 0')).toBeLessThan(at('emits "say"'));
      expect(at('emits "say"')).toBeLessThan(at("DISCONNECT from namespace /"));
      expect(at("DISCONNECT from namespace /")).toBeLessThan(at("closes the WebSocket"));
    }
    const join = steps.filter((s) => s.title?.endsWith('emits "join" with ack 0'));
    expect(join).toHaveLength(2);
    for (const step of join) {
      expect(step.explanation).toMatch(/^client \d \(sid [\w-]{20}, 127\.0\.0\.1:\d+, node-XMLHttpRequest\): emits "join" with ack 0; your code that ran: <anonymous join listener in server\.js> \(test\/fixtures\/apps\/own-clients\/server\.js:9\); Socket\.join ran/);
    }
    const sids = new Set(join.map((s) => /sid ([\w-]+)/.exec(s.explanation ?? "")?.[1]));
    expect(sids.size).toBe(2);
  });

  it("text: the steps printed while clients may still come carry no total; the real one comes at the end", async () => {
    const cli = startCli();
    const url = await cli.waiting;
    // What start-up printed before any client came: steps 1 to 3, the last (the server's listen) still open.
    await expect.poll(() => cli.stdout(), { timeout: 30_000 }).toMatch(/━━ Step 3 · /);
    const during = cli.stdout();
    expect(await runClient(url, "ada")).toEqual({ code: 0, stdout: "joined lobby\ndone\n" });
    expect(await cli.interrupt()).toBe(0);
    const all = cli.stdout();
    const headings = (text: string): string[] => [...text.matchAll(/^━━ Step (\S+) · /gm)].map((m) => m[1]);
    expect(headings(during)).toEqual(["1", "2", "3"]);
    const after = headings(all.slice(during.length));
    const total = 3 + after.length;
    // The one client's seven actions and the step they split off from: the count is what ran.
    expect(after.length).toBeGreaterThanOrEqual(8);
    expect(after).toEqual(after.map((_, i) => `${4 + i}/${total}`));
  });

  it("export: the report's diagram has a lane per client, its polling and WebSocket connections on it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trace-socket-lanes-"));
    try {
      const report = join(dir, "report.md");
      const cli = startCli("export", "-o", report);
      const url = await cli.waiting;
      const clients = await Promise.all([runClient(url, "ada"), runClient(url, "bob")]);
      for (const client of clients) expect(client.code).toBe(0);
      expect(await cli.interrupt()).toBe(0);
      const md = readFileSync(report, "utf8");
      const participants = [...md.matchAll(/^ {4}participant (C\d+) as (.*)$/gm)].map((m) => ({ id: m[1], label: m[2] }));
      expect(participants.map((p) => p.label.replace(/sid [\w-]+/, "sid …"))).toEqual([
        "client 1 · sid … (HTTP long-polling, WebSocket)",
        "client 2 · sid … (HTTP long-polling, WebSocket)",
      ]);
      // Every client message is drawn on its client's lane, saying which connection carried it.
      for (const { id } of participants) expect(md).toMatch(new RegExp(`^ {4}${id}->>S: conn \\d+ · GET websocket \\(Upgrade\\)$`, "m"));
      expect(md).not.toMatch(/participant C\d+ as client · conn/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
