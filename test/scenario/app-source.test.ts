/**
 * Reading an app's code for what to claim about it, on hand-written source:
 * the function a line hands over, and what a handler's own body calls, with
 * the functions nested in it cut out.
 */
import { describe, expect, it } from "vitest";
import { bodyCalls, eventOf, handedFunction, type AppSource } from "../../src/scenario/app-source.js";
import type { FunctionInfo } from "../../src/trace/model.js";

const FILE = "apps/x/server.js";
const LINES = [
  'io.use(auth);', //                                           1
  'function auth(socket, next) { next(); }', //                 2
  'io.on("connection", (socket) => {', //                       3
  '  socket.join("ops");', //                                   4
  '  socket.on("shout", (text, ack) => {', //                   5
  '    io.to("ops").emit("shouted", text);', //                 6
  '    ack("ok");', //                                          7
  '  });', //                                                   8
  '  socket.on("disconnect", onGone);', //                      9
  '  socket.emit("welcome");', //                               10
  '});', //                                                     11
  'function onGone() { this.emit("bye"); }', //                 12
];

function fn(id: number, name: string, line: number, column: number, endLine: number): FunctionInfo {
  return { id, name, file: FILE, line, column, endLine, pkg: "app", kind: "closure" };
}

const functions = [
  fn(1, "auth", 2, 1, 2),
  fn(2, "<anonymous connection listener in server.js>", 3, 21, 11),
  fn(3, "<anonymous shout listener in server.js>", 5, 22, 8),
  fn(4, "onGone", 12, 1, 12),
];
const source: AppSource = { functions, lines: (file) => (file === FILE ? LINES : []) };

describe("what an app's line hands to socket.io", () => {
  it("a function declared on the line, else the one its last argument names", () => {
    expect(handedFunction(source, FILE, 3, LINES[2])).toMatchObject({ ref: `@${FILE}:3`, place: "server.js:3" });
    expect(handedFunction(source, FILE, 1, LINES[0])?.fn.name).toBe("auth");
    expect(handedFunction(source, FILE, 4, LINES[3])).toBeUndefined();
    expect(eventOf(LINES[2])).toBe("connection");
  });

  it("a handler's own body: its room, its emits and its listeners, not what nested functions do", () => {
    const body = bodyCalls(source, functions[1]);
    expect(body).toMatchObject({ joins: true, emitsToSocket: true, broadcasts: false, disconnects: false, leaves: false });
    expect(body.listeners.map((l) => [l.event, l.handler.fn.name])).toEqual([
      ["shout", "<anonymous shout listener in server.js>"],
      ["disconnect", "onGone"],
    ]);
    expect(bodyCalls(source, functions[2])).toMatchObject({ broadcasts: true, emitsToSocket: false, joins: false });
    // `this` is the socket in a listener declared with `function`.
    expect(bodyCalls(source, functions[3])).toMatchObject({ emitsToSocket: true, broadcasts: false });
  });
});
