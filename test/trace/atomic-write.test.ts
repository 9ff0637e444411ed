import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeWriteError, writeFileAtomic, WriteError } from "../../src/trace/atomic-write.js";

const dir = mkdtempSync(join(tmpdir(), "trace-socket-atomic-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Files in `folder` other than the ones named. */
function leftovers(folder: string, ...expected: string[]): string[] {
  return readdirSync(folder).filter((name) => !expected.includes(name));
}

describe("writeFileAtomic", () => {
  it("writes a string, bytes or pieces, and returns the path and size", async () => {
    const file = join(dir, "a.md");
    expect(await writeFileAtomic(file, "héllo")).toEqual({ path: file, bytes: 6 });
    expect(readFileSync(file, "utf8")).toBe("héllo");
    await writeFileAtomic(file, Buffer.from("bytes"));
    expect(readFileSync(file, "utf8")).toBe("bytes");
    await writeFileAtomic(file, ["a", "b", Buffer.from("c")]);
    expect(readFileSync(file, "utf8")).toBe("abc");
    expect(leftovers(dir, "a.md")).toEqual([]);
  });

  it("leaves the old file whole and no temporary file when the content fails half-way", async () => {
    const folder = join(dir, "fail");
    mkdirSync(folder);
    const file = join(folder, "report.md");
    writeFileSync(file, "old report");
    function* pieces(): Generator<string> {
      yield "x".repeat(3 << 20);
      throw new Error("renderer crashed");
    }
    await expect(writeFileAtomic(file, pieces())).rejects.toThrow(new WriteError(`cannot write ${file}: renderer crashed`));
    expect(readFileSync(file, "utf8")).toBe("old report");
    expect(leftovers(folder, "report.md")).toEqual([]);
  });

  it("keeps the mode of the file it replaces, and writes through a symlink to its target", async () => {
    const file = join(dir, "mode.md");
    writeFileSync(file, "old");
    chmodSync(file, 0o640);
    await writeFileAtomic(file, "new");
    expect(statSync(file).mode & 0o777).toBe(0o640);
    const link = join(dir, "link.md");
    symlinkSync(file, link);
    await writeFileAtomic(link, "through the link");
    expect(readFileSync(file, "utf8")).toBe("through the link");
  });

  it.each([
    ["a missing folder", () => join(dir, "nope", "x.md"), "ENOENT", /^cannot write .*x\.md: the folder .*nope does not exist$/],
    ["a path through a file", () => join(dir, "a.md", "x.md"), "ENOTDIR", /^cannot write .*x\.md: part of the path is not a folder$/],
    ["a folder", () => dir, "EISDIR", /^cannot write .*: it is a folder$/],
  ])("says clearly why it cannot write to %s", async (_, path, code, message) => {
    const error = (await writeFileAtomic(path(), "x").catch((e: unknown) => e)) as WriteError;
    expect(error).toBeInstanceOf(WriteError);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it("refuses a read-only folder (when not running as root, who may write anywhere)", async () => {
    if (process.getuid?.() === 0) return;
    const folder = join(dir, "locked");
    mkdirSync(folder);
    chmodSync(folder, 0o555);
    const error = (await writeFileAtomic(join(folder, "x.md"), "x").catch((e: unknown) => e)) as WriteError;
    chmodSync(folder, 0o755);
    expect(error.message).toMatch(/permission denied/);
    expect(leftovers(folder)).toEqual([]);
  });

  it.each([
    ["EACCES", "cannot write /r/x.md: permission denied (is /r writable?)"],
    ["EPERM", "cannot write /r/x.md: permission denied (is /r writable?)"],
    ["ENOSPC", "cannot write /r/x.md: no space left on the device"],
    ["EROFS", "cannot write /r/x.md: the file system is read-only"],
    ["EDQUOT", "cannot write /r/x.md: disk quota exceeded"],
  ])("describes %s in one line", (code, message) => {
    expect(describeWriteError("/r/x.md", Object.assign(new Error(`${code}: raw`), { code }))).toBe(message);
  });
});
