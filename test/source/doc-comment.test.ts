import { describe, expect, it } from "vitest";
import { docTag, parseDocComment } from "../../src/source/doc-comment.js";

describe("parseDocComment", () => {
  it("splits the description from the tags and drops the gutter", () => {
    const doc = parseDocComment(`/**
     * Registers a middleware.
     *
     * Runs for every incoming socket.
     *
     * @param fn - the middleware function
     * @default 25000
     */`);
    expect(doc).toEqual({
      text: "Registers a middleware.\n\nRuns for every incoming socket.",
      tags: [
        { tag: "param", text: "fn - the middleware function" },
        { tag: "default", text: "25000" },
      ],
    });
    expect(docTag(doc, "default")).toBe("25000");
    expect(docTag(doc, "returns")).toBeUndefined();
  });

  it("keeps example code as written, indentation and decorators included", () => {
    const doc = parseDocComment(`/**
     * @example
     * io.use((socket, next) => {
     *   @decorated
     *   next();
     * });
     *
     * @param fn - the middleware
     */`);
    expect(doc?.tags).toEqual([
      { tag: "example", text: "io.use((socket, next) => {\n  @decorated\n  next();\n});" },
      { tag: "param", text: "fn - the middleware" },
    ]);
  });

  it("reads one-line comments and ignores empty ones", () => {
    expect(parseDocComment("/** @default '*' */")).toEqual({ text: "", tags: [{ tag: "default", text: "'*'" }] });
    expect(parseDocComment("/** how many ms before a ping */")?.text).toBe("how many ms before a ping");
    expect(parseDocComment("/**\n *\n */")).toBeUndefined();
  });
});
