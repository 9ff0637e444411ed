/**
 * The stepper: header, steps + calls on the left, source + frames on the
 * right (or, given a second trace, both call paths of the step side by
 * side: the compare pane), keys on the last row; the log view and the help
 * overlay in place of the panes. Everything it shows comes from its props: the trace source, the
 * size, colour, and the injected effects (describe, export, quit).
 */
import { useCallback, useEffect, useMemo, useReducer, useRef, type ReactNode } from "react";
import { Box, Text, useInput } from "ink";
import { messagesByStep } from "../export/text.js";
import { countCalls } from "../trace/call-tree.js";
import type { CallNode, Trace } from "../trace/model.js";
import type { WireMessage } from "../wire/types.js";
import { CallsPane, functionOf } from "./calls-pane.js";
import { compareByStep, compareLines } from "./compare-lines.js";
import { ComparePane } from "./compare-pane.js";
import { FramesPane } from "./frames-pane.js";
import { HelpOverlay } from "./help-overlay.js";
import { intentFor, keyPresses } from "./keymap.js";
import { computeLayout, MIN_SIZE, type Layout } from "./layout.js";
import { LogPane } from "./log-pane.js";
import { sourceLines } from "./source-lines.js";
import { SourcePane } from "./source-pane.js";
import { initialState, stepView, update, type Action, type Env, type UiState } from "./state.js";
import { Header, StatusLine } from "./status-line.js";
import { stepLines } from "./step-lines.js";
import { StepsPane } from "./steps-pane.js";
import type { TraceSource } from "./trace-source.js";
import { useSourceView, type Describe } from "./use-source-view.js";
import { useTraceSource } from "./use-trace-source.js";
import { visibleCalls } from "./visible-calls.js";

/** Why the user left. */
export type QuitReason = "quit" | "interrupt";

/** Props of {@link App}. */
export interface AppProps {
  readonly source: TraceSource;
  /** Columns and rows the app may draw in (keep rows below the terminal's, or ink repaints it all). */
  readonly width: number;
  readonly height: number;
  readonly color: boolean;
  /** The source index's `describe`; without it the source pane shows the local link only. */
  readonly describe?: Describe;
  /** Writes the report and resolves to its path. */
  readonly onExport: (trace: Trace) => Promise<string>;
  readonly onQuit: (reason: QuitReason) => void;
  /**
   * A second, already recorded trace of the same scenario on the other runtime
   * (`--compare`): the compare pane opens with it, `c` toggles it.
   */
  readonly compare?: Trace;
  /** Read keys; false renders a still picture (no raw mode needed). Default true. */
  readonly interactive?: boolean;
}

const NO_CALLS: readonly CallNode[] = [];
const NO_MESSAGES: readonly WireMessage[] = [];

function reducer(state: UiState, [action, env]: readonly [Action, Env]): UiState {
  return update(state, action, env);
}

function Separator({ rows }: { readonly rows: number }): ReactNode {
  return (
    <Box width={1} height={rows}>
      <Text dimColor>{Array.from({ length: rows }, () => "│").join("\n")}</Text>
    </Box>
  );
}

function rowsOf(layout: Layout): Env["rows"] {
  return { steps: layout.steps, calls: layout.calls, source: layout.source, frames: layout.framesList, compare: layout.compare, log: layout.log };
}

