/**
 * An app that loads the Admin UI's server side (`instrument(io, …)` of @socket.io/admin-ui): the
 * package is traced like the rest of the family — listed in the header with the app's version,
 * its functions in the call paths where they ran (the connection, each event), its start-up line
 * a step of its own narrated by claims checked on the run. Its browser app is never instrumented.
 */
import { describe, expect, it } from "vitest";
import { installedVersion } from "../helpers/installed.js";
import { runCli } from "../helpers/cli.js";
import { callNames as names, stepCalls, traceLines } from "../helpers/json-lines.js";

const ADMIN_UI = "@socket.io/admin-ui";

describe("trace-socket on an app with the Admin UI", () => {
  it("instrument() is a narrated step and the Admin UI's hooks are in the connection's and the event's call paths", async () => {
    const { code, stdout, stderr } = await runCli(["test/fixtures/apps/admin-ui/server.js", "--emit-ack", 'hello="ada"', "--json"]);
    expect(code, stderr).toBe(0);
    const lines = traceLines(stdout);
    expect(lines.find((l) => l.type === "meta")?.packages?.[ADMIN_UI]).toBe(installedVersion(ADMIN_UI));
    const functions = new Map(lines.filter((l) => l.type === "function").map((l) => [l.id as number, l]));
    const own = [...functions.values()].filter((f) => f.pkg === ADMIN_UI);
    expect(own.map((f) => f.name)).toContain("instrument");
    // Only its server side: the browser app under ui/ is served as files, never run by Node.
    expect(own.every((f) => f.file?.startsWith(`node_modules/${ADMIN_UI}/dist/`))).toBe(true);
    const steps = new Map(lines.filter((l) => l.type === "step").map((l) => [l.id as string, l]));

    const start = steps.get("admin-ui");
    expect(start?.code).toMatchObject({ file: "test/fixtures/apps/admin-ui/server.js", line: 9 });
    expect(start?.claims?.map((c) => c.status)).toEqual(["held", "held", "held", "held", "held"]);
    expect(start?.claims?.map((c) => c.text).join(" ")).toContain("Server.of ran under instrument");
    expect(names(start ? stepCalls(start) : [], functions)[0]).toBe(`instrument (${ADMIN_UI})`);

    // engine.io's connection reaches the Admin UI's listener; the app's connection handler runs in the same step.
    const connect = names(stepCalls(steps.get("connect")!), functions);
    expect(connect).toContain(`onConnection in registerEngineListeners (${ADMIN_UI})`);
    expect(connect).toContain("<anonymous connection listener in server.js> (app)");
    // The client's event passes the Admin UI's onAny hook before the app's handler runs.
    const emit = names(stepCalls(steps.get("emit")!), functions);
    const hook = emit.indexOf(`<anonymous onAny callback in registerVerboseListeners> (${ADMIN_UI})`);
    expect(hook).toBeGreaterThanOrEqual(0);
    expect(emit.indexOf("<anonymous hello listener in server.js> (app)")).toBeGreaterThan(hook);
  });
});
