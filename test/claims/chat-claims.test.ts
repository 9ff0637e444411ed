/**
 * The chat's claims on real runs (traced server, real socket.io-client): every
 * claim holds on the scenario as shipped, and a client written differently
 * (socket.io-client's default autoConnect) makes the claim about it "not seen"
 * instead of printing it as fact.
 */
import { runScenario } from "../helpers/run-scenario.js";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withClaims } from "../../src/claims/apply.js";
import { tallyClaims } from "../../src/claims/tally.js";
import { loadClaims } from "../../src/trace/claims-file.js";
import { loadScenario, PACKAGE_ROOT, type ScenarioDefinition } from "../../src/trace/scenario.js";
import type { Trace } from "../../src/trace/model.js";

const CLAIMS = loadClaims(join(PACKAGE_ROOT, "traces", "chat"))!;

async function run(scenario: ScenarioDefinition): Promise<Trace> {
  // The runner already applies the scenario's claims; applying the chat's again keeps the fixture client's run on them too.
  return withClaims(await runScenario(scenario), CLAIMS);
}

describe("the chat's claims", () => {
  it("all hold on a real run of the scenario as shipped", async () => {
    const trace = await run(loadScenario("chat"));
    const failing = trace.steps.flatMap((s) => (s.claims ?? []).filter((c) => c.status === "not-seen").map((c) => `${s.id}: ${c.text} — ${c.reason}`));
    expect(failing).toEqual([]);
    const tally = tallyClaims(trace);
    expect(tally.held).toBe(Object.values(CLAIMS).flat().filter((c) => "check" in c).length);
    // Every step of the chat narrates with claims, and what held carries the calls that showed it.
    for (const step of trace.steps) expect(step.claims?.length, step.id).toBeGreaterThan(0);
    const onconnect = trace.steps.find((s) => s.id === "connect")!.claims!.find((c) => c.text.startsWith("Socket._onconnect joins"))!;
    expect(onconnect.evidence?.length).toBeGreaterThan(0);
  }, 60_000);

  it("reports the claim as not seen when a client connects before the upgrade", async () => {
    const chat = loadScenario("chat");
    const trace = await run({ ...chat, client: join(PACKAGE_ROOT, "test", "fixtures", "claims", "autoconnect-client.mjs") });
    const connect = trace.steps.find((s) => s.id === "connect")!;
    const claim = connect.claims!.find((c) => c.text.startsWith("This client joins the main namespace only once the upgrade is done"))!;
    expect(claim.status).toBe("not-seen");
    expect(claim.reason).toMatch(/came first|no frame/);
    expect(connect.explanation).not.toContain("only once the upgrade is done");
    expect(tallyClaims(trace).notSeen).toBeGreaterThan(0);
  }, 60_000);
});
