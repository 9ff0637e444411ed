/**
 * The compare pane's content: which trace is which side, two columns cut to
 * the pane's width, one step's rows.
 */
import { describe, expect, it } from "vitest";
import { columnRow, columnWidths, compareByStep, compareLines, compareSides, isFlaskTrace } from "../../src/ui/compare-lines.js";
import { width } from "../../src/export/text-fit.js";
import { fixtureTrace } from "../helpers/trace-fixture.js";
import { flaskFixtureTrace } from "./compare-fixture.js";

const node = fixtureTrace();
const flask = flaskFixtureTrace();

describe("compareSides", () => {
  it("keeps Node on the left whichever trace the stepper runs", () => {
    expect(isFlaskTrace(flask)).toBe(true);
    expect(isFlaskTrace(node)).toBe(false);
    expect(compareSides(node, flask)).toEqual({ node, python: flask });
    expect(compareSides(flask, node)).toEqual({ node, python: flask });
  });
});

describe("columnRow", () => {
  it("splits the width around the separator and cuts long text with …", () => {
    expect(columnWidths(47)).toEqual([22, 22]);
    expect(columnWidths(48)).toEqual([22, 23]);
    const row = columnRow("Server.constructor › a very long name indeed", "SocketIO.__init__", 47);
    expect(row).toBe("Server.constructor › …" + " │ " + "SocketIO.__init__");
    expect(width(columnRow("x".repeat(99), "y".repeat(99), 47))).toBe(47);
  });

  it("strips control characters the user's code may hold", () => {
    expect(columnRow("a\tb", "c\u001b[31md", 20)).toBe("a  b     │ cd");
  });
});

describe("compareLines", () => {
  const steps = compareByStep(node, flask);

  it("pairs steps by id and lists titles, user code, then calls by depth", () => {
    const lines = compareLines(steps.get("init"), 61);
    expect(lines.map((l) => l.text)).toEqual([
      columnRow("init: new Server(httpServer, options)", "init: SocketIO(app)", 61),
      columnRow("traces/chat/server.mjs:20  const io = new Server(httpServer);", "traces/chat-flask/app.py:12  socketio = SocketIO(app)", 61),
      columnRow("Server.constructor", "SocketIO.__init__", 61),
      columnRow("  Server.of", "  Server.__init__", 61),
      columnRow("    Namespace.constructor", "", 61),
      columnRow("  Server.attach", "", 61),
    ]);
    expect(lines.map((l) => l.tone)).toEqual(["heading", "code", "plain", "plain", "plain", "plain"]);
  });

  it("says when a step exists on one side only, and when there is no step", () => {
    expect(compareLines(steps.get("message"), 61)[0].text).toContain("(not in the Flask chat)");
    expect(compareLines(steps.get("flask-only"), 61)[0].text).toMatch(/^\(not in the Node chat\) +│ flask-only/);
    expect(compareLines(undefined, 61)).toEqual([{ text: "no step to compare yet", tone: "dim" }]);
  });
});
