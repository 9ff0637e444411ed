/**
 * Pending "wait for a message like this" requests of a child process handle
 * (the traced Node server, the client, the Python tracer): each resolves with
 * the first matching message, or rejects when the process ends, or when the
 * run has done no work for the wait's idle limit (`progress.ts`): a slow
 * machine makes a wait long, never failed.
 */
import { whenIdle, type Patience } from "./progress.js";

/** Nothing of the run worked for a whole idle limit, and the message did not come. */
export class ChildTimeoutError extends Error {}

interface Waiter<M> {
  readonly accept: (message: M) => boolean;
  readonly resolve: (message: M) => void;
  readonly reject: (error: Error) => void;
}

/** The set of pending waits on one process's messages. */
export class Waiters<M> {
  private readonly pending = new Set<Waiter<M>>();

  /**
   * Resolves with the first message `accept` takes; rejects with "`what`: why"
   * once the run has been idle for `patience` (see `progress.ts`).
   */
  wait<T extends M>(accept: (message: M) => message is T, patience: Patience | number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const cancel = whenIdle(patience, (watch) => {
        this.pending.delete(waiter);
        reject(new ChildTimeoutError(`${what}: ${watch.reason}`));
      });
      const waiter: Waiter<M> = {
        accept,
        resolve: (message) => {
          cancel();
          resolve(message as T);
        },
        reject: (error) => {
          cancel();
          reject(error);
        },
      };
      this.pending.add(waiter);
    });
  }

  /** Hands a message to every wait that takes it. */
  deliver(message: M): void {
    for (const waiter of [...this.pending]) {
      if (!waiter.accept(message)) continue;
      this.pending.delete(waiter);
      waiter.resolve(message);
    }
  }

  /** Fails every pending wait (the process is gone). */
  rejectAll(error: Error): void {
    for (const waiter of this.pending) waiter.reject(error);
    this.pending.clear();
  }
}
