/**
 * Pending "wait for a message like this" requests of a child process handle
 * (the traced Node server, the client, the Python tracer): each resolves with
 * the first matching message, or rejects on its timeout or when the process ends.
 */

/** The time ran out before a matching message arrived. */
export class ChildTimeoutError extends Error {}

interface Waiter<M> {
  readonly accept: (message: M) => boolean;
  readonly resolve: (message: M) => void;
  readonly reject: (error: Error) => void;
}

/** The set of pending waits on one process's messages. */
export class Waiters<M> {
  private readonly pending = new Set<Waiter<M>>();

  /** Resolves with the first message `accept` takes; rejects with `timeoutMessage` after `timeoutMs`. */
  wait<T extends M>(accept: (message: M) => message is T, timeoutMs: number, timeoutMessage: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(waiter);
        reject(new ChildTimeoutError(timeoutMessage));
      }, timeoutMs);
      const waiter: Waiter<M> = {
        accept,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message as T);
        },
        reject: (error) => {
          clearTimeout(timer);
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
