/**
 * Writes a file so that readers see the old content or the new, never half of
 * it: the data goes to a temporary file in the same folder, which is flushed
 * and renamed over the target. A failure removes the temporary file and says
 * in one line what went wrong.
 */
import { randomBytes } from "node:crypto";
import { lstat, open, realpath, rename, stat, unlink, type FileHandle } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

/** A file could not be written; `message` is one readable line naming the path. */
export class WriteError extends Error {
  override readonly name = "WriteError";
  constructor(
    message: string,
    /** The errno code (`EACCES`, `ENOSPC`…), when the system gave one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** What to write: one string or buffer, or pieces produced one after the other. */
export type WriteData = string | Uint8Array | Iterable<string | Uint8Array>;

/** One line saying why `path` could not be written. */
export function describeWriteError(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = dirname(path);
  switch (code) {
    case "ENOENT":
      return `cannot write ${path}: the folder ${where} does not exist`;
    case "ENOTDIR":
      return `cannot write ${path}: part of the path is not a folder`;
    case "EISDIR":
      return `cannot write ${path}: it is a folder`;
    case "EACCES":
    case "EPERM":
      return `cannot write ${path}: permission denied (is ${where} writable?)`;
    case "EROFS":
      return `cannot write ${path}: the file system is read-only`;
    case "ENOSPC":
      return `cannot write ${path}: no space left on the device`;
    case "EDQUOT":
      return `cannot write ${path}: disk quota exceeded`;
    case "ENAMETOOLONG":
      return `cannot write ${path}: the file name is too long`;
    default: {
      const reason = (error as Error | undefined)?.message?.split("\n")[0] ?? String(error);
      return `cannot write ${path}: ${reason}`;
    }
  }
}

/** The real target: writing through a symlink replaces the file it points to, not the link. */
async function targetOf(path: string): Promise<string> {
  try {
    if ((await lstat(path)).isSymbolicLink()) return await realpath(path);
  } catch {
    // Missing: it will be created.
  }
  return path;
}

async function writeAll(handle: FileHandle, data: WriteData): Promise<number> {
  if (typeof data === "string" || data instanceof Uint8Array) {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    await handle.writeFile(bytes);
    return bytes.length;
  }
  let total = 0;
  let pending: Buffer[] = [];
  let pendingSize = 0;
  const flush = async (): Promise<void> => {
    if (!pending.length) return;
    await handle.write(Buffer.concat(pending, pendingSize));
    pending = [];
    pendingSize = 0;
  };
  for (const piece of data) {
    const bytes = typeof piece === "string" ? Buffer.from(piece, "utf8") : Buffer.from(piece.buffer, piece.byteOffset, piece.length);
    pending.push(bytes);
    pendingSize += bytes.length;
    total += bytes.length;
    // Few large writes rather than one per piece.
    if (pendingSize >= 1 << 20) await flush();
  }
  await flush();
  return total;
}

/**
 * Writes `data` to `path` atomically and returns the absolute path written
 * and its size. Throws {@link WriteError}; the target is then untouched and no
 * temporary file is left behind.
 */
export async function writeFileAtomic(path: string, data: WriteData): Promise<{ readonly path: string; readonly bytes: number }> {
  const target = await targetOf(resolve(path));
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
  let handle: FileHandle | undefined;
  try {
    const existing = await stat(target).catch(() => undefined);
    if (existing?.isDirectory()) throw Object.assign(new Error("is a folder"), { code: "EISDIR" });
    handle = await open(temp, "wx", existing ? existing.mode & 0o777 : 0o666);
    const bytes = await writeAll(handle, data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, target);
    return { path: target, bytes };
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    if (error instanceof WriteError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    // Errors of the data producer are not file-system errors: say so, keep the cause.
    if (code === undefined) throw new WriteError(`cannot write ${path}: ${(error as Error).message ?? String(error)}`);
    throw new WriteError(describeWriteError(path, error), code);
  }
}
