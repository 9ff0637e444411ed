/**
 * The app's source as the claims about it read it: its traced functions and
 * its files, each read once, relative to the project root.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FunctionInfo } from "../trace/model.js";
import type { AppSource } from "./app-source.js";

/** The app's own functions among `functions`, and a reader of its files. */
export function readAppSource(functions: readonly FunctionInfo[], projectRoot: string): AppSource {
  const files = new Map<string, readonly string[]>();
  return {
    functions: functions.filter((f) => f.pkg === "app"),
    lines(file) {
      let lines = files.get(file);
      if (!lines) {
        try {
          lines = readFileSync(join(projectRoot, file), "utf8").split("\n");
        } catch {
          // A file gone since it ran: nothing to read, so nothing is claimed from it.
          lines = [];
        }
        files.set(file, lines);
      }
      return lines;
    },
  };
}
