/**
 * Actions from the stepper end to end: the built binary in a real terminal
 * (tmux, 80×24) on the built-in chat, a real socket.io server and a real
 * socket.io-client process. After the client connected, the action menu (`a`)
 * emits to the client's room (a payload that is not JSON first: refused in the
 * pane) and disconnects the socket; the exported report holds both as steps,
 * with the frames the client received.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ENTRY, idle, terminalSuite } from "../helpers/tmux-terminal.js";

/** The report's section of one step, from its heading to the next step's. */
function section(report: string, heading: string): string {
  const start = report.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const next = report.indexOf("\n## Step ", start + heading.length);
  return report.slice(start, next < 0 ? undefined : next);
}

terminalSuite("actions from the stepper in a terminal", (open) => {
  it("emits to a room and disconnects a socket, each a step with its frames in the exported report", async () => {
    const terminal = open([ENTRY, "--offline"]);
    await terminal.waitFor((s) => s.includes("press → to run step 1"), "the traced server", 60_000);
    for (let step = 1; step <= 5; step++) {
      terminal.keys("n");
      await terminal.waitFor(idle(step, 8), `step ${step}`, 60_000);
    }
    // The footer at 80 columns lists the state view and the actions.
    expect(terminal.screen().split("\n")[23]).toMatch(/s state a act/);

    terminal.keys("a");
    await terminal.waitFor((s) => s.includes("1  emit an event to a socket"), "the action menu");
    terminal.keys("2");
    const rooms = await terminal.waitFor((s) => s.includes("which room?"), "the rooms");
    // The chat's one socket, in its own room: the first (and only) room listed.
    const sid = /^ {2}([\w-]{20})  \/ · 1 member$/m.exec(rooms)?.[1];
    expect(sid, rooms).toBeDefined();
    terminal.keys("Enter");
    await terminal.waitFor((s) => s.includes("event   ▏"), "the event field");
    terminal.tmux("send-keys", "-t", "stepper", "-l", "news");
    terminal.keys("Enter");
    await terminal.waitFor((s) => s.includes("payload ▏"), "the payload field");
    terminal.tmux("send-keys", "-t", "stepper", "-l", "{bad");
    terminal.keys("Enter");
    await terminal.waitFor((s) => /not JSON, nothing sent: /.test(s), "the bad payload refused");
    expect(terminal.screen()).toContain("step 5/8 connect");
    terminal.keys("BSpace", "BSpace", "BSpace", "BSpace");
    terminal.tmux("send-keys", "-t", "stepper", "-l", '{"headline":"hi"}');
    terminal.keys("Enter");
    let screen = await terminal.waitFor((s) => idle(6, 9)(s) && s.includes("ran io.to("), "the emit's step", 60_000);
    expect(screen).toContain(`6. you: io.to("${sid}")`);
    expect(screen).toContain("from the stepper (a), run in the server:");

    terminal.keys("a", "3");
    await terminal.waitFor((s) => s.includes("disconnect a socket: which socket?"), "the sockets");
    terminal.keys("Enter");
    screen = await terminal.waitFor((s) => idle(7, 10)(s) && s.includes("ran io.sockets.get("), "the disconnect's step", 60_000);
    expect(screen).toContain(`7. you: io.sockets.get("${sid}")`);

    terminal.keys("e");
    await terminal.waitFor((s) => /exported → /.test(s), "the export", 60_000);
    const report = readFileSync(join(terminal.dir, "trace-socket-report.md"), "utf8");
    const emitted = section(report, "## Step 6 — action-1");
    expect(emitted).toContain('Your action, from the stepper\'s menu (`a`), run in the traced server:');
    // The frame the client process received: Engine.IO message 2…, Socket.IO EVENT.
    expect(emitted).toContain('`Socket.IO EVENT, nsp / ["news",{"headline":"hi"}]`');
    expect(emitted).toContain("BroadcastOperator.emit");
    expect(emitted).toContain('The frame written carries the event "news"');
    const gone = section(report, "## Step 7 — action-2");
    expect(gone).toContain("`Socket.IO DISCONNECT, nsp /`");
    expect(gone).toContain("Socket.disconnect writes a DISCONNECT packet (41) to the client.");

    terminal.keys("q");
    expect(await terminal.exitCode()).toBe(0);
  });
});
