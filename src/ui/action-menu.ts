/**
 * The action menu's model (`a`): pick what to do (emit to a socket, emit to a
 * room, disconnect a socket), its target from the server's live state as the
 * last step left it, and for an emit the event name and a JSON payload typed
 * in. Pure: each key gives the next menu, and at the end the action to send.
 * A payload that is not JSON is one readable line in the menu, and nothing is sent.
 */
import type { LiveState } from "../trace/model.js";
import type { ServerAction } from "../runtime/server-action.js";
import type { KeyInfo } from "./keymap.js";

/** What the menu can do, in its order (`1`–`3`). */
export type ActionKind = "emit-socket" | "emit-room" | "disconnect-socket";

/** The kinds, with how the menu lists them. */
export const ACTION_KINDS: readonly (readonly [kind: ActionKind, label: string, code: string])[] = [
  ["emit-socket", "emit an event to a socket", "socket.emit(event, payload)"],
  ["emit-room", "emit an event to a room", "io.to(room).emit(event, payload)"],
  ["disconnect-socket", "disconnect a socket", "socket.disconnect()"],
];

/** A socket or a room the live state holds, where it is. */
export interface ActionTarget {
  readonly server: number;
  readonly nsp: string;
  /** The socket's id or the room's name. */
  readonly name: string;
  /** How the menu lists it. */
  readonly label: string;
}

/** Where the menu is. */
export type ActionMenu =
  | { readonly stage: "kind"; readonly cursor: number }
  | { readonly stage: "target"; readonly kind: ActionKind; readonly cursor: number }
  | { readonly stage: "event"; readonly kind: ActionKind; readonly target: ActionTarget; readonly text: string; readonly error?: string }
  | { readonly stage: "payload"; readonly kind: ActionKind; readonly target: ActionTarget; readonly event: string; readonly text: string; readonly error?: string };

/** The menu as `a` opens it. */
export const MENU_START: ActionMenu = { stage: "kind", cursor: 0 };

/** The sockets (`emit-socket`, `disconnect`) or rooms (`emit-room`) of `state`, every server and namespace. */
export function targetsOf(state: LiveState | undefined, kind: ActionKind): ActionTarget[] {
  return (state?.servers ?? []).flatMap((server, i) =>
    server.namespaces.flatMap((nsp) =>
      kind === "emit-room"
        ? nsp.rooms.map((room) => ({ server: i, nsp: nsp.name, name: room.name, label: `${room.name}  ${nsp.name} · ${room.members.length} member${room.members.length === 1 ? "" : "s"}` }))
        : nsp.sockets.map((s) => ({ server: i, nsp: nsp.name, name: s.id, label: `${s.id}  ${nsp.name} · ${s.transport} · rooms: ${s.rooms.join(", ")}` })),
    ),
  );
}

/** A menu key's outcome: the next menu (undefined: closed), and the action to send, when one is complete. */
export interface MenuStep {
  readonly menu?: ActionMenu;
  readonly send?: ServerAction;
}

/** The payload typed in: its arguments (none when empty), or why it is not JSON. */
export function parsePayload(text: string): { readonly args: readonly unknown[] } | { readonly error: string } {
  if (!text.trim()) return { args: [] };
  try {
    return { args: [JSON.parse(text) as unknown] };
  } catch (error) {
    return { error: `not JSON, nothing sent: ${(error as Error).message.split("\n")[0]}` };
  }
}

function actionOf(kind: ActionKind, target: ActionTarget, event = "", args: readonly unknown[] = []): ServerAction {
  const place = { server: target.server, nsp: target.nsp };
  if (kind === "disconnect-socket") return { kind: "disconnect", ...place, socket: target.name };
  return { kind: "emit", ...place, to: kind === "emit-room" ? { room: target.name } : { socket: target.name }, event, args };
}

/** Text edited by a key: typed, or a character taken back; undefined for keys that are not text. */
function edited(text: string, input: string, key: KeyInfo): string | undefined {
  if (key.backspace || key.delete) return [...text].slice(0, -1).join("");
  if (key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab || key.return || key.escape || input === "") return undefined;
  return text + input;
}

function moved(cursor: number, count: number, input: string, key: KeyInfo): number {
  const delta = key.upArrow || input === "k" ? -1 : key.downArrow || input === "j" ? 1 : 0;
  return Math.max(0, Math.min(count - 1, cursor + delta));
}

/** The menu after `input`/`key`, given the live state its targets come from. */
export function menuKey(menu: ActionMenu, input: string, key: KeyInfo, state: LiveState | undefined): MenuStep {
  switch (menu.stage) {
    case "kind": {
      if (key.escape || input === "a") return {};
      const picked = ["1", "2", "3"].indexOf(input);
      const cursor = picked >= 0 ? picked : moved(menu.cursor, ACTION_KINDS.length, input, key);
      if (picked < 0 && !key.return) return { menu: { ...menu, cursor } };
      return { menu: { stage: "target", kind: ACTION_KINDS[cursor][0], cursor: 0 } };
    }
    case "target": {
      if (key.escape) return { menu: { stage: "kind", cursor: ACTION_KINDS.findIndex(([k]) => k === menu.kind) } };
      const targets = targetsOf(state, menu.kind);
      const target = targets[Math.min(menu.cursor, targets.length - 1)];
      if (!key.return || !target) return { menu: { ...menu, cursor: moved(menu.cursor, targets.length, input, key) } };
      if (menu.kind === "disconnect-socket") return { send: actionOf(menu.kind, target) };
      return { menu: { stage: "event", kind: menu.kind, target, text: "" } };
    }
    case "event": {
      if (key.escape) return { menu: { stage: "target", kind: menu.kind, cursor: 0 } };
      if (key.return) {
        const event = menu.text.trim();
        return { menu: event ? { stage: "payload", kind: menu.kind, target: menu.target, event, text: "" } : { ...menu, error: "an event needs a name" } };
      }
      const text = edited(menu.text, input, key);
      return { menu: text === undefined ? menu : { stage: "event", kind: menu.kind, target: menu.target, text } };
    }
    case "payload": {
      if (key.escape) return { menu: { stage: "event", kind: menu.kind, target: menu.target, text: menu.event } };
      if (key.return) {
        const parsed = parsePayload(menu.text);
        return "error" in parsed ? { menu: { ...menu, error: parsed.error } } : { send: actionOf(menu.kind, menu.target, menu.event, parsed.args) };
      }
      const text = edited(menu.text, input, key);
      return { menu: text === undefined ? menu : { stage: "payload", kind: menu.kind, target: menu.target, event: menu.event, text } };
    }
  }
}
