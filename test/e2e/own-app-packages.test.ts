/**
 * The packages header of an app is what the app loaded, from its own node_modules, even when
 * that copy is not the one installed beside trace-socket. The app here has its own copy of
 * socket.io (the installed one, relabelled with a version no registry has, so that the header can
 * only have read it from the app's copy); the rest of the family resolves up to the project's.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { runCli } from "../helpers/cli.js";
import { installedVersion } from "../helpers/installed.js";
import { traceLines } from "../helpers/json-lines.js";

const OWN_VERSION = "4.8.99-own-copy";

describe("trace-socket server.js: the packages header", () => {
  let app: string;

  beforeAll(() => {
    // Inside the project, so that the family's other packages resolve to its node_modules.
    app = mkdtempSync(join(PACKAGE_ROOT, "test", ".own-node-modules-"));
    cpSync(join(PACKAGE_ROOT, "node_modules", "socket.io"), join(app, "node_modules", "socket.io"), { recursive: true, dereference: true });
    const manifest = join(app, "node_modules", "socket.io", "package.json");
    writeFileSync(manifest, JSON.stringify({ ...(JSON.parse(readFileSync(manifest, "utf8")) as object), version: OWN_VERSION }));
    for (const file of ["server.js", "package.json"]) cpSync(join(PACKAGE_ROOT, "test", "fixtures", "apps", "custom-path", file), join(app, file));
  });

  afterAll(() => rmSync(app, { recursive: true, force: true }));

  it("shows the version of the app's own socket.io, not trace-socket's, in the text and the trace", async () => {
    const entry = relative(PACKAGE_ROOT, join(app, "server.js"));
    const text = await runCli([entry, "--offline"]);
    expect(text.code, text.stderr).toBe(0);
    const header = /^packages: (.*)$/m.exec(text.stdout)?.[1] ?? "";
    expect(header).toContain(`socket.io@${OWN_VERSION}`);
    expect(header).not.toContain(`socket.io@${installedVersion("socket.io")}`);
    // The copies the app's socket.io loaded from the project: their own versions.
    expect(header).toContain(`engine.io@${installedVersion("engine.io")}`);

    const json = await runCli([entry, "--offline", "--json"]);
    expect(json.code, json.stderr).toBe(0);
    const lines = traceLines(json.stdout);
    expect(lines.find((l) => l.type === "meta")?.packages?.["socket.io"]).toBe(OWN_VERSION);
    // Its functions are the app's copy's: their files are under the app's node_modules.
    const socketIo = lines.filter((l) => l.type === "function" && l.pkg === "socket.io");
    expect(socketIo.length).toBeGreaterThan(10);
    expect(socketIo.every((f) => f.file?.startsWith(`${relative(PACKAGE_ROOT, app)}/node_modules/socket.io/`))).toBe(true);
  });
});
