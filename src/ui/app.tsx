/**
 * The stepper: header, steps + calls on the left, source + frames on the
 * right (or, given a second trace, both call paths of the step side by
 * side: the compare pane), keys on the last row; the log view and the help
 * overlay in place of the panes. Everything it shows comes from its props: the trace source, the
 * size, colour, and the injected effects (describe, export, quit). This file composes: the keys
 * are read in `use-stepper-keys.ts`, the action menu and predict mode are hooks of their own.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef, type ReactNode } from "react";
import { Box, Text } from "ink";
import type { Trace } from "../trace/model.js";
import { CallsPane, functionOf } from "./calls-pane.js";
import { compareByStep, compareLines } from "./compare-lines.js";
import { ComparePane } from "./compare-pane.js";
import { describeFilter } from "./frame-filter.js";
import { FramesPane } from "./frames-pane.js";
import { hexLines, messageBytes } from "./hex-dump.js";
import { HelpOverlay } from "./help-overlay.js";
import { computeLayout, MIN_SIZE, type Layout } from "./layout.js";
import { byTime, LogPane } from "./log-pane.js";
import { sourceLines } from "./source-lines.js";
import { SourcePane } from "./source-pane.js";
import { PredictFooter, PredictPane } from "./predict-pane.js";
import type { PredictScore } from "./predict-model.js";
import { liveStateLines } from "./state-lines.js";
import { StatePane } from "./state-pane.js";
import { initialState, stepView, update, type Action, type Env, type UiState } from "./state.js";
import { Header, StatusLine } from "./status-line.js";
import { functionNames } from "./state-search.js";
import { stepLines } from "./step-lines.js";
import { StepsPane } from "./steps-pane.js";
import { TwoColumns } from "./two-columns.js";
import type { TraceSource } from "./trace-source.js";
import { useSourceView, type Describe } from "./use-source-view.js";
import { useDebugLines } from "./use-debug-lines.js";
import { useStepContent } from "./use-step-content.js";
import { useTurnWalk } from "./use-turn-walk.js";
import { usePredict } from "./use-predict.js";
import { useActionMenu } from "./use-action-menu.js";
import { ActionMenuPane } from "./action-menu-pane.js";
import { useTraceSource } from "./use-trace-source.js";
import { useStepperKeys, type QuitReason } from "./use-stepper-keys.js";
import { headerOf } from "./stepper-header.js";

/** Why the user left; its keys are read in `use-stepper-keys.ts`. */
export type { QuitReason } from "./use-stepper-keys.js";

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
   * Opens `file` (relative to the project root) at `line` in the user's
   * editor (`o`) and resolves to what to say about it; without it, `o` says
   * where the call is.
   */
  readonly onOpen?: (file: string, line: number) => Promise<string>;
  /** Copies a frame's text (`y`) and resolves to what to say about where it went. */
  readonly onCopy?: (text: string) => Promise<string>;
  /**
   * A second, already recorded trace of the same scenario on the other runtime
   * (`--compare`): the compare pane opens with it, `c` toggles it.
   */
  readonly compare?: Trace;
  /** Predict mode from the start (`--predict`): each step's question before its frames; `P` toggles it either way. */
  readonly predict?: { readonly seed: number };
  /** Told predict mode's score after every answer (printed when the stepper ends). */
  readonly onScore?: (score: PredictScore) => void;
  /** Read keys; false renders a still picture (no raw mode needed). Default true. */
  readonly interactive?: boolean;
}

function reducer(state: UiState, [action, env]: readonly [Action, Env]): UiState {
  return update(state, action, env);
}

function rowsOf(layout: Layout): Env["rows"] {
  return { steps: layout.steps, story: layout.story, calls: layout.calls, source: layout.source, frames: layout.framesList, compare: layout.compare, log: layout.log };
}

