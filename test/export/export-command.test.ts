import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { PassThrough } from "node:stream";
import { InvalidArgumentError } from "commander";
import { afterAll, describe, expect, it, vi } from "vitest";
import { checkOutputPath, parseFormat, runExport, writeExport, type ExportFlags } from "../../src/cli/export-command.js";
import { readTraceInput } from "../../src/cli/trace-input.js";
import { UsageError } from "../../src/cli/errors.js";
import { stabilize } from "../../src/export/stabilize.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { parseTraceFile, serializeTrace } from "../../src/trace/trace-file.js";
import { chatTrace } from "../fixtures/export/chat-trace.js";
import { REPORT_CACHE } from "./report-cache.js";

const dir = mkdtempSync(join(tmpdir(), "trace-socket-export-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const traceFile = join(dir, "fixture.json");
writeFileSync(traceFile, serializeTrace(chatTrace()));

const FLAGS: ExportFlags = { format: "md", stable: false, offline: true, host: "127.0.0.1", port: 0, from: traceFile };

async function usageError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UsageError);
  expect((error as Error).message).not.toContain("\n");
  return (error as Error).message;
}

describe("export", () => {
  it("writes the whole trace as JSON that reads back the same", async () => {
    const output = join(dir, "trace.json");
    const written = await writeExport(chatTrace(), { output, format: "json", stable: false, offline: true });
    expect(written.path).toBe(output);
    expect(parseTraceFile(readFileSync(output, "utf8"))).toEqual(chatTrace());
  });

  it("writes a markdown report whose local links are relative to where it is written", async () => {
    const output = join(dir, "report.md");
    await writeExport(chatTrace(), { output, format: "md", stable: false, offline: true, cacheDir: REPORT_CACHE });
    const md = readFileSync(output, "utf8");
    expect(md.startsWith("# How socket.io really works: the chat scenario, traced\n")).toBe(true);
    expect(md).toContain(`](${relative(dir, PACKAGE_ROOT)}/traces/chat/server.mjs#L20)`);
  });

  it("renders a stable trace file as stable, whatever the flags", async () => {
    const output = join(dir, "stable.md");
    await writeExport(stabilize(chatTrace()), { output, format: "md", stable: false, offline: true, cacheDir: REPORT_CACHE });
    expect(readFileSync(output, "utf8")).toContain("| Date | (stable report: no date) |");
  });

  it("writes to stdout with -o -", async () => {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on("data", (c: Buffer) => chunks.push(c));
    await writeExport(chatTrace(), { output: "-", format: "json", stable: true, offline: true, stdout });
    expect(parseTraceFile(Buffer.concat(chunks).toString("utf8")).meta.startedAt).toBe("1970-01-01T00:00:00.000Z");
  });

  it("renders a trace file given with --from and prints the path written", async () => {
    const output = join(dir, "from.md");
    const print = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(await runExport({ ...FLAGS, output }, ["export", "--from", traceFile])).toBe(0);
      expect(print.mock.calls.map((c) => String(c[0])).join("")).toMatch(/^wrote .*from\.md \([\d.]+ KB, 5 steps\)\n$/);
    } finally {
      print.mockRestore();
    }
    expect(readFileSync(output, "utf8")).toContain("## Step 5 — disconnect");
  });

  it("refuses a bad input file with one line naming it (exit 2)", async () => {
    const foreign = join(dir, "foreign.json");
    writeFileSync(foreign, '{"schema":"other","version":1}');
    expect(await usageError(runExport({ ...FLAGS, from: foreign, output: join(dir, "x.md") }, []))).toBe(`cannot read ${foreign}: not a trace-socket trace (schema field is "other")`);
    expect(await usageError(readTraceInput(join(dir, "missing.json")))).toBe(`cannot read ${join(dir, "missing.json")}: no such file`);
  });

  it("refuses an unwritable output before doing any work (exit 2)", async () => {
    expect(await usageError(runExport({ ...FLAGS, from: join(dir, "never-read.json"), output: join(dir, "no", "x.md") }, []))).toBe(
      `cannot write ${join(dir, "no", "x.md")}: the folder ${join(dir, "no")} does not exist`,
    );
    expect(await usageError(checkOutputPath(dir))).toBe(`cannot write ${dir}: it is a folder`);
    expect(await usageError(checkOutputPath(join(traceFile, "x.md")))).toBe(`cannot write ${join(traceFile, "x.md")}: part of the path is not a folder`);
  });

  it("accepts md and json as formats, and nothing else", () => {
    expect(parseFormat("md")).toBe("md");
    expect(parseFormat("markdown")).toBe("md");
    expect(parseFormat("json")).toBe("json");
    expect(() => parseFormat("pdf")).toThrow(InvalidArgumentError);
  });
});
