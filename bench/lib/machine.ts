// What the benchmark ran on.
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import os from "node:os";

function sh(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

/** nproc, memory, CPU model, node version, kernel, load average. */
export function machine(): Record<string, string | undefined> {
  const cpuinfo = (() => {
    try {
      return readFileSync("/proc/cpuinfo", "utf8");
    } catch {
      return "";
    }
  })();
  return {
    nproc: sh("nproc", []),
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown",
    mhz: /^cpu MHz\s*:\s*(.*)$/m.exec(cpuinfo)?.[1],
    memory: sh("free", ["-h"]).split("\n")[1]?.replace(/\s+/g, " ") ?? "unknown",
    node: process.version,
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    loadavg: os.loadavg().map((x) => x.toFixed(2)).join(" "),
  };
}
