/**
 * The report's compact table of the traced server's live state after a step
 * (`Step.state`): one row per namespace, its middlewares, its sockets with
 * their rooms and transport, and its rooms with their members.
 */
import type { LiveNamespace, Step } from "../trace/model.js";
import { cell, code, link, plural, table } from "./markdown-escape.js";
import { functionHref, type RenderContext } from "./markdown-context.js";

function middlewares(ctx: RenderContext, nsp: LiveNamespace): string {
  if (!nsp.middlewares.length) return "(none)";
  return nsp.middlewares
    .map((m) => {
      const fn = m.fn === undefined ? undefined : ctx.functions.get(m.fn);
      return fn ? link(code(fn.name, 80), functionHref(ctx, fn)) : code(m.name || "<anonymous>", 80);
    })
    .join("<br>");
}

function sockets(nsp: LiveNamespace): string {
  if (!nsp.sockets.length) return "(none)";
  return nsp.sockets.map((s) => `${code(s.id)} ${s.transport}, rooms ${s.rooms.map((r) => code(r)).join(" ") || "(none)"}, auth ${code(s.auth, 80)}`).join("<br>");
}

function rooms(nsp: LiveNamespace): string {
  if (!nsp.rooms.length) return "(none)";
  return nsp.rooms.map((r) => `${code(r.name)}: ${plural(r.members.length, "member")}`).join("<br>");
}

/** The section of a step's live state, or nothing when the trace has none. */
export function renderState(ctx: RenderContext, step: Step): string[] {
  const servers = step.state?.servers ?? [];
  const rows = servers.flatMap((server) => server.namespaces.map((nsp) => [cell(code(nsp.name)), cell(middlewares(ctx, nsp)), cell(sockets(nsp)), cell(rooms(nsp))]));
  if (!rows.length) return [];
  return ["### Server state after the step", "", "As the Socket.IO Admin UI would show it, read from the live server once the step's work was done:", "", ...table(["Namespace", "Middlewares", "Sockets", "Rooms"], rows), ""];
}
