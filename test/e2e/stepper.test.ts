/**
 * The interactive stepper end to end: the built binary in a real terminal
 * (tmux, 80×24), driven by keys like a user would, checked on screen, on disk
 * and in the process table.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ENTRY, idle, terminalSuite } from "../helpers/tmux-terminal.js";
import { redisGate } from "../helpers/redis-server.js";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

terminalSuite("the interactive stepper in a terminal", (open) => {
  it("steps through all 8 steps live, exports, and quits with 0 leaving no process behind", async () => {
    const started = Date.now();
    const terminal = open([ENTRY, "--offline"]);
    // The splash goes up before ink has loaded; the stepper replaces it.
    const first = await terminal.waitFor((s) => s.includes("q quit") && /starting…|no step run yet/.test(s), "the first paint");
    const firstPaint = Date.now() - started;
    expect(first.split("\n").length).toBeGreaterThanOrEqual(24);
    await terminal.waitFor((s) => s.includes("no step run yet"), "the stepper");
    const stepper = Date.now() - started;
    await terminal.waitFor((s) => s.includes("press → to run step 1"), "the traced server");
    const ready = Date.now() - started;

    const pids = new Map<number, string>();
    for (let step = 1; step <= 8; step++) {
      terminal.keys("n");
      const screen = await terminal.waitFor(idle(step, 8), `step ${step} to finish`);
      expect(screen).toContain(`step ${step}/8`);
      for (const [pid, args] of terminal.descendants()) pids.set(pid, args);
      if (step === 5) expect(screen).toMatch(/│step 5 · what happens · J\/K · 1-\d+\/\d+/);
    }
    expect([...pids.values()].some((args) => args.includes("traced-process.js"))).toBe(true);
    expect([...pids.values()].some((args) => args.includes("client-process.js"))).toBe(true);

    // Resizing re-lays out the whole screen, and back.
    terminal.tmux("resize-window", "-t", "stepper", "-x", "110", "-y", "32");
    let resized = await terminal.waitFor((s) => s.split("\n")[31]?.startsWith("→/n next ←/p prev ↑↓ move J/K story") === true, "the 110×32 layout");
    expect(resized.split("\n")[0]).toMatch(/^trace-socket · chat · step 8\/8/);
    expect(resized).toMatch(/│step 8 · what happens[\s\S]*│source[\s\S]*│frames \d+/);
    terminal.tmux("resize-window", "-t", "stepper", "-x", "80", "-y", "24");
    resized = await terminal.waitFor((s) => s.split("\n")[23]?.startsWith("n/p step ↑↓ J/K story ⏎ tab / b g o r/R v lane z zoom e l s state a act") === true, "the 80×24 layout again");
    expect(resized.split("\n")[1]).toMatch(/^steps 8\/8 run +│step 8 · what happens/);

    // Back through the recorded steps: nothing re-runs.
    terminal.keys("p", "p", "p");
    await terminal.waitFor((s) => s.includes("step 5/8") && s.includes("steps 8/8 run"), "stepping back");

    terminal.keys("e");
    const exported = await terminal.waitFor((s) => /exported → /.test(s), "the export", 60_000);
    expect(exported).toContain("trace-socket-report.md");
    const report = readFileSync(join(terminal.dir, "trace-socket-report.md"), "utf8");
    expect(report).toMatch(/^# How socket\.io really works/);
    expect(report).toContain("## Step 8 — disconnect");
    // A second export never overwrites the first, and says where it went.
    terminal.keys("e");
    await terminal.waitFor((s) => s.includes("trace-socket-report-2.md"), "the second export", 60_000);
    expect(readFileSync(join(terminal.dir, "trace-socket-report.md"), "utf8")).toBe(report);
    expect(existsSync(join(terminal.dir, "trace-socket-report-2.md"))).toBe(true);

    terminal.keys("q");
    expect(await terminal.exitCode()).toBe(0);
    expect(terminal.stderr()).toBe("");
    const left = [...pids].filter(([pid]) => alive(pid));
    expect(left).toEqual([]);
    console.info(`stepper e2e: first paint ${firstPaint} ms, stepper ${stepper} ms, traced server ready ${ready} ms, whole walk ${Date.now() - started} ms`);
  });

  it("exits 130 on ctrl-c and still closes the traced server and client; NO_COLOR leaves no colour", async () => {
    const terminal = open([ENTRY, "--offline"], { NO_COLOR: "1" });
    await terminal.waitFor((s) => s.includes("press → to run step 1"), "the traced server");
    const colours = [...terminal.screen(true).matchAll(/\u001B\[([0-9;]*)m/g)]
      .flatMap((m) => m[1].split(";").map(Number))
      .filter((n) => (n >= 30 && n <= 38) || (n >= 40 && n <= 48) || (n >= 90 && n <= 107));
    expect(colours).toEqual([]);
    // Keys pressed while a step runs queue up behind it.
    terminal.keys("n", "n", "n", "n", "n");
    await terminal.waitFor(idle(5, 8), "steps 1 to 5");
    const pids = terminal.descendants();
    expect(pids.size).toBeGreaterThanOrEqual(3);
    terminal.keys("C-c");
    expect(await terminal.exitCode()).toBe(130);
    expect([...pids.keys()].filter(alive)).toEqual([]);
  });

  it("at 80×24 keeps the step's story readable: scrolled with J/K, zoomed with z; o opens the call in $EDITOR, y copies a frame", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trace-socket-editor-"));
    const opened = join(dir, "opened.txt");
    writeFileSync(join(dir, "editor.sh"), `echo "$@" > '${opened}'\n`);
    const terminal = open([ENTRY, "--offline"], { EDITOR: `sh ${join(dir, "editor.sh")}` });
    terminal.tmux("set-option", "-g", "set-clipboard", "on");
    await terminal.waitFor((s) => s.includes("press → to run step 1"), "the traced server");
    terminal.keys("n");
    let screen = await terminal.waitFor(idle(1, 8), "step 1");
    const range = /step 1 · what happens · J\/K · 1-(\d+)\/(\d+)/.exec(screen);
    expect(range).not.toBeNull();
    expect(screen).toContain("Constructing the Server");
    terminal.keys("J", "J");
    screen = await terminal.waitFor((s) => s.includes(`· 3-${Number(range![1]) + 2}/${range![2]}`), "the story scrolled by two lines");
    expect(screen).toContain("calls 26");
    terminal.keys("BTab", "z");
    await terminal.waitFor((s) => !s.includes("steps 1/8 run") && s.includes("step 1 · what happens"), "the story zoomed");
    terminal.keys("z", "Tab");
    await terminal.waitFor((s) => s.includes("steps 1/8 run") && s.includes("source · index.js:99"), "back to the panes");
    terminal.keys("o");
    await terminal.waitFor((s) => s.includes("opened node_modules/socket.io/dist/index.js:99"), "the editor to return");
    expect(readFileSync(opened, "utf8").trim()).toMatch(/^\+99 \/.*\/node_modules\/socket\.io\/dist\/index\.js$/);
    for (let step = 2; step <= 5; step++) {
      terminal.keys("n");
      await terminal.waitFor(idle(step, 8), `step ${step}`);
    }
    terminal.keys("Tab", "Tab");
    screen = await terminal.waitFor((s) => /frames \d+ · → read ← written/.test(s) && s.includes("h ping/pong d dir"), "the frames pane with its keys");
    expect(screen).toMatch(/› +\+\d+\.\d{3} +\d+B → poll \S+ GET \/socket\.io\/\?EIO=4/);
    terminal.keys("y");
    await terminal.waitFor((s) => s.includes("copied "), "the copy");
    expect(terminal.tmux("show-buffer")).toMatch(/^GET \/socket\.io\/\?EIO=4&transport=polling/);
    terminal.keys("q");
    expect(await terminal.exitCode()).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(redisGate.skip)("--scenario redis on a real redis-server: each server's frames under its own header, Redis frames named by their peer, v shows server B alone", async () => {
    redisGate.assertPresent();
    const terminal = open([ENTRY, "--scenario", "redis", "--offline"]);
    await terminal.waitFor((s) => s.includes("press → to run step 1"), "the traced servers", 60_000);
    for (let step = 1; step <= 6; step++) {
      terminal.keys("n");
      await terminal.waitFor(idle(step, 12), `step ${step}`, 60_000);
    }
    // Step 6: client 1's message, A's PUBLISH, B's pub/sub message and B's frame to client 2.
    expect(terminal.screen()).toContain("── server A");
    terminal.keys("Tab", "Tab");
    await terminal.waitFor((s) => /frames \d+ · → read ← written/.test(s) && s.includes("h ping/pong d dir"), "the frames pane");
    terminal.keys("z");
    let screen = await terminal.waitFor((s) => s.split("\n")[1]?.startsWith("frames ") === true, "the frames pane zoomed");
    expect(screen.split("\n")[2]).toBe("── server A");
    expect(screen).toMatch(/→ ws \S+ 42\["chat message","hi from client 1"\]/);
    expect(screen).toMatch(/← Redis c\d+ \*3\\r\\n\$7\\r\\nPUBLISH/);
    expect(screen).toContain("client → server A");
    terminal.keys("v", "v");
    screen = await terminal.waitFor((s) => s.includes("server B only") && s.includes("── server B"), "server B alone");
    expect(screen.split("\n")[0]).toMatch(/^trace-socket · redis · server B only/);
    expect(screen).toMatch(/frames \d+ · server B · /);
    expect(screen).toContain("── server B");
    expect(screen).not.toContain("── server A");
    expect(screen).toMatch(/→ Redis c\d+ \S*pmessage/);
    expect(screen).toMatch(/← ws \S+ 42\["chat message","A relays: hi from client 1"\]/);
    expect(screen).toContain("Redis → server B");
    terminal.keys("q");
    expect(await terminal.exitCode(30_000)).toBe(0);
    // Two traced servers and a redis-server starting, then six live steps: 48 s here at load 10–20, past
    // the 60 s default under more; each wait above is on the screen, this only bounds the whole.
  }, 180_000);

  it("exits 1 with a readable message when the traced server dies", async () => {
    const terminal = open([ENTRY, "--offline"]);
    await terminal.waitFor((s) => s.includes("press → to run step 1"), "the traced server");
    terminal.keys("n");
    await terminal.waitFor(idle(1, 8), "step 1");
    const pids = terminal.descendants();
    const traced = [...pids].find(([, args]) => args.includes("traced-process.js"));
    expect(traced).toBeDefined();
    process.kill(traced![0], "SIGKILL");
    expect(await terminal.exitCode()).toBe(1);
    expect(terminal.stderr()).toMatch(/^trace-socket: the traced (server|app) exited unexpectedly \((signal )?SIGKILL\)/);
    expect([...pids.keys()].filter(alive)).toEqual([]);
  });
});
