// A load process of the two-server bench: `clients` socket.io-client sockets on each of the two
// servers (websocket transport). Each socket keeps `inFlight` "relay" messages outstanding; one
// counts as done (and the socket sends the next) when the process's first socket on the *other*
// server receives it, broadcast through Redis: the round trip is emit on A → receipt on B (and
// B → A). Every other socket receives every message too, as a chat room's clients do. Talks to
// the harness over IPC like load-client/: "ready", then on "go" runs and reports "done".
import { io } from "socket.io-client";
import type { Socket } from "socket.io-client";
import { LoadWindow } from "../lib/load-window.js";
import { histogram, record } from "../lib/histogram.js";
import { toParent, type RelayLoadConfig } from "../lib/messages.js";
import { RelayTracker, type RelayPayload, type Side } from "../lib/relay-tracker.js";

const config = JSON.parse(process.env.BENCH_LOAD ?? "{}") as RelayLoadConfig;
const { urls, clients, inFlight = 1, payloadBytes = 64 } = config;
const text = "x".repeat(payloadBytes);
const hist = histogram();
const tracker = new RelayTracker();
let sent = 0;
let crossed = 0;
const window = new LoadWindow();

interface Member {
  readonly socket: Socket;
  readonly side: Side;
  readonly name: string;
  next: number;
}

const members: Member[] = [];
for (const [index, side] of (["a", "b"] as const).entries()) {
  for (let i = 0; i < clients; i++) {
    const socket = io(urls[index], { transports: ["websocket"], reconnection: false, forceNew: true, timeout: 10_000 });
    members.push({ socket, side, name: `${side}${i}`, next: 0 });
  }
}
await Promise.all(
  members.map(
    ({ socket }) =>
      new Promise<void>((resolve, reject) => {
        socket.once("connect", () => resolve());
        socket.once("connect_error", reject);
      }),
  ),
);
const byName = new Map(members.map((member) => [member.name, member]));

function canSend(): boolean {
  return window.canSend(sent);
}

function sendOne(member: Member): void {
  sent++;
  const payload: RelayPayload = { from: member.name, side: member.side, n: member.next++, text };
  tracker.sent(payload, performance.now());
  member.socket.emit("relay", payload);
}

// The probes: the first socket on each server; the others only receive.
for (const probe of [byName.get("a0")!, byName.get("b0")!]) {
  probe.socket.on("relayed", (payload: RelayPayload) => {
    const us = tracker.received(probe.side, payload, performance.now());
    if (us === undefined) return;
    crossed++;
    record(hist, us);
    if (canSend()) sendOne(byName.get(payload.from)!);
    else if (tracker.outstanding === 0) window.answeredAll();
  });
}
toParent({ t: "ready" });

window.listen({
  start: () => {
    for (const member of members) for (let k = 0; k < inFlight; k++) sendOne(member);
  },
  outstanding: () => tracker.outstanding,
  finish: (elapsedMs) => {
    toParent({ t: "done", sent, acked: crossed, errors: 0, lost: tracker.outstanding, elapsedMs, hist: Array.from(hist) });
    for (const { socket } of members) socket.disconnect();
  },
});
