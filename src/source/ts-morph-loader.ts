/**
 * The one door to ts-morph. Loading it costs about a third of a second, so it
 * is imported only when something has to be parsed (a cold cache); a cached
 * run never comes through here, and `tsMorphLoaded()` lets tests prove it.
 */
import type * as TsMorph from "ts-morph";

/** The ts-morph module namespace, as handed to the parsing code. */
export type TsMorphModule = typeof TsMorph;

let loading: Promise<TsMorphModule> | undefined;

/** Imports ts-morph once, on first need. */
export function loadTsMorph(): Promise<TsMorphModule> {
  loading ??= import("ts-morph");
  return loading;
}

/** Whether this process has asked for ts-morph (true after any cold parse). */
export function tsMorphLoaded(): boolean {
  return loading !== undefined;
}

/** A scratch project that parses JS and TS from strings without touching the disk. */
export function createScratchProject(tsm: TsMorphModule): TsMorph.Project {
  return new tsm.Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    compilerOptions: { allowJs: true, noLib: true },
  });
}
