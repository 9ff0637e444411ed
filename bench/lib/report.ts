// The bench's report: markdown printed to stdout as it is measured (paste-ready for
// BENCHMARKS.md), progress on stderr, and every budget's verdict kept for the closing table.
import { table } from "./stats.js";

/** One budget and what was measured against it; `pass` undefined for informative rows. */
export interface Verdict {
  readonly name: string;
  readonly measured: string;
  readonly budget: string;
  readonly pass: boolean | undefined;
  readonly note: string;
}

/** Collects the printed lines, the raw results and the verdicts of one bench run. */
export class Report {
  readonly lines: string[] = [];
  readonly verdicts: Verdict[] = [];
  /** Raw numbers, by section, for `--out`. */
  readonly results: Record<string, unknown> = {};

  /** A line of the report. */
  print(text = ""): void {
    this.lines.push(text);
    process.stdout.write(`${text}\n`);
  }

  /** A progress line, not part of the report. */
  log(text: string): void {
    process.stderr.write(`${text}\n`);
  }

  /** Records a budget's verdict for the closing table. */
  verdict(name: string, measured: string, budget: string, pass: boolean | undefined, note = ""): void {
    this.verdicts.push({ name, measured, budget, pass, note });
  }

  /** The closing table of every budget. */
  printVerdicts(): void {
    this.print(
      table(
        ["budget", "measured", "limit", "result"],
        this.verdicts.map((b) => [
          b.name,
          b.measured,
          b.budget,
          b.pass === undefined ? (b.note ? `not measured: ${b.note}` : "–") : `${b.pass ? "pass" : "**MISS**"}${b.note ? ` (${b.note})` : ""}`,
        ]),
      ),
    );
  }
}
