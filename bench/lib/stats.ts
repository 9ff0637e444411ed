// Small helpers for the report: medians, formatting, markdown tables.

/** Median of the finite numbers in `values` (NaN if none). */
export function median(values: readonly number[]): number {
  const list = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (list.length === 0) return NaN;
  const mid = list.length >> 1;
  return list.length % 2 ? list[mid] : (list[mid - 1] + list[mid]) / 2;
}

/** Formats a number with `digits` decimals, or "–" when it is not finite. */
export function fmt(value: number | undefined, digits = 0): string {
  if (value === undefined || !Number.isFinite(value)) return "–";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Bytes as MiB. */
export function mib(bytes: number | undefined, digits = 0): string {
  return bytes !== undefined && Number.isFinite(bytes) ? `${fmt(bytes / 1048576, digits)} MB` : "–";
}

/** A load table's first cells: throughput, p50 and p99 round trips, CPU per message on the server side and (traced) the CLI side. */
export function rateCells(s: { msgPerSec: number; p50us: number; p99us: number; serverCpuUsPerMsg: number; hostCpuUsPerMsg: number }, traced: boolean): string[] {
  return [
    fmt(s.msgPerSec),
    `${fmt(s.p50us / 1000, 2)} ms`,
    `${fmt(s.p99us / 1000, 2)} ms`,
    `${fmt(s.serverCpuUsPerMsg, 1)} µs`,
    traced ? `${fmt(s.hostCpuUsPerMsg, 1)} µs` : "–",
  ];
}

/** A markdown table. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [`| ${head.join(" | ")} |`, `|${head.map((_h, i) => (i === 0 ? "---" : "---:")).join("|")}|`];
  for (const row of rows) lines.push(`| ${row.join(" | ")} |`);
  return lines.join("\n");
}
