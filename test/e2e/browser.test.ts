/**
 * A real headless Chromium opens the chat page served by the traced server:
 * its handshake, upgrade and events appear in the trace like any client's.
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import { Runner } from "../../src/scenario/runner.js";
import { loadScenario, PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { decodeChunks } from "../../src/wire/index.js";

const CHROMIUM = "/usr/bin/chromium";

let runner: Runner;
let browser: Browser;

beforeAll(async () => {
  runner = await Runner.start({ scenario: loadScenario("chat"), projectRoot: PACKAGE_ROOT, host: "127.0.0.1", port: 0, command: "test" });
  for (let i = 0; i < 4; i++) await runner.runNext();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await runner?.close();
});

describe("a real browser on the chat page", () => {
  it("Chromium is installed (by .ci/run: apt-get install chromium)", () => {
    expect(existsSync(CHROMIUM)).toBe(true);
  });

  it("connects, sends a message, and its frames are traced and decoded", async () => {
    const page = await browser.newPage();
    await page.goto(runner.collector.address!);
    await page.waitForSelector("text=connected as");
    await page.fill("#text", "hello from chromium");
    await page.click("button");
    await page.waitForSelector("#log li >> text=hello from chromium");
    await new Promise((resolve) => setTimeout(resolve, 300));
    runner.flush();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const messages = decodeChunks(runner.trace().chunks);
    const browserRequest = messages.find(
      (m) => m.layers[0]?.kind === "http-request" && m.layers[0].target.startsWith("/socket.io/") && m.layers[0].headers.some(([k, v]) => k.toLowerCase() === "user-agent" && v.includes("HeadlessChrome")),
    );
    expect(browserRequest, "a socket.io request from HeadlessChrome").toBeDefined();
    const raw = messages.map((m) => `${m.dir} ${m.raw}`);
    expect(raw).toContain("out HTTP/1.1 101 Switching Protocols");
    expect(raw.some((r) => /^in 42\d*\["chat message","hello from chromium"\]$/.test(r))).toBe(true);
    expect(raw).toContain('out 42["chat message","hello from chromium"]');
  });

  it("a page from another origin is refused for every transport (allowRequest), not only by CORS", async () => {
    const address = runner.collector.address!;
    const response = await fetch(`${address}/socket.io/?EIO=4&transport=polling`, { headers: { origin: "http://evil.example" } });
    expect(response.status).toBe(403);
    const allowed = await fetch(`${address}/socket.io/?EIO=4&transport=polling`, { headers: { origin: "http://localhost:3000" } });
    expect(allowed.status).toBe(200);
  });
});
