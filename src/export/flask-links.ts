/**
 * The counterpart side of each step, as pinned permalinks: the `links` of the
 * built-in scenarios' steps, into the files their `linkRepos` pin (for the
 * chat, Flask-SocketIO and the 5bytes app at the commits the hand-written
 * report walked through). Links pin a commit, never `main`.
 */
import { builtInLinkRepos, builtInStepData, type CounterpartLink } from "../trace/scenario.js";

/** A line range in a pinned file. */
export interface FlaskLink extends CounterpartLink {
  /** The pinned file's permalink, without a line anchor. */
  readonly fileUrl: string;
  /** How the file is named in the report: `flask_socketio/__init__.py`, `5bytes app.py`. */
  readonly fileLabel: string;
}

/** The permalink of a line range. */
export function flaskUrl(link: FlaskLink): string {
  const anchor = link.endLine !== undefined && link.endLine > link.line ? `#L${link.line}-L${link.endLine}` : `#L${link.line}`;
  return link.fileUrl + anchor;
}

/** The file a link points into: `flask_socketio/__init__.py`, `5bytes app.py`. */
export function flaskFile(link: FlaskLink): string {
  return link.fileLabel;
}

/** `L171`, `L25–27`. */
export function flaskLines(link: FlaskLink): string {
  return link.endLine !== undefined && link.endLine > link.line ? `L${link.line}–${link.endLine}` : `L${link.line}`;
}

/** Links per step id. */
export const FLASK_LINKS: Readonly<Record<string, readonly FlaskLink[]>> = builtInStepData((step, scenario) =>
  step.links?.map((link) => {
    // The loader checked that every link's repository is in linkRepos.
    const repo = scenario.linkRepos![link.repo];
    return { ...link, fileUrl: repo.url, fileLabel: repo.file };
  }),
);

const repos = builtInLinkRepos();

/** Flask-SocketIO's commit the line numbers refer to. */
export const FLASK_SOCKETIO_COMMIT = repos["flask-socketio"]?.commit ?? "";

/** The 5bytes app's commit the line numbers refer to. */
export const FIVEBYTES_COMMIT = repos["5bytes"]?.commit ?? "";

/**
 * Whether a report carries the Flask-SocketIO counterpart: only when its
 * scenario says what the counterpart of its steps is. A user's own app has
 * none, and the chat's links keyed by step id would be false there.
 */
export function hasFlaskCounterpart(sources: { readonly steps: ReadonlyMap<string, { readonly flask?: string }> }): boolean {
  for (const step of sources.steps.values()) if (step.flask) return true;
  return false;
}
