/**
 * The steps list: every planned step, marked as recorded, running or not run
 * yet, with the selected one under the cursor.
 */
import type { ReactNode } from "react";
import { Text } from "ink";
import { keepInView } from "./viewport.js";
import { sanitize } from "../export/text-fit.js";
import type { PlannedStep } from "./trace-source.js";
import { Pane, Row } from "./pane.js";

/** Props of {@link StepsPane}. */
export interface StepsPaneProps {
  readonly plan: readonly PlannedStep[];
  /** The steps come as the user's own clients act: the plan is no total, so none is shown. */
  readonly openEnded?: boolean;
  /** Steps recorded so far. */
  readonly recorded: number;
  readonly selected: number;
  /** The last recorded step is still running. */
  readonly busy: boolean;
  readonly scroll: number;
  readonly rows: number;
  readonly width: number;
  readonly focused: boolean;
  readonly color: boolean;
}

function mark(index: number, recorded: number, busy: boolean): string {
  if (index >= recorded) return "·";
  return busy && index === recorded - 1 ? "⟳" : "✓";
}

/** The steps pane. */
export function StepsPane(props: StepsPaneProps): ReactNode {
  const { plan, recorded, selected, busy, rows, width, focused, color } = props;
  const start = keepInView(Math.max(0, selected), props.scroll, rows, plan.length);
  return (
    <Pane title={props.openEnded ? `steps ${recorded} run` : `steps ${recorded}/${plan.length} run`} focused={focused} width={width} rows={rows} color={color}>
      {plan.length === 0 ? <Text dimColor>no steps</Text> : null}
      {plan.slice(start, start + rows).map((step, i) => {
        const index = start + i;
        const text = `${index === selected ? "›" : " "}${mark(index, recorded, busy)} ${index + 1} ${sanitize(step.title)}`;
        const cursor = index === selected ? (focused ? "focused" : "blurred") : undefined;
        return <Row key={step.id + index} line={{ text, tone: index < recorded ? "plain" : "dim" }} width={width} color={color} cursor={cursor} />;
      })}
    </Pane>
  );
}
