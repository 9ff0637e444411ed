/**
 * Which installed files belong to the traced family, decided by path alone so
 * that any copy (hoisted or nested under another package's node_modules) of any
 * version is recognised.
 */
import { FAMILY, FAMILY_BROWSER_FOLDERS, type FamilyPackage } from "../trace/model.js";

/** A file of a family package. */
export interface FamilyFile {
  readonly pkg: FamilyPackage;
  /** Absolute directory of the package (where its package.json is). */
  readonly root: string;
}

const FAMILY_SET: ReadonlySet<string> = new Set(FAMILY);
const MARKER = "/node_modules/";

/** Returns the family package an absolute path belongs to, or undefined. */
export function familyFile(path: string): FamilyFile | undefined {
  const normalised = path.replaceAll("\\", "/");
  const at = normalised.lastIndexOf(MARKER);
  if (at < 0) return undefined;
  const rest = normalised.slice(at + MARKER.length);
  // A scoped package's name has two segments (`@socket.io/redis-adapter`).
  const segments = rest.split("/");
  const name = rest.startsWith("@") ? segments.slice(0, 2).join("/") : segments[0];
  if (!FAMILY_SET.has(name)) return undefined;
  if (!/\.(c?js)$/.test(rest)) return undefined;
  const browser = FAMILY_BROWSER_FOLDERS[name];
  if (browser !== undefined && rest.startsWith(`${name}/${browser}`)) return undefined;
  return { pkg: name as FamilyPackage, root: normalised.slice(0, at + MARKER.length + name.length) };
}

/**
 * True for files of the traced app itself: under its root and not one of its
 * dependencies. Only a `node_modules` below the root marks a dependency: the
 * root itself may be inside one (the built-in chat of an installed trace-socket
 * is `<project>/node_modules/trace-socket/traces/chat`).
 */
export function isAppFile(path: string, appRoot: string): boolean {
  const normalised = path.replaceAll("\\", "/");
  const root = appRoot.replaceAll("\\", "/").replace(/\/?$/, "/");
  if (!normalised.startsWith(root)) return false;
  const inside = normalised.slice(root.length - 1);
  // TypeScript files arrive compiled (by tsx), like any other module.
  return !inside.includes(MARKER) && /\.([cm]?js|[cm]?tsx?)$/.test(inside);
}

/** True for a TypeScript file, which reaches the instrumentation compiled (with an inline source map). */
export function isCompiled(path: string): boolean {
  return /\.[cm]?tsx?$/.test(path);
}
