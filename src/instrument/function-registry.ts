/**
 * Gives every function found by the transform a global id and a `FunctionInfo`,
 * and queues new entries for the CLI. Ids are literals in the transformed code,
 * so the loader thread (ESM) and the main thread (CommonJS) use separate ranges.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import type { FamilyPackage, FunctionInfo } from "../trace/model.js";
import type { FoundFunction } from "./transform.js";
import { slotName } from "./naming.js";

/** First id used by the ESM loader thread; the main thread counts up from 1. */
export const LOADER_ID_BASE = 1 << 24;

/** Collects function tables as files load. */
export class FunctionRegistry {
  private next = 1;
  private queued: FunctionInfo[] = [];
  private readonly versions = new Map<string, string | undefined>();
  /** Loop-defined member functions (`Server.prototype[fn] = function`), by id, and the ids given to each member they fill. */
  private readonly slots = new Map<number, { info: FunctionInfo; members: Map<string, number> }>();
  /** Ids of the app's own functions below LOADER_ID_BASE (CommonJS apps); ESM app ids are all above it. */
  private readonly appIds = new Set<number>();

  constructor(private readonly projectRoot: string) {}

  /** Id the next file's first function gets. */
  nextId(): number {
    return this.next;
  }

  /** Version from a package root's package.json, read once per package copy. */
  versionOf(root: string): string | undefined {
    if (!this.versions.has(root)) {
      let version: string | undefined;
      try {
        version = (JSON.parse(readFileSync(`${root}/package.json`, "utf8")) as { version?: string }).version;
      } catch {
        version = undefined;
      }
      this.versions.set(root, version);
    }
    return this.versions.get(root);
  }

  /** Registers a file's functions whose ids start at `base`. */
  add(base: number, absoluteFile: string, pkg: FamilyPackage | "app", version: string | undefined, found: readonly FoundFunction[]): void {
    const file = relative(this.projectRoot, absoluteFile).replaceAll("\\", "/");
    found.forEach((fn, i) => {
      const { suspends: _suspends, slot, ...rest } = fn;
      const info: FunctionInfo = { id: base + i, file, pkg, version, ...rest };
      this.queued.push(info);
      if (slot) this.slots.set(info.id, { info, members: new Map() });
    });
    if (base < LOADER_ID_BASE) {
      this.next = Math.max(this.next, base + found.length);
      if (pkg === "app") for (let i = 0; i < found.length; i++) this.appIds.add(base + i);
    }
  }

  /**
   * The id that stands for member `key` of a loop-defined function `id`
   * (`Server.on (Server[fn])`), registered on first use; the same source, so
   * links and upstream matching are those of `Server[fn]`.
   */
  slotMember(id: number, key: string): number {
    const slot = this.slots.get(id);
    if (!slot) return id;
    let member = slot.members.get(key);
    if (member === undefined) {
      member = id >= LOADER_ID_BASE ? -1 : this.next++;
      if (member < 0) return id;
      slot.members.set(key, member);
      const { info } = slot;
      this.queued.push({ ...info, id: member, name: slotName(info.className ?? info.name, key, info.name) });
      if (this.appIds.has(id)) this.appIds.add(member);
    }
    return member;
  }

  /** True for functions of the traced app's own code. */
  isApp(id: number): boolean {
    return id >= LOADER_ID_BASE || this.appIds.has(id);
  }

  /** Entries registered since the last drain. */
  drain(): FunctionInfo[] {
    const out = this.queued;
    this.queued = [];
    return out;
  }
}
