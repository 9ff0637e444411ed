import { describe, expect, it } from "vitest";
import { equalsDefault, formatValue, parseDefault, valueAt } from "../../src/source/option-values.js";

describe("option values", () => {
  it("reads literal defaults and refuses prose", () => {
    expect(parseDefault("25000")).toEqual({ value: 25000 });
    expect(parseDefault("1e6 (1 MB)")).toEqual({ value: 1e6 });
    expect(parseDefault('"/socket.io"')).toEqual({ value: "/socket.io" });
    expect(parseDefault("'*'")).toEqual({ value: "*" });
    expect(parseDefault('["polling", "websocket"]')).toEqual({ value: ["polling", "websocket"] });
    expect(parseDefault("false")).toEqual({ value: false });
    expect(parseDefault("the in-memory adapter (https://github.com/socketio/socket.io-adapter)")).toBeUndefined();
    expect(parseDefault('`require("ws").Server`')).toBeUndefined();
  });

  it("compares values in force with documented defaults", () => {
    expect(equalsDefault(25000, "25000")).toBe(true);
    expect(equalsDefault(1000, "25000")).toBe(false);
    expect(equalsDefault(["polling", "websocket"], '["polling", "websocket"]')).toBe(true);
    expect(equalsDefault({}, "the in-memory adapter")).toBeUndefined();
  });

  it("formats values for readers and finds them flat or nested", () => {
    expect(formatValue("/socket.io")).toBe('"/socket.io"');
    expect(formatValue({ origin: [/example\.com$/], fn: function allow() {} })).toBe('{"origin":["/example\\\\.com$/"],"fn":"[Function allow]"}');
    expect(formatValue(() => 1)).toBe("[Function anonymous]");
    expect(formatValue("x".repeat(500))).toHaveLength(160);
    expect(valueAt({ cors: { origin: "*" } }, "cors.origin")).toEqual({ value: "*" });
    expect(valueAt({ "cors.origin": "*" }, "cors.origin")).toEqual({ value: "*" });
    expect(valueAt({ cors: {} }, "cors.origin")).toBeUndefined();
  });
});
