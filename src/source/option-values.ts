/**
 * Live option values next to documented defaults: formatting a value for a
 * reader, and deciding whether it is the default. Pure.
 */

const MAX_VALUE = 160;

/** A value as a reader would write it: `25000`, `"/socket.io"`, `["polling","websocket"]`. */
export function formatValue(value: unknown): string {
  if (typeof value === "function") return `[Function ${value.name || "anonymous"}]`;
  if (value instanceof RegExp) return String(value);
  if (value === undefined) return "undefined";
  if (typeof value === "bigint") return `${value}n`;
  let text: string;
  try {
    // Functions and regular expressions would vanish or become `{}` in plain JSON.
    const readable = (_key: string, v: unknown): unknown =>
      typeof v === "function" || v instanceof RegExp ? formatValue(v) : v;
    text = JSON.stringify(value, readable) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/**
 * Reads a documented default as a value when it is a literal: `25000`,
 * `1e6 (1 MB)`, `"/socket.io"`, `'*'`, `["polling", "websocket"]`, `true`.
 * Prose such as "the in-memory adapter" gives undefined: not comparable.
 */
export function parseDefault(text: string): { readonly value: unknown } | undefined {
  const literal = text.replace(/\s+\(.*\)\s*$/s, "").trim();
  if (literal === "") return undefined;
  const asJson = literal.startsWith("'") && literal.endsWith("'") ? `"${literal.slice(1, -1)}"` : literal;
  try {
    return { value: JSON.parse(asJson) as unknown };
  } catch {
    const number = Number(literal);
    return Number.isFinite(number) ? { value: number } : undefined;
  }
}

/** Whether a live value equals a documented default; undefined when the default is prose. */
export function equalsDefault(value: unknown, documented: string): boolean | undefined {
  const parsed = parseDefault(documented);
  if (!parsed) return undefined;
  return JSON.stringify(value) === JSON.stringify(parsed.value);
}

/** Finds `cors.origin` in `{ "cors.origin": … }` or `{ cors: { origin: … } }`. */
export function valueAt(values: Readonly<Record<string, unknown>>, name: string): { readonly value: unknown } | undefined {
  if (Object.hasOwn(values, name)) return { value: values[name] };
  let current: unknown = values;
  for (const part of name.split(".")) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return { value: current };
}
