import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openSourceIndex, type SourceIndex } from "../../src/source/index.js";
import { installedVersion } from "./helpers/function-info.js";
import { PROJECT_ROOT } from "./helpers/paths.js";
import { sharedCacheDir } from "./helpers/shared-cache.js";

let index: SourceIndex;

beforeAll(async () => {
  index = await openSourceIndex(PROJECT_ROOT, { cacheDir: sharedCacheDir(), offline: true });
});

describe("optionDocs", () => {
  it("quotes ServerOptions fields with their documented defaults and the values in force", async () => {
    const [pingInterval, transports, maxHttpBufferSize] = await index.optionDocs(
      ["pingInterval", "transports", "maxHttpBufferSize"],
      { pingInterval: 1000, transports: ["polling", "websocket"], maxHttpBufferSize: 1e6 },
    );
    expect(pingInterval).toMatchObject({
      declaredIn: {
        pkg: "engine.io",
        version: installedVersion("node_modules/engine.io"),
        type: "ServerOptions",
        file: "node_modules/engine.io/build/server.d.ts",
      },
      doc: { text: expect.stringMatching(/ping packet/) },
      documentedDefault: "25000",
      inForce: "1000",
      isDefault: false,
    });
    expect(transports).toMatchObject({ documentedDefault: '["polling", "websocket"]', isDefault: true });
    expect(transports?.doc?.tags.map((t) => t.tag)).toEqual(["example", "default"]);
    expect(maxHttpBufferSize).toMatchObject({ documentedDefault: "1e6 (1 MB)", inForce: "1000000", isDefault: true });
  });

  it("prefers socket.io's declaration and lists the engine.io one it shadows", async () => {
    const [path] = await index.optionDocs(["path"], { path: "/socket.io" });
    expect(path).toMatchObject({
      declaredIn: { pkg: "socket.io", type: "ServerOptions", file: "node_modules/socket.io/dist/index.d.ts" },
      documentedDefault: '"/socket.io"',
      isDefault: true,
      shadows: [{ declaredIn: { pkg: "engine.io", type: "AttachOptions" }, documentedDefault: '"/engine.io"' }],
    });
  });

  it("follows nested options into inline types and into the cors typings", async () => {
    const [recovery, origin, cors] = await index.optionDocs(
      ["connectionStateRecovery.maxDisconnectionDuration", "cors.origin", "cors"],
      { cors: { origin: ["http://localhost:3000"] } },
    );
    expect(recovery).toMatchObject({ declaredIn: { pkg: "socket.io" }, documentedDefault: "120000 (2 minutes)" });
    expect(origin).toMatchObject({
      declaredIn: { pkg: "cors", type: "CorsOptions", file: "node_modules/@types/cors/index.d.ts" },
      documentedDefault: "'*'",
      inForce: '["http://localhost:3000"]',
      isDefault: false,
    });
    expect(cors).toMatchObject({
      declaredIn: { pkg: "engine.io", type: "ServerOptions" },
      doc: { text: "the options that will be forwarded to the cors module" },
      inForce: '{"origin":["http://localhost:3000"]}',
    });
    expect(cors?.documentedDefault).toBeUndefined();
  });

  it("says so for an option nobody declares", async () => {
    expect(await index.optionDocs(["pingIntervall"], { pingIntervall: 5 })).toEqual([
      { name: "pingIntervall", shadows: [], inForce: "5", reason: "no option pingIntervall is declared by the installed packages" },
    ]);
  });
});

describe("methodDocs", () => {
  it("quotes public methods, inherited ones from the class that declares them", async () => {
    const [use, on, attach] = await index.methodDocs(["Server.use", "Namespace.on", "engine.io:Server.attach"]);
    expect(use).toMatchObject({
      declaredIn: { pkg: "socket.io", type: "Server", file: "node_modules/socket.io/dist/index.d.ts" },
      signature: expect.stringMatching(/^use\(fn:/),
      doc: { text: expect.stringMatching(/Registers a middleware/) },
    });
    expect(use?.doc?.tags.some((t) => t.tag === "example" && t.text.includes("io.use("))).toBe(true);
    expect(on).toMatchObject({
      declaredIn: { pkg: "socket.io", type: "StrictEventEmitter", file: "node_modules/socket.io/dist/typed-events.d.ts" },
      doc: { text: expect.stringMatching(/event listener/) },
    });
    expect(attach).toMatchObject({ declaredIn: { pkg: "engine.io", type: "Server" }, doc: { text: expect.stringMatching(/upgrade requests/) } });
  });

  it("falls back to the implementation's JSDoc when the typings carry none (ws, the copy engine.io requires)", async () => {
    const [handleUpgrade] = await index.methodDocs(["WebSocketServer.handleUpgrade"]);
    // npm nests engine.io's own ws under it when the hoisted one is another version; Node gives engine.io that one.
    const ws = existsSync(join(PROJECT_ROOT, "node_modules/engine.io/node_modules/ws")) ? "node_modules/engine.io/node_modules/ws" : "node_modules/ws";
    expect(handleUpgrade).toMatchObject({
      declaredIn: { pkg: "ws", file: `${ws}/lib/websocket-server.js` },
      doc: { text: expect.stringMatching(/Upgrade request/) },
    });
  });

  it("gives a reason instead of throwing", async () => {
    expect(await index.methodDocs(["Server.nope", "nope"])).toEqual([
      { name: "Server.nope", reason: "Server.nope is not declared by the installed packages" },
      { name: "nope", reason: 'expected Class.method, got "nope"' },
    ]);
  });
});
