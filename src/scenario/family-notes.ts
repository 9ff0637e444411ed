/**
 * What the packages around socket.io that only some apps load (another parser, the adapters for
 * several servers, the Admin UI) did in a step, said from the calls that ran in it: a package is
 * named only when one of its functions ran, with those functions, so the note holds on the run.
 */
import { walkCalls } from "../trace/call-tree.js";
import { FAMILY_WHEN_LOADED, type CallNode, type FunctionInfo } from "../trace/model.js";

/** What each package is there for, said once beside the functions of it that ran. */
const ROLES: Readonly<Record<string, string>> = {
  "socket.io-msgpack-parser": "every packet read and written as msgpack, one binary message each",
  "@socket.io/redis-adapter": "broadcasts and requests between servers over Redis pub/sub",
  "@socket.io/redis-streams-adapter": "broadcasts between servers appended to and read from a Redis stream",
  "@socket.io/postgres-adapter": "broadcasts between servers sent with Postgres NOTIFY and heard with LISTEN",
  "@socket.io/mongo-adapter": "broadcasts between servers inserted into a MongoDB collection and read from its change stream",
  "@socket.io/cluster-adapter": "broadcasts between the workers of a Node cluster over IPC",
  "@socket.io/sticky": "requests of one session routed to the same worker",
  "@socket.io/admin-ui": "the Admin UI's hooks on every socket",
};

/** Functions shown per package before the rest are counted. */
const SHOWN = 4;

/**
 * One note per loaded-only family package whose functions ran in `calls`: `pkg ran A, B (role)`.
 *
 * @example
 * familyNotes(calls, functions); // ["socket.io-msgpack-parser ran Decoder.add, Encoder.encode (every packet read and written as msgpack, one binary message each)"]
 */
export function familyNotes(calls: readonly CallNode[], functions: ReadonlyMap<number, FunctionInfo>): string[] {
  const byPackage = new Map<string, Set<string>>();
  walkCalls(calls, (node) => {
    const fn = functions.get(node.fn);
    if (!fn || !FAMILY_WHEN_LOADED.has(fn.pkg) || fn.name.startsWith("<anonymous in ")) return;
    let names = byPackage.get(fn.pkg);
    if (!names) byPackage.set(fn.pkg, (names = new Set()));
    names.add(fn.name);
  });
  return [...byPackage].map(([pkg, names]) => {
    // Methods first (Decoder.add, Encoder.encode): they say what the package did; helpers after.
    const list = [...names].sort((a, b) => Number(!a.includes(".")) - Number(!b.includes(".")));
    const more = list.length > SHOWN ? ` and ${list.length - SHOWN} more` : "";
    const role = ROLES[pkg];
    return `${pkg} ran ${list.slice(0, SHOWN).join(", ")}${more}${role ? ` (${role})` : ""}`;
  });
}
