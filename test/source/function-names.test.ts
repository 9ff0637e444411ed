import { beforeAll, describe, expect, it } from "vitest";
import { scanFunctions } from "../../src/source/scan-functions.js";
import { createScratchProject, loadTsMorph, type TsMorphModule } from "../../src/source/ts-morph-loader.js";
import type { IndexedFunction } from "../../src/source/types.js";

/** A TypeScript module in the style of the socket.io sources… */
const SOURCE_TS = `
import { setTimeout } from "timers";
import { EventEmitter } from "events";

/** An engine. */
export class Engine extends EventEmitter {
  private timer = () => undefined;

  constructor(private opts: object) {
    super();
  }

  public get ready(): boolean {
    return true;
  }

  public static create(): Engine {
    return new Engine({});
  }

  /**
   * Takes over a server.
   */
  public attach(server: EventEmitter): void {
    function check(req: unknown): boolean {
      return req !== undefined;
    }
    server.on("request", (req: unknown) => {
      check(req);
    });
    setTimeout(() => this.ping(), 10);
  }

  private ping(): Promise<number> {
    return new Promise((resolve) => resolve(1));
  }
}

export function encode(packet: number[]): number[] {
  return packet.map((x) => x + 1);
}

export const decode = (data: string): string => data;
`;

/** …and what tsc makes of it (CommonJS, ES2018): helpers, re-exports, moved fields. */
const COMPILED_JS = `"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.decode = exports.Engine = void 0;
exports.encode = encode;
const timers_1 = require("timers");
const events_1 = require("events");
Object.defineProperty(exports, "EventEmitter", { enumerable: true, get: function () { return events_1.EventEmitter; } });
/** An engine. */
class Engine extends events_1.EventEmitter {
    constructor(opts) {
        super();
        this.opts = opts;
        this.timer = () => undefined;
    }
    get ready() {
        return true;
    }
    static create() {
        return new Engine({});
    }
    /**
     * Takes over a server.
     */
    attach(server) {
        function check(req) {
            return req !== undefined;
        }
        server.on("request", (req) => {
            check(req);
        });
        (0, timers_1.setTimeout)(() => this.ping(), 10);
    }
    ping() {
        return new Promise((resolve) => resolve(1));
    }
}
exports.Engine = Engine;
function encode(packet) {
    return packet.map((x) => x + 1);
}
const decode = (data) => data;
exports.decode = decode;
var PacketType;
(function (PacketType) {
    PacketType[PacketType["OPEN"] = 0] = "OPEN";
})(PacketType || (exports.PacketType = PacketType = {}));
`;

let tsm: TsMorphModule;

function scan(path: string, text: string): readonly IndexedFunction[] {
  return scanFunctions(tsm, createScratchProject(tsm).createSourceFile(path, text)).functions;
}

beforeAll(async () => {
  tsm = await loadTsMorph();
});

describe("function names", () => {
  it("names members, nested functions and closures by place", () => {
    expect(scan("/src.ts", SOURCE_TS).map((f) => [f.name, f.kind])).toEqual([
      ["Engine.timer", "arrow"],
      ["Engine.constructor", "constructor"],
      ["Engine.ready", "getter"],
      ["Engine.create", "method"],
      ["Engine.attach", "method"],
      ["check in Engine.attach", "function"],
      ["<anonymous request listener in Engine.attach>", "arrow"],
      ["<anonymous setTimeout callback in Engine.attach>", "arrow"],
      ["Engine.ping", "method"],
      ["<anonymous Promise executor in Engine.ping>", "arrow"],
      ["encode", "function"],
      ["<anonymous map callback in encode>", "arrow"],
      ["decode", "arrow"],
    ]);
  });

  it("gives compiled JavaScript the same names as its TypeScript source", () => {
    const compiled = scan("/build.js", COMPILED_JS).filter((f) => !f.generated);
    const source = scan("/src.ts", SOURCE_TS);
    // A field initialiser moves into the compiled constructor: members are matched without their enclosing.
    const key = (f: IndexedFunction) =>
      `${f.name}|${f.className ?? ""}|${f.member ?? ""}|${f.className === undefined ? (f.enclosing ?? "") : ""}`;
    expect(compiled.map(key).sort()).toEqual(source.map(key).sort());
  });

  it("marks the compiler's own glue as generated", () => {
    const generated = scan("/build.js", COMPILED_JS).filter((f) => f.generated);
    expect(generated.map((f) => f.name)).toEqual(["__importDefault", "<anonymous get getter>", "<anonymous IIFE>"]);
  });

  it("keeps doc comments with the declaration they document", () => {
    const attach = scan("/build.js", COMPILED_JS).find((f) => f.name === "Engine.attach");
    expect(attach?.doc?.text).toBe("Takes over a server.");
    const line = COMPILED_JS.split("\n").indexOf("    attach(server) {") + 1;
    expect(attach).toMatchObject({ className: "Engine", member: "attach", line, column: 5 });
  });

  it("understands older JavaScript: prototypes, object literals, returned and nested closures", () => {
    const names = scan(
      "/old.js",
      `(function () {
  function Receiver() {}
  Receiver.prototype.add = function (data) {
    this.buffers.push(data);
  };
  var handlers = { open: function () {}, close() {} };
  function wrap(options) {
    return function middleware(req, res, next) {
      options(req, function (err) { next(err); });
    };
  }
  function factory() {
    return function () {};
  }
}());`,
    ).map((f) => f.name);
    expect(names).toEqual([
      "<anonymous IIFE>",
      "Receiver",
      "Receiver.add",
      "handlers.open",
      "handlers.close",
      "wrap",
      "middleware in wrap",
      "<anonymous options callback in middleware in wrap>",
      "factory",
      "<anonymous returned function in factory>",
    ]);
  });
});
