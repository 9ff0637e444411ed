/**
 * A real headless Chromium opens the chat page served by the traced server:
 * its handshake, upgrade and events appear in the trace like any client's.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import { Runner } from "../../src/scenario/runner.js";
import { nodeRuntime } from "../../src/runtime/node/node-runtime.js";
import { loadScenario, PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { decodeChunks } from "../../src/wire/index.js";
import type { WireMessage } from "../../src/wire/types.js";
import { recordedWhen } from "../helpers/runner-wait.js";
import { isExecutable, requireSystemTool } from "../helpers/system-tool.js";

const CHROMIUM = "/usr/bin/chromium";
const chromiumGate = requireSystemTool({ name: "Chromium", install: "sudo apt-get install chromium", neededBy: "the browser test" }, isExecutable(CHROMIUM));

let runner: Runner;

beforeAll(async () => {
  runner = await Runner.start({ scenario: loadScenario("chat"), projectRoot: PACKAGE_ROOT, command: "test", runtime: nodeRuntime({ host: "127.0.0.1", port: 0 }) });
  for (let i = 0; i < 4; i++) await runner.runNext();
}, 60_000);

afterAll(async () => {
  await runner?.close();
});

/** The decoded capture, once `ready` holds for it. */
async function captureWhen(ready: (messages: readonly WireMessage[]) => boolean): Promise<WireMessage[]> {
  const messages = (): WireMessage[] => decodeChunks(runner.trace().chunks);
  await recordedWhen(runner, () => ready(messages()));
  return messages();
}

const fromHeadlessChrome = (m: WireMessage): boolean =>
  m.layers[0]?.kind === "http-request" && m.layers[0].target.startsWith("/socket.io/") && m.layers[0].headers.some(([k, v]) => k.toLowerCase() === "user-agent" && v.includes("HeadlessChrome"));
const rawLines = (messages: readonly WireMessage[]): string[] => messages.map((m) => `${m.dir} ${m.raw}`);
/**
 * The chat event in either direction, by its Socket.IO layer: on a loaded machine the page may
 * send before its upgrade is done, so the event can travel in a polling body as well as a frame.
 */
const chatEvent = (dir: "in" | "out") => (messages: readonly WireMessage[]): boolean =>
  messages.some((m) => m.dir === dir && m.layers.some((l) => l.kind === "socket.io" && l.packets.some((p) => p.event === "chat message" && p.data === '["chat message","hello from chromium"]')));
const sentByPage = chatEvent("in");
const broadcastToPage = chatEvent("out");

describe.skipIf(chromiumGate.skip)(`a real browser on the chat page${chromiumGate.titleNote}`, () => {
  let browser: Browser;

  beforeAll(async () => {
    chromiumGate.assertPresent();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("connects, sends a message, and its frames are traced and decoded", async () => {
    const page = await browser.newPage();
    await page.goto(runner.collector.address!);
    await page.waitForSelector("text=connected as");
    await page.fill("#text", "hello from chromium");
    await page.click("button");
    await page.waitForSelector("#log li >> text=hello from chromium");
    const messages = await captureWhen((m) => m.some(fromHeadlessChrome) && sentByPage(m) && broadcastToPage(m) && rawLines(m).includes("out HTTP/1.1 101 Switching Protocols"));
    expect(messages.find(fromHeadlessChrome), "a socket.io request from HeadlessChrome").toBeDefined();
    expect(rawLines(messages)).toContain("out HTTP/1.1 101 Switching Protocols");
    expect(sentByPage(messages), "the page's chat event, decoded down to Socket.IO").toBe(true);
    expect(broadcastToPage(messages), "the broadcast back to the page").toBe(true);
  });
});

describe("the chat server's origin check", () => {
  it("a page from another origin opening a session is refused on both transports (allowRequest), not only by CORS", async () => {
    const address = runner.collector.address!;
    const response = await fetch(`${address}/socket.io/?EIO=4&transport=polling`, { headers: { origin: "http://evil.example" } });
    expect(response.status).toBe(403);
    const allowed = await fetch(`${address}/socket.io/?EIO=4&transport=polling`, { headers: { origin: "http://localhost:3000" } });
    expect(allowed.status).toBe(200);
    // A WebSocket handshake without a sid goes through the same check; engine.io's abortUpgrade answers 400.
    const { port } = new URL(address);
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest({
        host: "127.0.0.1",
        port: Number(port),
        path: "/socket.io/?EIO=4&transport=websocket",
        headers: { origin: "http://evil.example", connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==" },
      });
      request.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      request.on("upgrade", () => resolve(101));
      request.on("error", reject);
      request.end();
    });
    expect(status).toBe(400);
  });
});
