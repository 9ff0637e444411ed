/**
 * "Something new was recorded": the runners call it on every batch, and views
 * (the stepper) subscribe to it, also after the run has started.
 */

/** A set of change listeners. */
export class ChangeSignal {
  private readonly listeners = new Set<() => void>();

  /** Calls `listener` on every change until the returned function is called. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells every listener. */
  emit(): void {
    for (const listener of this.listeners) listener();
  }
}
