/**
 * Scenarios are data: no line of src/ names a built-in scenario or one of
 * its steps. Step ids that are also socket.io's own words (connect, message)
 * may appear as event names and action types, never as a step's id.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { builtInScenarios, PACKAGE_ROOT } from "../../src/trace/scenario.js";

const SRC = join(PACKAGE_ROOT, "src");

/**
 * Your own app's start-up steps are derived from the user's code by kinds of
 * statement that happen to share names with the chat's steps (init, run…):
 * they are that derivation's vocabulary, not a scenario's data.
 */
const DERIVED_STEPS = ["scenario/app-steps.ts", "scenario/app-claims.ts", "scenario/app-startup-claims.ts"];

/** The wire decoders speak the protocols' words (Engine.IO's `message` packet): they read bytes, never a scenario. */
const PROTOCOL_WORDS = "wire/";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

/**
 * An id used as what it also is in socket.io, the UI, the CLI or acorn: an event name (given to
 * `.on(…)` or compared as `event === …`), a message or
 * action type, a property's or a mode's `kind`, a command's name, an Engine.IO packet's name, or a
 * field of socket.io's own objects read by name (lessons are named after socket.io's concepts, so
 * `field(adapter, "rooms")` and `Pick<Server, "namespaces">` speak of the concept, not the lesson).
 */
function otherMeaning(line: string, id: string): boolean {
  const quoted = `["']${id}["']`;
  const fieldByName = new RegExp(`\\w\\(\\s*[\\w.()]+,\\s*${quoted}`).test(line) || new RegExp(`Pick<[^>]*${quoted}`).test(line);
  return fieldByName || new RegExp(`\\.(on|once|off|emit|addListener|removeAllListeners|removeListener)\\(\\s*${quoted}`).test(line) || new RegExp(`(type: |case |t: |kind [!=]== |event [!=]== |kind: |command: |name === )${quoted}`).test(line);
}

/** Where `line` names `id`: as a quoted string, or as a key of a record literal (`init: [`). */
function names(line: string, id: string): boolean {
  const escaped = id.replace(/[-]/g, "\\-");
  return new RegExp(`["'\`]${escaped}["'\`]`).test(line) || new RegExp(`^\\s*["']?${escaped}["']?\\s*:\\s*[\\[{]`).test(line);
}

function offences(files: readonly string[], ids: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const shown = relative(SRC, file).replaceAll("\\", "/");
    if (DERIVED_STEPS.includes(shown) || shown.startsWith(PROTOCOL_WORDS)) continue;
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
        for (const id of ids) if (names(line, id) && !otherMeaning(line, id)) out.push(`${shown}:${i + 1}: ${id}: ${line.trim()}`);
      });
  }
  return out;
}

describe("src/ knows no scenario", () => {
  const scenarios = builtInScenarios();
  const ids = [...new Set([...scenarios.map((s) => s.name), ...scenarios.flatMap((s) => s.steps.map((step) => step.id))])];

  it("names no built-in scenario or step id", () => {
    expect(ids.length).toBeGreaterThan(2);
    expect(offences(sources(SRC), ids)).toEqual([]);
  });

  it("would see the ways code used to name them", () => {
    const probe = join(PACKAGE_ROOT, "test/fixtures/scenario-ids/probe.ts");
    const found = offences([probe], ids);
    expect(found.map((f) => f.replace(/^.*probe\.ts:/, "").split(": ").slice(0, 2).join(": "))).toEqual(["3: init", "5: init", "5: middleware", "6: chat"]);
  });
});
