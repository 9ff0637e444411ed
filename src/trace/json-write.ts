/**
 * `JSON.stringify` without recursion: call trees can nest deeper than the
 * stack allows (a recursive app function), and `JSON.stringify` throws a
 * RangeError on those. Same output as `JSON.stringify(value)` for plain data.
 * Pure.
 */

type Frame =
  | { readonly kind: "array"; readonly items: readonly unknown[]; next: number }
  | { readonly kind: "object"; readonly entries: readonly [string, unknown][]; next: number };

function scalar(value: unknown): string | undefined {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "object":
      return undefined;
    default:
      // undefined, functions and symbols: skipped in objects, null in arrays (as JSON.stringify does).
      return "";
  }
}

function open(value: object): { frame: Frame; text: string } {
  // As JSON.stringify does: a value with `toJSON` (a step's `TurnList`) is written as what it returns.
  const own = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof own === "function") return open(own.call(value) as object);
  if (Array.isArray(value)) return { frame: { kind: "array", items: value, next: 0 }, text: "[" };
  const entries = Object.entries(value).filter(([, v]) => scalar(v) !== "");
  return { frame: { kind: "object", entries, next: 0 }, text: "{" };
}

/** Serialises plain JSON data of any depth. */
export function stringifyDeep(value: unknown): string {
  const first = scalar(value);
  if (first !== undefined) return first === "" ? "null" : first;
  const parts: string[] = [];
  const stack: Frame[] = [];
  const start = open(value as object);
  parts.push(start.text);
  stack.push(start.frame);
  while (stack.length) {
    const frame = stack[stack.length - 1];
    const isArray = frame.kind === "array";
    const length = isArray ? frame.items.length : frame.entries.length;
    if (frame.next >= length) {
      parts.push(isArray ? "]" : "}");
      stack.pop();
      continue;
    }
    const index = frame.next++;
    if (index > 0) parts.push(",");
    let item: unknown;
    if (frame.kind === "array") item = frame.items[index];
    else {
      const [key, v] = frame.entries[index];
      parts.push(JSON.stringify(key), ":");
      item = v;
    }
    const text = scalar(item);
    if (text !== undefined) {
      parts.push(text === "" ? "null" : text);
      continue;
    }
    const nested = open(item as object);
    parts.push(nested.text);
    stack.push(nested.frame);
  }
  return parts.join("");
}

/** `JSON.stringify`, falling back to the iterative writer only when the value is too deep for it. */
export function stringifyAny(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "null";
  } catch (error) {
    if (error instanceof RangeError) return stringifyDeep(value);
    throw error;
  }
}
