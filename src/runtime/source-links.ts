/**
 * Upstream links the runtime adapters know beyond the source index, which
 * indexes the installed Node packages only. The stepper's source pane asks
 * here for any function, whatever runtime ran it, so that no caller names a
 * runtime or its packages.
 */
import type { SourceView } from "../source/types.js";

/** `view` with the upstream link its function's adapter can pin, when the source index had none; else `view` as it is. */
export async function withRuntimeLinks(view: SourceView): Promise<SourceView> {
  if (view.upstream.kind === "permalink") return view;
  // Only the Python adapter pins links of its own (a Node function's view comes back as it was); loaded on first need.
  return (await import("./python/source-view.js")).withPythonPermalink(view);
}
