/**
 * The client–server exchange as a mermaid `sequenceDiagram` (GitHub renders
 * it): every decoded message in wire order, grouped by step with notes.
 * Mermaid's message text may not hold `#`, `;` or newlines; they are written
 * as its entity codes, so no payload can break the diagram.
 */
import type { Step } from "../trace/model.js";
import type { WireMessage } from "../wire/types.js";
import { printable } from "./markdown-escape.js";
import type { RenderContext } from "./markdown-context.js";
import { shortMessage } from "./markdown-frames.js";

/** Messages of one step drawn before the rest is counted in a note. */
const PER_STEP = 20;

/** Text safe after `:` in a mermaid message or note (its grammar stops at `#`, `;` and newlines; `<`, `>`, `&` would be read as HTML). */
export function mermaidText(text: string, max = 60): string {
  const shown = printable(text, max).replace(/[#;<>`&]/g, (c) => `#${c.charCodeAt(0)};`);
  return shown.trim() || "(empty)";
}

function stepNames(steps: readonly Step[]): string {
  const first = steps[0];
  const last = steps[steps.length - 1];
  const range = steps.length === 1 ? `Step ${first.index + 1}` : `Steps ${first.index + 1}–${last.index + 1}`;
  return `${range} (${steps.map((s) => s.id).join(", ")})`;
}

/** The fenced mermaid block; `byStep` holds each step's messages in wire order. */
export function renderSequence(ctx: RenderContext, byStep: ReadonlyMap<number, readonly WireMessage[]>): string[] {
  const lines = [
    "sequenceDiagram",
    "    participant C as client (socket.io-client)",
    "    participant S as server (socket.io + engine.io on http.Server)",
  ];
  let drawn = 0;
  let quiet: Step[] = [];
  const flushQuiet = (): void => {
    if (quiet.length) lines.push(`    Note over C,S: ${mermaidText(`${stepNames(quiet)}: no frames`, 120)}`);
    quiet = [];
  };
  let skipped = 0;
  for (const step of ctx.trace.steps) {
    const messages = byStep.get(step.index) ?? [];
    if (!messages.length) {
      quiet.push(step);
      continue;
    }
    flushQuiet();
    if (drawn >= ctx.options.maxDiagramMessages) {
      skipped += messages.length;
      continue;
    }
    lines.push(`    Note over C,S: ${mermaidText(`Step ${step.index + 1} · ${step.id}`, 80)}`);
    const room = Math.min(PER_STEP, ctx.options.maxDiagramMessages - drawn);
    for (const message of messages.slice(0, room)) {
      const arrow = message.dir === "in" ? "C->>S" : "S-->>C";
      lines.push(`    ${arrow}: ${mermaidText(shortMessage(message))}`);
    }
    drawn += Math.min(room, messages.length);
    if (messages.length > room) lines.push(`    Note over C,S: … ${messages.length - room} more messages in this step`);
  }
  flushQuiet();
  if (skipped) lines.push(`    Note over C,S: … ${skipped} more messages in later steps`);
  return ["```mermaid", ...lines, "```"];
}
