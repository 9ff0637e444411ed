/**
 * socket.io's own DEBUG lines, on a real run of the built binary: each line
 * the traced server's `debug` printed is shown once, under its step, beside
 * the call that printed it; none reaches the CLI's stderr.
 */
import { describe, expect, it } from "vitest";
import { lintMarkdown } from "../export/markdown-check.js";
import { runCli } from "../helpers/cli.js";

const DEBUG = { DEBUG: "socket.io*,engine*" };

/** The text of the step whose heading holds `title`, up to the next step's heading. */
function stepText(stdout: string, title: string): string {
  return stdout.split(/^━━ Step /m).find((part) => part.split("\n")[0].includes(title)) ?? "";
}

function count(text: string, needle: RegExp): number {
  return [...text.matchAll(new RegExp(needle.source, "g"))].length;
}

describe("DEBUG=socket.io*,engine*", () => {
  it("links each debug line to the call that printed it, under its step, printed once", async () => {
    const { code, stdout, stderr } = await runCli(["--no-interactive"], DEBUG);
    expect(code).toBe(0);
    // Nothing of the family's debug output on the CLI's own stderr: not the server's, not this process's decoders'.
    expect(stderr).not.toMatch(/socket\.io|engine/);
    expect(count(stdout, /handshaking client/)).toBe(1);
    expect(count(stdout, /incoming connection with id/)).toBe(1);
    const connect = stepText(stdout, "connect: ");
    const sid = /Engine\.IO open \{"sid":"([\w-]+)"/.exec(connect)?.[1];
    expect(sid, "the open packet's sid").toBeDefined();
    expect(connect).toMatch(/^ {2}debug {3}\d+ lines printed by the traced process's `debug` \(DEBUG\)$/m);
    expect(connect).toContain(`    engine handshaking client "${sid}"  (call #`);
    expect(connect).toMatch(/ {4}engine handshaking client "[\w-]+" {2}\(call #\d+ BaseServer\.handshake\)$/m);
    expect(connect).toMatch(/ {4}socket\.io:server incoming connection with id [\w-]+ {2}\(call #\d+ Server\.onconnection\)$/m);
    // The name is looked up by the line's call seq in the step's own call tree, where the call is listed.
    expect(connect).toMatch(/^ +BaseServer\.handshake {2}node_modules\/engine\.io\/build\/server\.js:\d+/m);
    // Step 1 is new Server(): its namespace and engine set-up, said by socket.io itself.
    expect(stepText(stdout, "init: ")).toMatch(/socket\.io:server initializing namespace \/ {2}\(call #\d+ Server\.of\)$/m);
  });

  it("lists them in the report beside the call, linked to its source", async () => {
    const { code, stdout } = await runCli(["export", "--offline", "-o", "-"], DEBUG);
    expect(code).toBe(0);
    expect(count(stdout, /handshaking client/)).toBe(1);
    const connect = stdout.slice(stdout.indexOf("\n## Step 5"), stdout.indexOf("\n## Step 6"));
    expect(connect).toContain("### Printed by socket.io (DEBUG)");
    expect(connect).toMatch(/^\| `engine handshaking client "[\w-]+"` \| #\d+ \[`BaseServer\.handshake`\]\(/m);
    expect(await lintMarkdown(stdout)).toEqual([]);
  });
});
