/**
 * The `g` jump between a frame and the call that read or wrote it, both ways,
 * and back to the same frame. Apart from the reducer because it is the one
 * action that crosses panes, reveals collapsed calls and remembers where it
 * came from.
 */
import { moveCalls, moveFrames } from "./state-cursor.js";
import { callText, ONE_PROCESS } from "../trace/process-names.js";
import { stepView, type Env, type UiState } from "./state-model.js";
import { lastSeq, revealing, visibleCalls } from "./visible-calls.js";

function jumpToCall(state: UiState, env: Env): UiState {
  const view = stepView(state, state.selected);
  const message = env.messages[view.frameCursor];
  if (!message) return { ...state, message: "no frame selected" };
  if (message.call === undefined) return { ...state, message: "no call is recorded for this frame" };
  const collapsed = revealing(env.calls, state.collapsed, message.call);
  const visible = collapsed === state.collapsed ? env.visible : visibleCalls(env.calls, collapsed);
  const index = visible.findIndex((row) => row.node.seq === message.call);
  if (index < 0) return { ...state, message: `${callText(env.ids ?? ONE_PROCESS, message.call)} is not in this step's call tree` };
  const moved = moveCalls(state, env, index, collapsed, visible.length, true);
  return { ...moved, focus: "calls", message: undefined, jumpBack: { step: state.selected, frame: view.frameCursor, call: message.call } };
}

function jumpToFrame(state: UiState, env: Env): UiState {
  const view = stepView(state, state.selected);
  const node = env.visible[view.callCursor]?.node;
  if (!node) return { ...state, message: "no call selected" };
  const back = state.jumpBack;
  if (back && back.step === state.selected && back.call === node.seq && back.frame < env.messages.length) {
    return { ...moveFrames(state, env, back.frame, true), focus: "frames", message: undefined };
  }
  const last = lastSeq(node);
  const index = env.messages.findIndex((m) => m.call !== undefined && m.call >= node.seq && m.call <= last);
  if (index < 0) return { ...state, message: "no frame was read or written under this call" };
  return { ...moveFrames(state, env, index, true), focus: "frames", message: undefined };
}

/**
 * From the frames pane, jumps to the frame's call; from the calls pane, back to
 * the frame it came from or else to the call's first frame.
 */
export function jump(state: UiState, env: Env): UiState {
  if (state.focus === "frames") return jumpToCall(state, env);
  if (state.focus === "calls") return jumpToFrame(state, env);
  return { ...state, message: "g jumps between a frame and its call: focus the calls or frames pane" };
}
