/**
 * The action menu's keys (`a`), kept in a ref as they arrive (a fast typist's
 * payload comes in one chunk, ahead of the next render), and the action sent
 * to the source once it is complete; the new step is selected when it appears.
 */
import { useReducer, useRef } from "react";
import type { LiveState, Trace } from "../trace/model.js";
import { actionCode } from "../runtime/server-action.js";
import { MENU_START, menuKey, type ActionMenu } from "./action-menu.js";
import type { KeyInfo } from "./keymap.js";
import type { Action } from "./state.js";
import type { TraceSource } from "./trace-source.js";

/** The menu as the app draws it, and its key handler. */
export interface ActionMenuView {
  /** The open menu; undefined when closed. */
  readonly menu?: ActionMenu;
  /** The live state its targets come from (the last step's) and that step's name. */
  readonly state?: LiveState;
  readonly step: string;
  /** Takes a key when the menu is open, or `a` to open it; false leaves the key to the app. */
  handle(input: string, key: KeyInfo): boolean;
}

/** The action menu over `source`; what it says goes to the header, and the step an action runs is selected as it comes (both through `dispatch`). */
export function useActionMenu(source: TraceSource, trace: Trace, dispatch: (action: Action) => void): ActionMenuView {
  const say = (text: string): void => dispatch({ type: "message", text });
  const menu = useRef<ActionMenu | undefined>(undefined);
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const last = trace.steps[trace.steps.length - 1];
  const state = useRef<LiveState | undefined>(undefined);
  state.current = last?.state;

  const handle = (input: string, key: KeyInfo): boolean => {
    if (key.ctrl && input === "c") return false;
    if (!menu.current) {
      if (input !== "a" || key.ctrl || key.meta) return false;
      if (!source.act) say("actions need a live run: a replay runs nothing");
      else if (!last) say("run a step first: the targets come from the server's state");
      else menu.current = MENU_START;
      redraw();
      return true;
    }
    const next = menuKey(menu.current, input, key, state.current);
    menu.current = next.menu;
    redraw();
    const action = next.send;
    if (action && source.act) {
      dispatch({ type: "follow" });
      say(`running ${actionCode(action)}…`);
      void source.act(action).then((why) => say(why ? `not sent: ${why}` : `ran ${actionCode(action)}`));
    }
    return true;
  };
  return { ...(menu.current ? { menu: menu.current } : {}), ...(last?.state ? { state: last.state } : {}), step: last ? `step ${trace.steps.length} ${last.id}` : "no step", handle };
}
