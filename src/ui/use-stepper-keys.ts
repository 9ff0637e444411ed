/**
 * The stepper's keys: each press goes first to the action menu (while it is open it takes every
 * key: its fields are typed into), then to predict mode's answers (1–4), then to the key map.
 * The effects a key asks for (export, open, copy, quit) are performed here through the app's
 * injected callbacks; every other intent is dispatched to the reducer.
 */
import { useInput } from "ink";
import { useRef } from "react";
import type { FunctionInfo, Trace } from "../trace/model.js";
import type { WireMessage } from "../wire/types.js";
import { intentFor, keyPresses, type KeyInfo } from "./keymap.js";
import type { Action, UiState } from "./state.js";

/** Why the user left. */
export type QuitReason = "quit" | "interrupt";

/** What the key handler reads of the app as last rendered (keys arrive between renders). */
export interface StepperNow {
  readonly state: Pick<UiState, "help">;
  /** The selected call's function, which `o` opens. */
  readonly fn: FunctionInfo | undefined;
  /** The selected frame, which `y` copies. */
  readonly frame: WireMessage | undefined;
}

/** A handler that takes a key before the key map, or leaves it (false). */
export interface KeyTaker {
  handle(input: string, key: KeyInfo): boolean;
}

/** Options of {@link useStepperKeys}. */
export interface StepperKeyOptions {
  readonly now: { readonly current: StepperNow };
  readonly dispatch: (action: Action) => void;
  /** The action menu, asked first. */
  readonly actions: KeyTaker;
  /** Predict mode, asked next. */
  readonly predict: KeyTaker;
  /** Stepping through folded turns (r / R), asked after predict. */
  readonly turns?: KeyTaker;
  /** The trace as it stands now, for the report. */
  readonly snapshot: () => Trace;
  readonly onExport: (trace: Trace) => Promise<string>;
  readonly onQuit: (reason: QuitReason) => void;
  readonly onOpen?: ((file: string, line: number) => Promise<string>) | undefined;
  readonly onCopy?: ((text: string) => Promise<string>) | undefined;
  /** False reads no keys (a still picture). */
  readonly active: boolean;
}

/** Reads the stepper's keys while `active`. */
export function useStepperKeys(options: StepperKeyOptions): void {
  const { now, dispatch, actions, predict, onQuit } = options;
  const say = (work: Promise<string>, failed: string): void => {
    work.then(
      (text) => dispatch({ type: "message", text }),
      (error: unknown) => dispatch({ type: "message", text: `${failed}: ${(error as Error)?.message ?? String(error)}` }),
    );
  };
  const exportNow = (): void => {
    dispatch({ type: "message", text: "exporting…" });
    say(options.onExport(options.snapshot()).then((path) => `exported → ${path}`), "export failed");
  };
  const openNow = (): void => {
    const { fn: at } = now.current;
    if (!at) dispatch({ type: "message", text: "no call selected: o opens a call's file:line" });
    else if (!options.onOpen) dispatch({ type: "message", text: `${at.file}:${at.line}` });
    else say(options.onOpen(at.file, at.line), "could not open the editor");
  };
  const copyNow = (): void => {
    const { frame } = now.current;
    if (!frame) dispatch({ type: "message", text: "no frame selected: y copies the selected frame" });
    else if (!options.onCopy) dispatch({ type: "message", text: "copying needs a terminal" });
    else say(options.onCopy(frame.raw), "copy failed");
  };

  const typing = useRef<string | undefined>(undefined);
  useInput(
    (input, key) => {
      for (const [one, info] of keyPresses(input, key)) {
        // The action menu takes every key while it is open (its fields are typed into), before predict's 1–4.
        if (typing.current === undefined && !now.current.state.help && actions.handle(one, info)) continue;
        if (typing.current === undefined && !now.current.state.help && predict.handle(one, info)) continue;
        if (typing.current === undefined && !now.current.state.help && options.turns?.handle(one, info)) continue;
        const intent = intentFor(one, info, now.current.state.help, typing.current);
        if (!intent) continue;
        // The prompt's text is kept here as keys arrive: the state seen by this handler lags a render behind.
        if (intent.type === "prompt") typing.current = intent.text;
        else if (typing.current !== undefined && (intent.type === "submit" || intent.type === "escape")) typing.current = undefined;
        if (intent.type === "quit" || intent.type === "interrupt") {
          onQuit(intent.type);
          return;
        }
        if (intent.type === "export") exportNow();
        else if (intent.type === "open") openNow();
        else if (intent.type === "copy") copyNow();
        else dispatch(intent);
      }
    },
    { isActive: options.active },
  );
}
