/**
 * The one place stepper components are rendered in tests: colour pinned off
 * (plain frames to assert on), key sequences named once, and helpers to type
 * and to wait for a frame.
 */
import chalk from "chalk";
import { render } from "ink-testing-library";
import type { ReactElement } from "react";
import { App, type AppProps } from "../../src/ui/app.js";
import { ReplaySource, type TraceSource } from "../../src/ui/trace-source.js";
import type { Trace } from "../../src/trace/model.js";
import { fixtureTrace } from "./trace-fixture.js";

// Frames are asserted as text: no colour, whatever the test runner's terminal.
chalk.level = 0;

/** What a terminal sends for each key. */
export const KEYS = {
  right: "\u001B[C",
  left: "\u001B[D",
  up: "\u001B[A",
  down: "\u001B[B",
  pageUp: "\u001B[5~",
  pageDown: "\u001B[6~",
  home: "\u001B[H",
  end: "\u001B[F",
  enter: "\r",
  tab: "\t",
  shiftTab: "\u001B[Z",
  escape: "\u001B",
  ctrlC: "\u0003",
} as const;

/** Lets ink and React process what was written. */
export function tick(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A rendered element with typing and waiting helpers. */
export interface Rendered extends ReturnType<typeof render> {
  /** The last frame, never undefined. */
  frame(): string;
  /** Writes each key separately, letting the app settle after each. */
  press(...keys: string[]): Promise<void>;
  /** Waits until the frame contains `text` (or matches it). */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
}

/** Renders `element` (colour off) and adds the helpers. */
export function renderUi(element: ReactElement): Rendered {
  const instance = render(element);
  const frame = (): string => instance.lastFrame() ?? "";
  return Object.assign(instance, {
    frame,
    async press(...keys: string[]): Promise<void> {
      // Keys written before ink's input hook has subscribed would be lost.
      for (let waited = 0; instance.stdin.listenerCount("readable") === 0 && waited < 5000; waited += 5) await tick(5);
      for (const key of keys) {
        instance.stdin.write(key);
        // A lone escape waits for ink's escape-sequence timeout before it counts as a key.
        await tick(key === KEYS.escape ? 80 : 20);
      }
    },
    async waitFor(text: string | RegExp, timeoutMs = 5000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const current = frame();
        if (typeof text === "string" ? current.includes(text) : text.test(current)) return current;
        if (Date.now() > deadline) throw new Error(`frame never showed ${String(text)}; last frame:\n${current}`);
        await tick(10);
      }
    },
  });
}

/** Props of {@link renderApp}: all of App's, each with a default. */
export type AppOverrides = Partial<AppProps> & { readonly trace?: Trace };

/** Renders the stepper at 80×24 over a replay of the fixture trace (or `trace`, or `source`). */
export function renderApp(overrides: AppOverrides = {}): Rendered & { readonly source: TraceSource; readonly quits: string[]; readonly exports: Trace[] } {
  const { trace, ...props } = overrides;
  const source = props.source ?? new ReplaySource(trace ?? fixtureTrace());
  const quits: string[] = [];
  const exports: Trace[] = [];
  const element = (
    <App
      source={source}
      width={80}
      height={24}
      color={false}
      onExport={async (t) => {
        exports.push(t);
        return "/tmp/report.md";
      }}
      onQuit={(reason) => quits.push(reason)}
      {...props}
    />
  );
  return Object.assign(renderUi(element), { source, quits, exports });
}

/** The lines of a frame. */
export function lines(frame: string): string[] {
  return frame.split("\n");
}
