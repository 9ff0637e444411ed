/**
 * Keeps this process's own `debug` output to trace-socket's namespaces. With
 * `DEBUG=socket.io*` the user asks for the traced server's lines, which the
 * trace carries with the call that printed each; this process's decoders
 * re-read the same packets with socket.io-parser and would print them a
 * second time, as if the server had.
 */
import createDebug from "debug";

/** Lets only `trace-socket*` namespaces of this process's `debug` through to its stderr. */
export function ownDebugOnly(): void {
  const write = createDebug.log;
  createDebug.log = function (this: { namespace?: string } | undefined, ...args: unknown[]) {
    if (this?.namespace?.startsWith("trace-socket")) write.apply(this, args);
  };
}
