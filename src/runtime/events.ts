/**
 * The one event stream of a traced process (see `port.ts`): each adapter
 * emits on one, the runner listens to it.
 */
import type { RuntimeEvent } from "./port.js";

/** Listeners of a process's events, told in order. */
export class RuntimeEvents {
  private readonly listeners = new Set<(event: RuntimeEvent) => void>();

  /** Calls `listener` with every event until the returned function is called. */
  subscribe(listener: (event: RuntimeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells every listener. */
  emit(event: RuntimeEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
