/**
 * The question pane: in place of the panes while a step's question is open
 * (its frames and calls stay hidden until it is answered and read), and the
 * predict segment of the status line. Everything comes from props.
 */
import type { ReactNode } from "react";
import { Box, Text } from "ink";
import { Pane, Rows } from "./pane.js";
import type { PredictPhase, PredictScore } from "./predict-model.js";
import { predictLines, scoreText } from "./predict-lines.js";
import { keySummary } from "./status-line.js";
import { fit, width as textWidth } from "../export/text-fit.js";

/** Props of {@link PredictPane}. */
export interface PredictPaneProps {
  readonly phase: Exclude<PredictPhase, { kind: "none" }>;
  readonly score: PredictScore;
  /** The step is the scenario's last: the score is final. */
  readonly last: boolean;
  readonly rows: number;
  readonly width: number;
  readonly color: boolean;
}

/** The question (or the answer with its reason) of the selected step. */
export function PredictPane({ phase, score, last, rows, width, color }: PredictPaneProps): ReactNode {
  if (phase.kind === "waiting") {
    return (
      <Pane title={fit(`predict · step ${phase.step + 1}`, width)} focused width={width} rows={rows} color={color}>
        <Text dimColor>{fit("the step is running: its question comes when it is done (nothing of it is shown before)", width)}</Text>
      </Pane>
    );
  }
  const q = phase.question;
  const title = `predict · step ${q.step + 1} · ${q.kind === "frame" ? "the next frame" : "the next call"} · ${q.title}`;
  const lines = predictLines(phase, score, last, Math.max(10, width - 1));
  // The answer's reason matters more than the context above it when rows run out.
  const start = Math.max(0, lines.length - rows);
  return (
    <Pane title={fit(title, width)} focused width={width} rows={rows} color={color}>
      <Rows lines={lines} start={phase.kind === "answered" ? start : 0} rows={rows} width={width} color={color} />
    </Pane>
  );
}

/** Props of {@link PredictStatus}. */
export interface PredictStatusProps {
  readonly phase: PredictPhase;
  readonly on: boolean;
  readonly score: PredictScore;
  readonly width: number;
}

/** The status line while a question or its answer covers the panes. */
export function PredictStatus({ phase, score, width }: PredictStatusProps): ReactNode {
  const keys = phase.kind === "waiting" ? "⟳ running the step  P predict off  q quit" : phase.kind === "asking" ? `1–${phase.question.choices.length} answer  P predict off  ? help  q quit` : "→/⏎ show the step  P predict off  ? help  q quit";
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end" bold>
        {fit(`${keys} · ${scoreText(score)}`, width)}
      </Text>
    </Box>
  );
}

/** The predict segment beside the stepper's own keys: on or off, and the score once anything was answered. */
export function predictSegment(on: boolean, score: PredictScore): string {
  return on ? `P predict · ${scoreText(score)}` : score.answered ? `P predict (off) · ${scoreText(score)}` : "P predict";
}

/**
 * The predict segment the status line ends with: always while predict mode is
 * on or has a score (the score belongs in sight), else only when it costs the
 * key summary nothing at this width.
 */
export function statusSegment(on: boolean, score: PredictScore, width: number): string {
  const segment = `  ${predictSegment(on, score)}`;
  if (on || score.answered) return segment;
  // Judged on the panes' summary, the longest: the others fit wherever it does.
  return keySummary(width - textWidth(segment)) === keySummary(width) ? segment : "";
}

/** Props of {@link PredictFooter}. */
export interface PredictFooterProps {
  /** The question or answer covering the panes, when one does. */
  readonly phase?: Exclude<PredictPhase, { kind: "none" }>;
  readonly on: boolean;
  readonly score: PredictScore;
  readonly width: number;
  /** The stepper's own status line in the columns left of the predict segment. */
  readonly children: (room: number) => ReactNode;
}

/** The last row: predict mode's keys while a question covers the panes, else the stepper's with the predict segment. */
export function PredictFooter({ phase, on, score, width, children }: PredictFooterProps): ReactNode {
  if (phase) return <PredictStatus phase={phase} on={on} score={score} width={width} />;
  const segment = statusSegment(on, score, width);
  return (
    <Box width={width} height={1} justifyContent="space-between">
      {children(width - textWidth(segment))}
      {segment ? <Text dimColor>{segment}</Text> : null}
    </Box>
  );
}