/** The interactive stepper. */
export function App(props: AppProps): ReactNode {
  const { source, width, height, color, describe, onExport, onQuit, compare } = props;
  const { trace } = useTraceSource(source);
  const [state, send] = useReducer(reducer, trace.steps.length, (revealed: number) => initialState(revealed, compare !== undefined));
  const plan = source.plan;
  const comparing = state.compare && compare !== undefined;
  const layout = computeLayout(width, height, plan.length, state.zoom && state.view === "panes" ? state.focus : undefined, comparing);

  const byStep = useMemo(() => messagesByStep(trace), [trace]);
  const step = state.selected >= 0 ? trace.steps[state.selected] : undefined;
  const calls = step?.calls ?? NO_CALLS;
  const visible = useMemo(() => visibleCalls(calls, state.collapsed), [calls, state.collapsed]);
  const messages = (step ? byStep.get(step.index) : undefined) ?? NO_MESSAGES;
  const linked = useMemo(() => new Set(messages.flatMap((m) => (m.call === undefined ? [] : [m.call]))), [messages]);
  const total = useMemo(() => countCalls(calls), [calls]);
  const view = stepView(state, state.selected);
  const callCursor = Math.min(view.callCursor, Math.max(0, visible.length - 1));
  const node = visible[callCursor]?.node;
  const fn = node ? functionOf(trace.functions, node.fn) : undefined;
  const showStep = state.focus === "steps";
  const sourceState = useSourceView(describe, showStep ? undefined : fn);
  const sourceWidth = layout.zoomed ? layout.width : layout.right;
  const selected = Math.max(0, state.selected);
  const lines = useMemo(
    () => (showStep ? stepLines(selected, step, plan[selected], messages.length, sourceWidth) : sourceLines(fn, node, sourceState, sourceWidth)),
    [showStep, selected, step, plan, messages.length, fn, node, sourceState, sourceWidth],
  );

  const compared = useMemo(() => (compare ? compareByStep(trace, compare) : undefined), [trace, compare]);
  const compareWidth = layout.zoomed ? layout.width : layout.right;
  const sideBySide = useMemo(
    () => (compared ? compareLines(step ? compared.get(step.id) : undefined, compareWidth) : []),
    [compared, step, compareWidth],
  );

  const lastStepMessage = source.kind === "live" ? "that was the last step" : "that was the last recorded step";
  const env: Env = {
    revealed: trace.steps.length,
    canStep: source.canStep,
    lastStepMessage,
    calls,
    visible,
    messages,
    sourceLines: lines.length,
    canCompare: compare !== undefined,
    compareLines: sideBySide.length,
    logLines: trace.logs.length,
    rows: rowsOf(layout),
  };
  const latest = useRef({ env, state });
  latest.current = { env, state };
  const dispatch = useCallback((action: Action) => send([action, latest.current.env]), []);

  useEffect(() => dispatch({ type: "sync" }), [trace.steps.length, dispatch]);
  useEffect(() => dispatch({ type: "resize" }), [width, height, dispatch]);
  // Each step the user asked for, asked of the source once (a live source queues them).
  const asked = useRef(state.requests);
  useEffect(() => {
    for (; asked.current < state.requests; asked.current++) void source.stepForward();
  }, [state.requests, source]);

  const exportNow = (): void => {
    dispatch({ type: "message", text: "exporting…" });
    onExport(source.snapshot()).then(
      (path) => dispatch({ type: "message", text: `exported → ${path}` }),
      (error: unknown) => dispatch({ type: "message", text: `export failed: ${(error as Error)?.message ?? String(error)}` }),
    );
  };

  useInput(
    (input, key) => {
      for (const [one, info] of keyPresses(input, key)) {
        const intent = intentFor(one, info, latest.current.state.help);
        if (!intent) continue;
        if (intent.type === "quit" || intent.type === "interrupt") {
          onQuit(intent.type);
          return;
        }
        if (intent.type === "export") exportNow();
        else dispatch(intent);
      }
    },
    { isActive: props.interactive !== false },
  );

  const title = step ? `step ${state.selected + 1}/${plan.length} ${plan[state.selected]?.title ?? step.title}` : `no step run yet · ${plan.length} planned`;
  const idle = source.kind === "live" ? `live · ${trace.meta.address ?? "not listening yet"}` : "replay";
  const note = source.failure ? `traced process died: ${source.failure.split("\n")[0]}` : state.message ?? source.error ?? source.status ?? idle;
  const queued = source.queued ? ` (+${source.queued} queued)` : "";
  const { calls: lostCalls, chunks: lostChunks } = trace.dropped;
  // Never silently lost: what the bounded buffers dropped stays in sight.
  const lost = lostCalls || lostChunks ? ` · dropped ${lostCalls} calls, ${lostChunks} frames` : "";
  const right = source.busy ? `⟳ running…${queued} · ${note}${lost}` : `${note}${queued}${lost}`;
  const tone = source.failure || source.error || lost ? "warn" : source.busy ? "busy" : "plain";
  const header = <Header left={`trace-socket · ${trace.meta.scenario} · ${title}`} right={right} tone={tone} width={width} color={color} />;

  if (layout.tooSmall) {
    return (
      <Box flexDirection="column" width={width} height={height} overflow="hidden">
        {header}
        <Text wrap="wrap">{`Make the terminal at least ${MIN_SIZE.width}×${MIN_SIZE.height} (now ${width}×${height}).`}</Text>
      </Box>
    );
  }

  const placeholder = step ? undefined : source.status ?? (source.canStep ? `press → to run step 1 (${plan[0]?.title ?? "first step"})` : "no steps recorded");
  const steps = (w: number): ReactNode => (
    <StepsPane plan={plan} recorded={trace.steps.length} selected={state.selected} busy={source.busy} scroll={state.stepScroll} rows={layout.steps} width={w} focused={state.focus === "steps"} color={color} />
  );
  const callsPane = (w: number): ReactNode => (
    <CallsPane visible={visible} functions={trace.functions} total={total} linked={linked} cursor={callCursor} scroll={view.callScroll} rows={layout.calls} width={w} focused={state.focus === "calls"} color={color} placeholder={placeholder} />
  );
  const sourceTitle = showStep ? `step ${selected + 1} · what happens` : fn ? `source · ${fn.file.split("/").pop()}:${fn.line}` : "source";
  const sourcePane = (w: number): ReactNode => (
    <SourcePane title={sourceTitle} lines={lines} scroll={state.sourceScroll} rows={layout.source} width={w} focused={state.focus === "source"} color={color} />
  );
  const framesPane = (w: number): ReactNode => (
    <FramesPane messages={messages} cursor={view.frameCursor} scroll={view.frameScroll} listRows={layout.framesList} detailRows={layout.framesDetail} width={w} focused={state.focus === "frames"} color={color} />
  );

  const comparePane = (w: number): ReactNode => (
    <ComparePane lines={sideBySide} scroll={state.compareScroll} rows={layout.compare} width={w} focused={state.focus === "compare"} color={color} />
  );

  let body: ReactNode;
  if (state.help) body = <HelpOverlay rows={layout.log} width={width} color={color} />;
  else if (state.view === "log") {
    body = <LogPane logs={trace.logs} dropped={trace.dropped} scroll={state.logScroll} follow={state.logFollow} rows={layout.log} width={width} color={color} />;
  } else if (layout.zoomed) {
    body = { steps, calls: callsPane, source: sourcePane, frames: framesPane, compare: comparePane }[layout.zoomed](width);
  } else {
    body = (
      <>
        <Box flexDirection="column" width={layout.left}>
          {steps(layout.left)}
          {callsPane(layout.left)}
        </Box>
        <Separator rows={layout.body} />
        <Box flexDirection="column" width={layout.right}>
          {comparing ? (
            comparePane(layout.right)
          ) : (
            <>
              {sourcePane(layout.right)}
              {framesPane(layout.right)}
            </>
          )}
        </Box>
      </>
    );
  }
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {header}
      <Box width={width} height={layout.body} overflow="hidden">
        {body}
      </Box>
      <StatusLine width={width} />
    </Box>
  );
}
