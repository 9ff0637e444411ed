/**
 * The flags of `trace-socket export`, kept apart from the command itself so
 * that the program can declare them without loading the exporter.
 */
import { InvalidArgumentError } from "commander";

/** Output formats of `export`. */
export type ExportFormat = "md" | "json";

/** The flags of `export`, as commander hands them over (with the program's own). */
export interface ExportFlags {
  /** File to write; `-` for stdout. Default `trace.md` / `trace.json` in the current folder. */
  readonly output?: string;
  readonly format: ExportFormat;
  /** A trace file to render instead of running the scenario. */
  readonly from?: string;
  readonly stable: boolean;
  readonly offline: boolean;
  readonly host: string;
  readonly port: number;
}

/** Commander parser of `--format`: `md` (or `markdown`) or `json`. */
export function parseFormat(value: string): ExportFormat {
  if (value === "md" || value === "markdown") return "md";
  if (value === "json") return "json";
  throw new InvalidArgumentError("expected md or json.");
}