/** The interactive stepper. */
export function App(props: AppProps): ReactNode {
  const { source, width, height, color, describe, onExport, onQuit, compare } = props;
  const { trace } = useTraceSource(source);
  const [state, send] = useReducer(reducer, trace.steps.length, (revealed: number) => initialState(revealed, compare !== undefined));
  const plan = source.plan;
  const comparing = state.compare && compare !== undefined;
  const layout = computeLayout(width, height, plan.length, state.zoom && state.view === "panes" ? state.focus : undefined, comparing, state.lower);

  const content = useStepContent(trace, state);
  const { step, total, repeats, laneMessages, messages, linked, counts, names, connections, lanes, peers } = content;
  // `v` shows one process alone: the panes' titles and the header say which.
  const alone = state.process === undefined ? undefined : lanes.find((lane) => lane.id === state.process)?.name;
  // A folded turn being stepped through (r / R) stands in its representative's place.
  const walk = useTurnWalk(step, content.calls, content.visible, state.collapsed, (action) => dispatch(action), trace);
  const { calls, visible } = walk;
  const predict = usePredict(trace, state.selected, source.busy && state.selected === trace.steps.length - 1, props);
  const view = stepView(state, state.selected);
  const callCursor = Math.min(view.callCursor, Math.max(0, visible.length - 1));
  const node = visible[callCursor]?.node;
  walk.cursor.current = node;
  const fn = node ? functionOf(trace.functions, node.fn) : undefined;
  const sourceState = useSourceView(describe, fn);
  const sourceWidth = layout.zoomed ? layout.width : layout.right;
  const selected = Math.max(0, state.selected);
  const debug = useDebugLines(trace);
  const printed = debug.printedBy(node?.seq);
  const lines = useMemo(() => sourceLines(fn, node, sourceState, sourceWidth, printed, trace), [fn, node, sourceState, sourceWidth, printed, trace]);
  const story = useMemo(() => stepLines(selected, step, plan[selected], counts, sourceWidth), [selected, step, plan, counts, sourceWidth]);
  const fnNames = useMemo(() => functionNames(trace.functions), [trace.functions]);
  const frameCursor = Math.min(view.frameCursor, Math.max(0, messages.length - 1));
  const hex = useMemo(() => {
    const message = state.hex ? messages[frameCursor] : undefined;
    return message ? hexLines(messageBytes(trace.chunks, message).bytes, undefined, sourceWidth) : undefined;
  }, [state.hex, messages, frameCursor, trace.chunks, sourceWidth]);

  const logs = useMemo(() => byTime(trace.logs), [trace.logs]);
  const fnById = useMemo(() => new Map(trace.functions.map((f) => [f.id, f])), [trace.functions]);
  const stateLines = useMemo(() => liveStateLines(step?.state, fnById, width), [step, fnById, width]);
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
    storyLines: story.length,
    connections,
    names: fnNames,
    canCompare: compare !== undefined,
    compareLines: sideBySide.length,
    logLines: trace.logs.length,
    stateLines: stateLines.length,
    rows: rowsOf(layout),
    lanes,
    ids: trace,
  };
  const frame = messages[frameCursor];
  const latest = useRef({ env, state, fn, frame });
  latest.current = { env, state, fn, frame };
  const dispatch = useCallback((action: Action) => send([action, latest.current.env]), []);

  useEffect(() => dispatch({ type: "sync" }), [trace.steps.length, dispatch]);
  useEffect(() => dispatch({ type: "resize" }), [width, height, state.lower, state.zoom, dispatch]);
  // Each step the user asked for, asked of the source once (a live source queues them).
  const asked = useRef(state.requests);
  useEffect(() => {
    for (; asked.current < state.requests; asked.current++) void source.stepForward();
  }, [state.requests, source]);

  const actions = useActionMenu(source, trace, dispatch);
  useStepperKeys({ now: latest, dispatch, actions, predict, turns: walk.keys, snapshot: () => source.snapshot(), onExport, onQuit, onOpen: props.onOpen, onCopy: props.onCopy, active: props.interactive !== false });

  const header = <Header {...headerOf(source, trace, state, step, alone)} width={width} color={color} />;

  if (layout.tooSmall) {
    return (
      <Box flexDirection="column" width={width} height={height} overflow="hidden">
        {header}
        <Text wrap="wrap">{`Make the terminal at least ${MIN_SIZE.width}×${MIN_SIZE.height} (now ${width}×${height}).`}</Text>
      </Box>
    );
  }

  const placeholder = step ? undefined : source.status ?? (source.canStep ? `press → to run step 1 (${plan[0]?.title ?? "first step"})` : "no steps recorded");
  const background = state.lane === "background";
  const steps = (w: number): ReactNode => (
    <StepsPane plan={source.openEnded ? trace.steps : plan} openEnded={source.openEnded === true} recorded={trace.steps.length} selected={state.selected} busy={source.busy} scroll={state.stepScroll} rows={layout.steps} width={w} focused={state.focus === "steps"} color={color} />
  );
  const callsPane = (w: number): ReactNode => (
    <CallsPane visible={visible} functions={trace.functions} total={total} repeats={repeats} walked={walk.walked} linked={linked} cursor={callCursor} scroll={view.callScroll} rows={layout.calls} width={w} focused={state.focus === "calls"} color={color} placeholder={placeholder} background={background} lanes={lanes} process={alone} />
  );
  const storyPane = (w: number): ReactNode => (
    <SourcePane title={`step ${selected + 1} · what happens${story.length > layout.story ? " · J/K" : ""}`} lines={story} scroll={state.storyScroll} rows={layout.story} width={w} focused={state.focus === "story"} color={color} />
  );
  const sourceTitle = fn ? `source · ${fn.file.split("/").pop()}:${fn.line}${props.onOpen ? " · o: open" : ""}` : "source";
  const sourcePane = (w: number): ReactNode => (
    <SourcePane title={sourceTitle} lines={lines} scroll={state.sourceScroll} rows={layout.source} width={w} focused={state.focus === "source"} color={color} />
  );
  const framesPane = (w: number): ReactNode => (
    <FramesPane
      messages={messages}
      total={laneMessages.length}
      filter={describeFilter(state.filter, (conn) => names.get(conn)?.label ?? `c${conn}`)}
      background={background}
      names={names}
      since={step?.started}
      hex={hex}
      cursor={frameCursor}
      scroll={view.frameScroll}
      listRows={layout.framesList}
      detailRows={layout.framesDetail}
      width={w}
      focused={state.focus === "frames"}
      color={color}
      lanes={lanes}
      peers={peers}
      ids={trace}
      process={alone}
    />
  );
  const comparePane = (w: number): ReactNode => (
    <ComparePane lines={sideBySide} scroll={state.compareScroll} rows={layout.compare} width={w} focused={state.focus === "compare"} color={color} />
  );

  let body: ReactNode;
  const question = state.view === "panes" && predict.phase.kind !== "none" ? predict.phase : undefined;
  if (state.help) body = <HelpOverlay rows={layout.log} width={width} color={color} />;
  else if (actions.menu) body = <ActionMenuPane menu={actions.menu} state={actions.state} step={actions.step} rows={layout.log} width={width} color={color} />;
  else if (question) body = <PredictPane phase={question} score={predict.score} last={state.selected === plan.length - 1} rows={layout.log} width={width} color={color} />;
  else if (state.view === "log") {
    body = <LogPane logs={logs} ids={trace} nameOf={debug.nameOf} dropped={trace.dropped} scroll={state.logScroll} follow={state.logFollow} rows={layout.log} width={width} color={color} />;
  } else if (state.view === "state") {
    body = <StatePane step={step ? `step ${selected + 1} ${step.id}` : "no step"} lines={stateLines} scroll={state.stateScroll} rows={layout.log} width={width} color={color} />;
  } else if (layout.zoomed) {
    body = { steps, story: storyPane, calls: callsPane, source: sourcePane, frames: framesPane, compare: comparePane }[layout.zoomed](width);
  } else {
    const right = comparing ? (
      comparePane(layout.right)
    ) : (
      <>
        {storyPane(layout.right)}
        {!layout.small || state.lower === "source" ? sourcePane(layout.right) : null}
        {!layout.small || state.lower === "frames" ? framesPane(layout.right) : null}
      </>
    );
    const left = (
      <>
        {steps(layout.left)}
        {callsPane(layout.left)}
      </>
    );
    body = <TwoColumns left={layout.left} right={layout.right} rows={layout.body} leftPanes={left} rightPanes={right} />;
  }
  const promptTarget = state.focus === "frames" ? "frames" : "calls";
  const mode = actions.menu && !state.help ? "action" : state.view !== "panes" || state.help ? "panes" : comparing ? "compare" : state.focus === "frames" ? "frames" : "panes";
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {header}
      <Box width={width} height={layout.body} overflow="hidden">
        {body}
      </Box>
      <PredictFooter phase={question && !state.help ? question : undefined} on={predict.state.on} score={predict.score} width={width}>
        {(room) => <StatusLine width={room} mode={mode} prompt={state.prompt?.text} promptTarget={promptTarget} />}
      </PredictFooter>
    </Box>
  );
}
