/**
 * The stepper's source pane for Python functions: the source index knows only
 * the Node packages, so a Python node gets its upstream permalink from the
 * pinned tags the Flask side verified.
 */
import type { SourceView, UpstreamLink } from "../../source/types.js";
import { pythonPermalink } from "./permalinks.js";

const BLOB = /^https:\/\/github\.com\/([^/]+)\/([^/]+)\/blob\/([^/]+)\/([^#]+)#L(\d+)-L(\d+)$/;

/** Fills in the upstream link of a Python function's view when the source index had none. */
export function withPythonPermalink(view: SourceView): SourceView {
  if (view.upstream.kind === "permalink") return view;
  const link = pythonPermalink(view.fn);
  const match = link ? BLOB.exec(link.url) : null;
  if (!link || !match) return view;
  const upstream: UpstreamLink = {
    kind: "permalink",
    url: link.url,
    owner: match[1],
    repo: match[2],
    tag: decodeURIComponent(match[3]),
    path: match[4],
    startLine: Number(match[5]),
    endLine: Number(match[6]),
    target: "function",
    ...(link.note ? { reason: link.note } : {}),
  };
  return { ...view, upstream, notes: view.notes.filter((n) => !n.includes("not inside an installed package")) };
}
