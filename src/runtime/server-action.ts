/**
 * An action the user takes on the traced server from the stepper: emit an
 * event to one socket or to a room, or disconnect a socket. The Runner makes
 * each a step of its own; the traced process performs it with socket.io's own
 * API, so the step's call path is socket.io's, as it would be from the app.
 */

/** Which socket.io server of the traced process, and which namespace of it. */
export interface ActionPlace {
  /** Position of the server in the traced process's live state (`LiveState.servers`). */
  readonly server: number;
  /** The namespace's name (`/`, `/admin`). */
  readonly nsp: string;
}

/** One action, as the stepper asks for it and the traced process performs it. */
export type ServerAction =
  | (ActionPlace & { readonly kind: "emit"; readonly to: { readonly socket: string } | { readonly room: string }; readonly event: string; readonly args: readonly unknown[] })
  | (ActionPlace & { readonly kind: "disconnect"; readonly socket: string });

const SHOWN_ARG = 24;

function quote(text: string): string {
  return JSON.stringify(text);
}

function argText(value: unknown): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > SHOWN_ARG ? `${text.slice(0, SHOWN_ARG - 1)}…` : text;
}

/** The namespace as the app would reach it: `io` for the main one, `io.of("/admin")` otherwise. */
function namespaceCode(action: ServerAction): string {
  return action.nsp === "/" ? "io" : `io.of(${quote(action.nsp)})`;
}

/**
 * The action as the line of socket.io code it runs (`io.to("room").emit("x", {"a":1})`),
 * long payloads cut (the step's title) unless `whole` (the step's code).
 */
export function actionCode(action: ServerAction, whole = false): string {
  if (action.kind === "disconnect") return `${namespaceCode(action)}.sockets.get(${quote(action.socket)}).disconnect()`;
  const args = [quote(action.event), ...action.args.map((arg) => (whole ? JSON.stringify(arg) ?? "undefined" : argText(arg)))].join(", ");
  const to = "room" in action.to ? `${namespaceCode(action)}.to(${quote(action.to.room)})` : `${namespaceCode(action)}.sockets.get(${quote(action.to.socket)})`;
  return `${to}.emit(${args})`;
}
