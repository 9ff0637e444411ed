/**
 * Compact JSON text of untrusted values with bounded depth, width and size.
 *
 * `JSON.stringify` recurses without limit (a 50,000-deep array overflows the
 * stack) and copies strings whole; this never goes deeper than `maxDepth`, and
 * what it leaves out is shown as `… N more` (items, keys or characters).
 */

/** Limits of `boundedJson`. */
export interface JsonBounds {
  /** Nesting levels shown; deeper containers become `[… N more]` / `{… N more}`. */
  readonly maxDepth: number;
  /** Characters of one string. */
  readonly maxString: number;
  /** Items of one array or keys of one object. */
  readonly maxItems: number;
  /** Approximate characters of the whole text; past it, containers close early. */
  readonly budget: number;
}

/** Bounds used for Socket.IO data. */
export const DEFAULT_JSON_BOUNDS: JsonBounds = { maxDepth: 12, maxString: 200, maxItems: 50, budget: 2000 };

/**
 * Compact JSON text of a value, cut where it exceeds the bounds. Never throws.
 *
 * @example
 * boundedJson(["chat message", "x".repeat(1e6)]); // '["chat message","xxx…… 999800 more"]'
 */
export function boundedJson(value: unknown, bounds: JsonBounds = DEFAULT_JSON_BOUNDS): string {
  const state = { used: 0 };
  return write(value, 0, bounds, state);
}

function isBinary(value: object): value is ArrayBufferView | ArrayBuffer {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

function write(value: unknown, depth: number, b: JsonBounds, state: { used: number }): string {
  const text = writeInner(value, depth, b, state);
  state.used += text.length;
  return text;
}

function writeInner(value: unknown, depth: number, b: JsonBounds, state: { used: number }): string {
  switch (typeof value) {
    case "string":
      return quote(value, b.maxString);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return String(value);
    case "bigint":
      return value.toString();
    case "undefined":
    case "function":
    case "symbol":
      return "null";
    default:
      break;
  }
  if (value === null) return "null";
  const obj = value as object;
  if (isBinary(obj)) return `"<binary ${obj.byteLength} bytes>"`;
  const isArray = Array.isArray(obj);
  const [open, close] = isArray ? ["[", "]"] : ["{", "}"];
  const keys = isArray ? [] : Object.keys(obj);
  const count = isArray ? (obj as unknown[]).length : keys.length;
  if (count === 0) return open + close;
  if (depth >= b.maxDepth) return `${open}… ${count} more${close}`;
  // Brackets, items and commas joined once: `open + items + close` left each value's text a ConsString
  // that decoded messages kept unflattened (issue 18).
  const parts: string[] = [open];
  for (let i = 0; i < count; i++) {
    if (i > 0) parts.push(",");
    if (i >= b.maxItems || state.used >= b.budget) {
      parts.push(`… ${count - i} more`);
      break;
    }
    // Reads go through a descriptor: parsed JSON has no getters, but be safe with anything else.
    const key = isArray ? String(i) : keys[i];
    const item = Object.getOwnPropertyDescriptor(obj, key)?.value;
    const piece = write(item, depth + 1, b, state);
    if (!isArray) parts.push(quote(key, b.maxString), ":");
    parts.push(piece);
  }
  parts.push(close);
  return parts.join("");
}

function quote(text: string, max: number): string {
  if (text.length <= max) return JSON.stringify(text);
  let end = max;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${JSON.stringify(text.slice(0, end)).slice(0, -1)}… ${text.length - end} more"`;
}
