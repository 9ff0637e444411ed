/**
 * The profile summary sorts a sampled frame by the file it ran in: frames of
 * the project's own modules are named by their built paths, so each path it
 * knows must be a file of the build (a move of the traced process's IPC side
 * once left its frames uncounted as "other native"), and a frame there is
 * counted where the overhead analysis looks for it.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { category } from "../../bench/lib/profile-summary.js";
import { TRACED_PROCESS_ENTRY } from "../../src/runtime/node/node-runtime.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";

const built = (path: string): string => join(PACKAGE_ROOT, "dist", path);

describe("profile categories of the project's own modules", () => {
  it.each([
    [built("instrument/recorder.js"), "recorder (e/x/write/drain)"],
    [built("instrument/socket-tap.js"), "socket tap"],
    [built("instrument/async-links.js"), "async_hooks"],
    [built("runtime/node/courier.js"), "IPC serialize + write"],
    [TRACED_PROCESS_ENTRY, "IPC serialize + write"],
  ])("%s: a file of the build, counted as %s", (file, expected) => {
    expect(existsSync(file), file).toBe(true);
    expect(category({ functionName: "send", url: pathToFileURL(file).href, lineNumber: 1 })).toBe(expected);
  });

  it("a frame of no known file is not counted as the tracer's", () => {
    expect(category({ functionName: "send", url: pathToFileURL(built("runtime/node/elsewhere.js")).href, lineNumber: 1 })).toBe("other native");
  });
});
