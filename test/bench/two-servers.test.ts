/**
 * The two-server bench's pure parts: what counts as a message crossing from one server to the
 * other (RelayTracker) and how both servers' windows add up per message (combine).
 */
import { describe, expect, it } from "vitest";
import { RelayTracker, type RelayPayload } from "../../bench/lib/relay-tracker.js";
import { combine } from "../../bench/lib/two-servers.js";

const fromA: RelayPayload = { from: "a1", side: "a", n: 7, text: "x" };

describe("RelayTracker", () => {
  it("a message from A crosses when a client on B receives it, with its round trip in µs", () => {
    const tracker = new RelayTracker();
    tracker.sent(fromA, 100);
    expect(tracker.outstanding).toBe(1);
    expect(tracker.received("b", { ...fromA }, 102.5)).toBe(2500);
    expect(tracker.outstanding).toBe(0);
  });

  it("its own server's clients receiving it is no crossing", () => {
    const tracker = new RelayTracker();
    tracker.sent(fromA, 100);
    expect(tracker.received("a", fromA, 101)).toBeUndefined();
    expect(tracker.outstanding).toBe(1);
  });

  it("a crossing counts once, and messages are told apart by sender and number", () => {
    const tracker = new RelayTracker();
    tracker.sent(fromA, 100);
    tracker.sent({ ...fromA, n: 8 }, 101);
    tracker.sent({ ...fromA, from: "a2" }, 102);
    expect(tracker.received("b", { ...fromA, n: 8 }, 104)).toBe(3000);
    expect(tracker.received("b", { ...fromA, n: 8 }, 105)).toBeUndefined();
    expect(tracker.received("b", { ...fromA, from: "a2" }, 106)).toBe(4000);
    expect(tracker.outstanding).toBe(1);
  });

  it("a message it never sent is not counted", () => {
    expect(new RelayTracker().received("a", { from: "b0", side: "b", n: 0, text: "" }, 1)).toBeUndefined();
  });
});

describe("combine", () => {
  it("sums both servers' CPU, CLI-side CPU, peak RSS and drops, per crossed message", () => {
    const result = combine(
      [
        { cpuUs: 300_000, hostCpuUs: 100_000, peakRss: 80e6, dropped: 40 },
        { cpuUs: 500_000, hostCpuUs: 60_000, peakRss: 90e6, dropped: 0 },
      ],
      2000,
      4000,
    );
    expect(result).toEqual({ msgPerSec: 500, serverCpuUsPerMsg: 400, hostCpuUsPerMsg: 80, peakRss: 170e6, droppedPerMsg: 0.02 });
  });

  it("bare servers have no CLI side: those figures are NaN (shown as –), not 0", () => {
    const result = combine([{ cpuUs: 10, hostCpuUs: NaN, peakRss: 1, dropped: NaN }], 10, 1000);
    expect(result.hostCpuUsPerMsg).toBeNaN();
    expect(result.droppedPerMsg).toBeNaN();
    expect(result.serverCpuUsPerMsg).toBe(1);
  });
});
