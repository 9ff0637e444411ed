/**
 * Entry of the built-in client process: a real socket.io-client, untraced, that
 * runs the scenario's client script one step at a time on the CLI's command.
 */
import { register } from "node:module";
import { Socket } from "node:net";
import { pathToFileURL } from "node:url";
import { PAUSE_GLOBAL, type StepAnchor } from "../instrument/step-points.js";
import type { LoaderData } from "../instrument/esm-loader.js";
import { CHANNEL_TAG, type FromClient } from "../runtime/node/protocol.js";

const { entry, anchors } = JSON.parse(process.env.TRACE_SOCKET_CLIENT ?? "{}") as { entry: string; anchors: StepAnchor[] };
delete process.env.TRACE_SOCKET_CLIENT;

function send(message: FromClient): void {
  if (process.connected) process.send?.({ [CHANNEL_TAG]: 1, ...message });
}

const data: LoaderData = { pauses: { file: entry, anchors } };
register(new URL("../instrument/esm-loader.js", import.meta.url).href, { data });

// The CLI is gone: nobody will say continue.
process.on("disconnect", () => process.exit(0));

// Writes the client makes in one turn of the event loop (a WebSocket `41` and the close frame
// after it, say) leave in one TCP write, so the traced server reads them the same way in every
// run instead of in one or two reads depending on timing.
const batching = new WeakSet<Socket>();
const write = Socket.prototype.write;
Socket.prototype.write = function (this: Socket, ...args: Parameters<Socket["write"]>): boolean {
  if (!batching.has(this)) {
    batching.add(this);
    this.cork();
    setImmediate(() => {
      batching.delete(this);
      this.uncork();
    });
  }
  return write.apply(this, args);
} as Socket["write"];

let resume: (() => void) | undefined;
process.on("message", (raw: unknown) => {
  const message = raw as { [CHANNEL_TAG]?: number; t?: string } | undefined;
  if (message?.[CHANNEL_TAG] !== 1 || message.t !== "continue") return;
  const next = resume;
  resume = undefined;
  next?.();
});

(globalThis as Record<string, unknown>)[PAUSE_GLOBAL] = (step: number) => {
  send({ t: "paused", step });
  return new Promise<void>((resolve) => {
    resume = resolve;
  });
};

try {
  await import(pathToFileURL(entry).href);
  send({ t: "done" });
} catch (error) {
  send({ t: "error", message: String((error as Error)?.stack ?? error) });
  process.exitCode = 1;
}
// The CLI's channel would keep this process alive; the script is done.
process.removeAllListeners("disconnect");
process.disconnect?.();
