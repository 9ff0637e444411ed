// The two-server bench's round trip, kept apart from sockets so it is tested on objects: a
// message a client of one server emits counts as arrived when a client of the *other* server
// receives it (through Redis), never when its own server's clients do (that is no crossing).

/** Which of the two servers a client is connected to. */
export type Side = "a" | "b";

/** What a relay client emits and every client receives back: who sent it, its number, padding. */
export interface RelayPayload {
  readonly from: string;
  readonly side: Side;
  readonly n: number;
  readonly text: string;
}

/** Emitted messages awaiting their crossing, and the round trips of those that crossed. */
export class RelayTracker {
  private readonly pending = new Map<string, number>();

  /** Messages emitted but not yet received on the other server. */
  get outstanding(): number {
    return this.pending.size;
  }

  /** Notes that `payload` was emitted at `now` (ms). */
  sent(payload: RelayPayload, now: number): void {
    this.pending.set(`${payload.from}:${payload.n}`, now);
  }

  /**
   * A client on `side` received `payload` at `now` (ms): its round trip in µs if that is the
   * crossing of a pending message (sent from the other side), else undefined (sent from this
   * side, or already counted, or not ours).
   */
  received(side: Side, payload: RelayPayload, now: number): number | undefined {
    if (payload.side === side) return undefined;
    const key = `${payload.from}:${payload.n}`;
    const sentAt = this.pending.get(key);
    if (sentAt === undefined) return undefined;
    this.pending.delete(key);
    return (now - sentAt) * 1000;
  }
}
