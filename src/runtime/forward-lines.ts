/**
 * A traced child's own output, line by line: the Node adapter and the Python one both read its
 * stdout and stderr this way, and count each line as the child's progress (what a process being
 * closed still writes shows it is not stuck).
 */
import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

/** Which of the child's output streams a line came from. */
export type OutputStream = "stdout" | "stderr";

/** Calls `counted` and then `onLine` with every line `child` writes on stdout and stderr. */
export function forwardLines(child: ChildProcess, onLine: (stream: OutputStream, line: string) => void, counted: () => void): void {
  for (const stream of ["stdout", "stderr"] as const) {
    const source = child[stream];
    if (source)
      createInterface({ input: source, crlfDelay: Infinity }).on("line", (line) => {
        counted();
        onLine(stream, line);
      });
  }
}
