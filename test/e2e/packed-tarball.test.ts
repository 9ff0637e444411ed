/**
 * The package as a user gets it: `npm pack`, installed into a fresh project
 * (npm hoists socket.io and the rest of the family beside trace-socket), run
 * there with npx. Paths, doc comments and links must come from that project's
 * node_modules, and everything README and --help name must be in the tarball.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { FAMILY, FAMILY_WHEN_LOADED } from "../../src/trace/model.js";

const exec = promisify(execFile);

/** The caller's environment without what `npm test` sets for its own package, and no cache override. */
function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(package|lifecycle)_|^TRACE_SOCKET_|^INIT_CWD$/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** A port nothing listens on: upstream fetches fail at once, and links stay local. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

let temp: string;
let project: string;
let packed: readonly string[];
let help: string;
let text: string;
let report: string;

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), "trace-socket-packed-"));
  project = join(temp, "project");
  const env = cleanEnv({ CI: "true" });
  // The suite builds dist/ first; packing without scripts does not build it again.
  const { stdout } = await exec("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", temp], { cwd: PACKAGE_ROOT, env, maxBuffer: 16 << 20 });
  const [tarball] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
  packed = tarball.files.map((f) => f.path);
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), `${JSON.stringify({ name: "fresh-project", version: "1.0.0", private: true }, null, 2)}\n`);
  await exec("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", join(temp, tarball.filename)], { cwd: project, env, maxBuffer: 16 << 20 });
  const run = { cwd: project, env: { ...env, TRACE_SOCKET_UPSTREAM: `http://127.0.0.1:${await closedPort()}` }, maxBuffer: 64 << 20 };
  // --help from the linked bin itself: npx's own start-up (seconds on a busy machine) is paid by the two runs below.
  const bin = join(project, "node_modules", ".bin", "trace-socket");
  help = (await exec(bin, ["--help"], run)).stdout + (await exec(bin, ["export", "--help"], run)).stdout;
  // One after the other: the export then reads the index the first run cached, instead of parsing the family again.
  text = (await exec("npx", ["trace-socket", "--no-interactive"], run)).stdout;
  await exec("npx", ["trace-socket", "export", "-o", "r.md"], run);
  report = readFileSync(join(project, "r.md"), "utf8");
  // A safety net for a machine shared with other jobs, not a goal: the whole test needs about 30 s of CPU.
}, 600_000);

afterAll(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
});

/** The version of the copy Node gives the chat: nested under trace-socket (or engine.io) if npm had to, else hoisted. */
function installedVersion(pkg: string): string {
  const modules = join(project, "node_modules");
  const candidates = [join(modules, "trace-socket", "node_modules", pkg), join(modules, "engine.io", "node_modules", pkg), join(modules, pkg)];
  const dir = candidates.find((d) => existsSync(join(d, "package.json")))!;
  return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string }).version;
}

const MISSING_DOCS = [/not inside an installed package/, /is not declared by the installed packages/, /no ServerOptions declaration could be read/];

describe("the packed tarball, installed into a fresh project", () => {
  it("ships the licence, the build, the scenarios, the Python side and every file README and --help name", () => {
    for (const path of ["LICENSE", "README.md", "package.json", "bin/trace-socket.js", "dist/cli/main.js", "dist/runtime/node/traced-process.js", "traces/chat/server.mjs", "traces/chat/REPORT.md", "traces/chat-flask/app.py", "src/trace/SCHEMA.md"]) {
      expect(packed, path).toContain(path);
    }
    for (const py of readdirSync(join(PACKAGE_ROOT, "src", "runtime", "python")).filter((f) => f.endsWith(".py"))) expect(packed).toContain(`src/runtime/python/${py}`);
    expect(readFileSync(join(PACKAGE_ROOT, "LICENSE"), "utf8")).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the trace-socket authors\n/);
    // README's relative links, and the files --help names (`schema: src/trace/SCHEMA.md`).
    const readme = readFileSync(join(PACKAGE_ROOT, "README.md"), "utf8");
    const linked = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((target) => !/^[a-z]+:/.test(target));
    const named = [...help.matchAll(/\b((?:src|traces|dist)\/[\w./-]+\.\w+)/g)].map((m) => m[1]!);
    expect(linked).toContain("src/trace/SCHEMA.md");
    expect(named).toContain("src/trace/SCHEMA.md");
    // A link to a folder (`traces/redis/`) is shipped when a file under it is.
    for (const path of [...linked, ...named]) expect(path.endsWith("/") ? packed.some((p) => p.startsWith(path)) : packed.includes(path), path).toBe(true);
  });

  it("runs the built-in chat with the hoisted family: its versions, doc comments and project-relative paths", () => {
    expect(existsSync(join(project, "node_modules", "socket.io", "package.json"))).toBe(true);
    const header = /^packages: (.*)$/m.exec(text)?.[1];
    // The adapters are listed only by a run that loads them; the chat loads none.
    for (const pkg of FAMILY.filter((p) => !FAMILY_WHEN_LOADED.has(p))) expect(header, pkg).toContain(`${pkg}@${installedVersion(pkg)}`);
    expect(text).toMatch(/library option pingInterval \(engine\.io ServerOptions, node_modules\/engine\.io\/build\/server\.d\.ts:\d+/);
    expect(text).toMatch(/method Server\.attach \(socket\.io, node_modules\/socket\.io\/dist\/index\.d\.ts:\d+\): \S/);
    expect(text).toMatch(/Server\.constructor {2}node_modules\/socket\.io\/dist\/index\.js:\d+/);
    // The chat's own code is instrumented although it lives inside node_modules/trace-socket.
    expect(text).toMatch(/<anonymous createServer callback in server\.mjs> \(node_modules\/trace-socket\/traces\/chat\/server\.mjs:\d+\)/);
    for (const missing of MISSING_DOCS) expect(text).not.toMatch(missing);
    expect(text).not.toMatch(/trace-socket\/\.\.|(?:^|[\s(`])\.\.\//m);
  });

  it("exports a report whose doc comments and links point into the project's node_modules", () => {
    expect(report).toContain("### From the library");
    expect(report).toMatch(/\]\(node_modules\/socket\.io\/dist\/index\.d\.ts#L\d+\)/);
    for (const missing of MISSING_DOCS) expect(report).not.toMatch(missing);
    expect(report).not.toMatch(/trace-socket\/\.\./);
    const local = [...report.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((target) => !/^[a-z]+:/.test(target));
    expect(local.filter((target) => target.startsWith("node_modules/socket.io/")).length).toBeGreaterThan(10);
    for (const target of new Set(local)) {
      expect(target, target).toMatch(/^node_modules\//);
      expect(existsSync(resolve(project, target)), target).toBe(true);
    }
  });

  it("caches in the project's node_modules/.cache/trace-socket, not inside the installed package", () => {
    const cache = join(project, "node_modules", ".cache", "trace-socket");
    expect(readdirSync(join(cache, "index")).some((f) => f.startsWith("socket.io@"))).toBe(true);
    expect(readdirSync(join(cache, "transforms")).length).toBeGreaterThan(0);
    expect(existsSync(join(project, "node_modules", "trace-socket", "node_modules", ".cache"))).toBe(false);
  });
});
