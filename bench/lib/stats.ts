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

/** A markdown table. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [`| ${head.join(" | ")} |`, `|${head.map((_h, i) => (i === 0 ? "---" : "---:")).join("|")}|`];
  for (const row of rows) lines.push(`| ${row.join(" | ")} |`);
  return lines.join("\n");
}
