/**
 * The flags that shape a run besides its mode (see `mode.ts`): where the
 * traced server binds, how output looks, and the built-in client of an app.
 */
import type { AppFlags } from "./app-run.js";

/** Settings every command reads. */
export interface RunSettings extends AppFlags {
  readonly port: number;
  /** `--redis`: a running Redis for a scenario that needs one, instead of one trace-socket starts. */
  readonly redis?: string;
  readonly offline: boolean;
  /** Colours on stdout: asked for, not NO_COLOR, and stdout a terminal. */
  readonly color: boolean;
  /** Predict mode (`--predict`): questions before each step's frames, or a worksheet when headless. */
  readonly predict?: { readonly seed: number };
  /** The command line, for the trace's metadata: `trace-socket --no-interactive`. */
  readonly command: string;
}
