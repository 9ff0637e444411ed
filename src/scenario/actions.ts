/**
 * The user's actions from the stepper as steps: checking one against the
 * server's live state before anything is sent, the step it becomes (its
 * title is the socket.io line it runs) and the claims that step makes, each
 * checked on the run like any scenario's (the frame written carries the
 * event; a disconnect sends 41 or closes). The traced process performs it
 * (`src/runtime/node/act.ts`); the Runner's `act` puts the pieces together.
 */
import type { LiveNamespace, LiveState } from "../trace/model.js";
import type { ClaimSpec, ClaimsFile } from "../trace/claims-spec.js";
import type { StepDefinition } from "../trace/scenario.js";
import { actionCode, type ServerAction } from "../runtime/server-action.js";

/** A `{word}` is a narration placeholder: such a name is told without quoting it. */
const PLACEHOLDER = /\{\w+\}/;

function namespaceIn(state: LiveState | undefined, action: ServerAction): LiveNamespace | undefined {
  return state?.servers[action.server]?.namespaces.find((n) => n.name === action.nsp);
}

/**
 * Why `action` cannot be sent, as one readable line, or undefined when it can:
 * the target must be in the server's live state as the last step left it. An
 * event name socket.io keeps for itself is left to socket.io to refuse: that
 * refusal is the step (its call path, and the note of what it said).
 */
export function checkAction(action: ServerAction, state: LiveState | undefined): string | undefined {
  const nsp = namespaceIn(state, action);
  if (!state?.servers.length) return "no live server state yet: run a step first";
  if (!nsp) return `the server has no namespace ${action.nsp}`;
  const socket = action.kind === "disconnect" ? action.socket : "socket" in action.to ? action.to.socket : undefined;
  if (socket !== undefined && !nsp.sockets.some((s) => s.id === socket)) return `no socket ${socket} in ${action.nsp} now`;
  if (action.kind === "emit") {
    if (!action.event.trim()) return "an event needs a name";
    if ("room" in action.to && !action.to.room) return "a room needs a name";
  }
  return undefined;
}

/** The event's name as a sentence quotes it (after "the event"); nothing for a name that reads as a placeholder. */
function told(name: string): string {
  return PLACEHOLDER.test(name) ? "" : ` "${name}"`;
}

/** The claims of an action's step: what socket.io did, each checked on the run. */
export function actionClaims(action: ServerAction): ClaimSpec[] {
  const nsp = action.nsp;
  if (action.kind === "disconnect") {
    return [
      { say: "Socket.disconnect writes a DISCONNECT packet (41) to the client.", check: { frame: { dir: "out", sio: "DISCONNECT", nsp }, writtenBy: "Socket.disconnect" } },
      {
        say: "The client is told the socket is gone: a 41 DISCONNECT packet or a closed connection is on the wire.",
        check: { any: [{ frame: { dir: "out", sio: "DISCONNECT", nsp } }, { frame: { dir: "out", ws: "close" } }, { frame: { dir: "out", eio: "close" } }] },
      },
      { say: "Socket._onclose then leaves the socket's rooms and runs the app's disconnect listeners.", check: { call: "Socket._onclose", under: "Socket.disconnect" } },
    ];
  }
  const event = PLACEHOLDER.test(action.event) ? {} : { event: action.event };
  const frame = { dir: "out" as const, sio: "EVENT", nsp, ...event };
  if ("room" in action.to) {
    return [
      { say: "BroadcastOperator.emit hands the packet to the adapter, whose broadcast finds the room's sockets.", check: { call: "Adapter.broadcast", under: "BroadcastOperator.emit" } },
      { say: `The frame written carries the event${told(action.event)} (an EVENT packet, 42…).`, check: { frame, writtenBy: "BroadcastOperator.emit" } },
    ];
  }
  return [{ say: `Socket.emit writes the event${told(action.event)} to this socket's connection (an EVENT packet, 42…).`, check: { frame, writtenBy: "Socket.emit" } }];
}

/** The step action number `n` (1-based) of the run is. */
export function actionStep(action: ServerAction, n: number): StepDefinition {
  const methods = action.kind === "disconnect" ? ["Socket.disconnect"] : "room" in action.to ? ["BroadcastOperator.emit"] : ["Socket.emit"];
  const target = action.kind === "disconnect" ? `socket ${action.socket}` : "room" in action.to ? `room ${action.to.room}` : `socket ${action.to.socket}`;
  return {
    id: `action-${n}`,
    title: `you: ${actionCode(action)}`,
    side: "none",
    code: { file: "", line: 0, text: actionCode(action, true), side: "stepper" },
    explanation: `You asked for this from the stepper; trace-socket ran it in the traced server (${target}), with socket.io's own API.`,
    docs: { options: [], methods },
  };
}

/**
 * The actions a run took, as steps among the scenario's: where each was
 * inserted, the index a scenario step keeps for its processes (its pause,
 * its line) however many actions came before it, and the claims to check.
 */
export class TakenActions {
  private readonly taken = new Set<StepDefinition>();
  private readonly claims: Record<string, readonly ClaimSpec[]> = {};

  /** Inserts `action`'s step into `steps` at `index` (before the next scenario step). */
  insert(action: ServerAction, steps: StepDefinition[], index: number): void {
    const step = actionStep(action, this.taken.size + 1);
    steps.splice(index, 0, step);
    this.taken.add(step);
    this.claims[step.id] = actionClaims(action);
  }

  /** True for a step an action made. */
  has(step: StepDefinition): boolean {
    return this.taken.has(step);
  }

  /** The index the scenario and its processes know step `index` of `steps` by. */
  originOf(steps: readonly StepDefinition[], index: number): number {
    return index - steps.slice(0, index).filter((s) => this.taken.has(s)).length;
  }

  /** `declared` with the actions' claims added. */
  withClaims(declared: ClaimsFile | undefined): ClaimsFile | undefined {
    return this.taken.size ? { ...declared, ...this.claims } : declared;
  }
}
