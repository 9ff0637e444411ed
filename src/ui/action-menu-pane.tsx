/**
 * The action menu (`a`), full width in place of the panes like the state
 * view: what to do, then its target from the live state, then for an emit
 * the event name and the JSON payload being typed. What it runs becomes the
 * next step.
 */
import type { ReactNode } from "react";
import type { LiveState } from "../trace/model.js";
import { actionCode } from "../runtime/server-action.js";
import { ACTION_KINDS, targetsOf, type ActionMenu } from "./action-menu.js";
import { Pane, Row } from "./pane.js";
import type { Line } from "./theme.js";
import { keepInView } from "./viewport.js";

/** Props of {@link ActionMenuPane}. */
export interface ActionMenuPaneProps {
  readonly menu: ActionMenu;
  /** The live state the targets come from: the last step's. */
  readonly state: LiveState | undefined;
  /** Which step's state that is (`step 5 connect`). */
  readonly step: string;
  readonly rows: number;
  readonly width: number;
  readonly color: boolean;
}

const NOTE: Line = { text: "It runs now in the traced server, with socket.io's own API: a new step.", tone: "dim" };

/** The menu's lines and which one carries the cursor. */
export function menuLines(menu: ActionMenu, state: LiveState | undefined): { readonly lines: readonly Line[]; readonly cursor?: number } {
  if (menu.stage === "kind") {
    const lines = ACTION_KINDS.map(([, label, code], i): Line => ({ text: `${i + 1}  ${label.padEnd(28)}${code}` }));
    return { lines: [...lines, { text: "" }, NOTE], cursor: menu.cursor };
  }
  const [, label] = ACTION_KINDS.find(([k]) => k === menu.kind)!;
  if (menu.stage === "target") {
    const targets = targetsOf(state, menu.kind);
    const what = menu.kind === "emit-room" ? "room" : "socket";
    if (!targets.length) return { lines: [{ text: `${label}: no ${what} in the server's state now`, tone: "warn" }, { text: "esc: back", tone: "dim" }] };
    return { lines: [{ text: `${label}: which ${what}?`, tone: "heading" }, ...targets.map((t): Line => ({ text: `  ${t.label}` }))], cursor: 1 + Math.min(menu.cursor, targets.length - 1) };
  }
  const head: Line = { text: `${label}: ${menu.target.name} (${menu.target.nsp})`, tone: "heading" };
  const error: Line[] = menu.error ? [{ text: menu.error, tone: "warn" }] : [];
  if (menu.stage === "event") return { lines: [head, { text: `event   ${menu.text}▏` }, ...error, { text: "" }, NOTE] };
  const preview = menu.kind === "emit-room" ? { room: menu.target.name } : { socket: menu.target.name };
  const code = actionCode({ kind: "emit", server: menu.target.server, nsp: menu.target.nsp, to: preview, event: menu.event, args: [] });
  return {
    lines: [head, { text: `event   ${menu.event}` }, { text: `payload ${menu.text}▏` }, ...error, { text: "" }, { text: `runs ${code.replace(/\)$/, menu.text.trim() ? ", payload)" : ")")}`, tone: "code" }, NOTE],
  };
}

const KEYS: Readonly<Record<ActionMenu["stage"], string>> = {
  kind: "1-3/⏎ pick · esc close",
  target: "↑↓ ⏎ pick · esc back",
  event: "type the name · ⏎ next · esc back",
  payload: "JSON, empty for none · ⏎ send · esc back",
};

/** The action menu. */
export function ActionMenuPane({ menu, state, step, rows, width, color }: ActionMenuPaneProps): ReactNode {
  const { lines, cursor } = menuLines(menu, state);
  const start = cursor === undefined ? 0 : keepInView(cursor, 0, rows, lines.length);
  return (
    <Pane title={`action · targets from ${step} · ${KEYS[menu.stage]}`} focused width={width} rows={rows} color={color}>
      {lines.slice(start, start + rows).map((line, i) => (
        <Row key={start + i} line={line} width={width} color={color} {...(start + i === cursor ? { cursor: "focused" as const } : {})} />
      ))}
    </Pane>
  );
}
