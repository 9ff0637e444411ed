import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { copyrightLines, licenceFromText, repositoryUrl } from "../../src/source/licence-texts.js";
import { licences, licenceSummary } from "../../src/source/index.js";
import { installedVersion } from "./helpers/function-info.js";
import { PROJECT_ROOT } from "./helpers/paths.js";
import { emptyCacheDir, removeTemporaryDirs } from "./helpers/shared-cache.js";

afterAll(removeTemporaryDirs);

/** Writes a package folder of a made-up project. */
function fakePackage(root: string, dir: string, manifest: object, licence?: string): void {
  mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, dir, "package.json"), JSON.stringify(manifest));
  if (licence !== undefined) writeFileSync(join(root, dir, "LICENSE"), licence);
}

describe("licences of the installed family", () => {
  it("reads each package's licence, copyright and repository", async () => {
    const rows = await licences(PROJECT_ROOT);
    const socketIo = rows.find((r) => r.name === "socket.io");
    expect(socketIo).toMatchObject({
      version: installedVersion("node_modules/socket.io"),
      dirs: ["node_modules/socket.io"],
      licence: "MIT",
      licenceFromText: "MIT",
      licenceFile: "LICENSE",
      repository: "https://github.com/socketio/socket.io",
      summary: { title: "MIT License" },
      notes: [],
    });
    expect(socketIo?.copyright).toEqual([expect.stringMatching(/^Copyright \(c\) .*Guillermo Rauch/)]);
    expect(rows.find((r) => r.name === "cors")).toMatchObject({ repository: "https://github.com/expressjs/cors" });
    // ws names three copyright holders in its LICENSE.
    expect(rows.find((r) => r.name === "ws")?.copyright.length).toBeGreaterThanOrEqual(2);
    expect([...new Set(rows.map((r) => r.name))]).toEqual([
      "socket.io",
      "engine.io",
      "socket.io-parser",
      "socket.io-adapter",
      "engine.io-parser",
      "ws",
      "cors",
      // The adapters the across-servers scenarios load are dependencies too, so they are installed.
      "@socket.io/redis-adapter",
      "@socket.io/cluster-adapter",
      "@socket.io/sticky",
      // devDependencies: the own-app tests trace apps that load them.
      "@socket.io/admin-ui",
      "socket.io-msgpack-parser",
      "@socket.io/redis-streams-adapter",
      "@socket.io/postgres-adapter",
      "@socket.io/mongo-adapter",
    ]);
  });

  it("lists nested copies, one row per version, sharing a row when the version is the same", async () => {
    const rows = await licences(PROJECT_ROOT);
    const nested = installedVersion("node_modules/engine.io/node_modules/ws");
    const row = rows.find((r) => r.name === "ws" && r.version === nested);
    expect(row?.dirs).toContain("node_modules/engine.io/node_modules/ws");
  });

  it("notes gaps and disagreements instead of guessing", async () => {
    const root = emptyCacheDir();
    fakePackage(root, "node_modules/cors", { name: "cors", version: "1.0.0", license: "ISC", repository: "github:someone/cors" },
      "ISC License\n\nCopyright (c) 2020 Someone\n\nPermission to use, copy, modify, and/or distribute this software for any purpose\n" +
        "with or without fee is hereby granted, provided that the above copyright notice and this permission notice appear in all copies.\n");
    fakePackage(root, "node_modules/ws", { name: "ws", version: "1.0.0", license: "MIT" });
    fakePackage(root, "node_modules/engine.io", { name: "engine.io", version: "1.0.0", licenses: [{ type: "BSD-3-Clause" }] },
      "Copyright 2019 Someone Else\n\nRedistribution and use in source and binary forms, with or without modification, are permitted.\n");
    fakePackage(root, "node_modules/other/node_modules/ws", { name: "ws", version: "2.0.0" });
    const rows = await licences(root);
    expect(rows.map((r) => `${r.name}@${r.version}`)).toEqual(["engine.io@1.0.0", "ws@1.0.0", "ws@2.0.0", "cors@1.0.0"]);
    const [engine, ws1, ws2, cors] = rows;
    expect(cors).toMatchObject({ licence: "ISC", licenceFromText: "ISC", copyright: ["Copyright (c) 2020 Someone"], repository: "https://github.com/someone/cors", notes: [] });
    expect(cors?.summary?.requires).toMatch(/copyright notice/);
    expect(ws1).toMatchObject({ licence: "MIT", copyright: [], notes: ["no LICENSE file in the package"] });
    expect(ws2).toMatchObject({ licence: "UNKNOWN", dirs: ["node_modules/other/node_modules/ws"] });
    expect(ws2?.summary).toBeUndefined();
    expect(ws2?.notes).toContain("package.json declares no licence");
    expect(engine).toMatchObject({ licence: "BSD-3-Clause", licenceFromText: "BSD-2-Clause" });
    expect(engine?.notes).toEqual(["package.json declares BSD-3-Clause but the LICENSE text reads as BSD-2-Clause"]);
  });
});

describe("licence texts", () => {
  it("explains common licence ids in plain words", () => {
    for (const id of ["MIT", "ISC", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0", "0BSD"]) {
      const summary = licenceSummary(id);
      expect(summary?.allows.length, id).toBeGreaterThan(20);
      expect(summary?.requires.length, id).toBeGreaterThan(5);
      expect(summary?.forbids, id).toMatch(/liable|warranty/);
    }
    expect(licenceSummary("(MIT OR Apache-2.0)")?.title).toBe("MIT License");
    expect(licenceSummary("WTFPL")).toBeUndefined();
  });

  it("recognises licences from their text and keeps only real copyright notices", () => {
    expect(licenceFromText("Permission is hereby granted, free of charge, to any person")).toBe("MIT");
    expect(licenceFromText("Apache License\nVersion 2.0, January 2004")).toBe("Apache-2.0");
    expect(licenceFromText("Do what you want")).toBeUndefined();
    expect(copyrightLines("Copyright (c) 2011 A\nTHE AUTHORS OR\nCOPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM\n© 2020 B")).toEqual([
      "Copyright (c) 2011 A",
      "© 2020 B",
    ]);
  });

  it("normalises repository fields to https URLs", () => {
    expect(repositoryUrl({ type: "git", url: "git+https://github.com/socketio/socket.io.git" })).toBe("https://github.com/socketio/socket.io");
    expect(repositoryUrl("expressjs/cors")).toBe("https://github.com/expressjs/cors");
    expect(repositoryUrl("git@github.com:websockets/ws.git")).toBe("https://github.com/websockets/ws");
    expect(repositoryUrl("git://github.com/a/b.git")).toBe("https://github.com/a/b");
    expect(repositoryUrl(undefined)).toBeUndefined();
  });
});
