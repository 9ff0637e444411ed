/**
 * Looks declarations up across the family: a type by package and name, its
 * members including inherited ones (following `extends` across packages, so
 * socket.io's `ServerOptions` reaches engine.io's and `Namespace.on` reaches
 * `StrictEventEmitter.on`).
 */
import { posix } from "node:path";
import type { LoadedPackage } from "./package-index.js";
import type { DeclaredIn, MemberDecl, TypeDecl, TypeRef } from "./types.js";

/** Gives the index of the copy of a package the project resolves, if installed. */
export type PackageByName = (name: string) => Promise<LoadedPackage | undefined>;

/** A declaration together with the package it came from. */
export interface FoundType {
  readonly pkg: LoadedPackage;
  readonly type: TypeDecl;
}

/** A member together with the type that declares it. */
export interface FoundMember extends FoundType {
  readonly member: MemberDecl;
}

/** The first type of that name (and kind, when given) in a package. */
export async function findType(
  packageByName: PackageByName,
  pkgName: string,
  typeName: string,
  kind?: TypeDecl["kind"],
): Promise<FoundType | undefined> {
  const pkg = await packageByName(pkgName);
  const type = pkg?.index.types.find((t) => t.name === typeName && (kind === undefined || t.kind === kind));
  return pkg && type ? { pkg, type } : undefined;
}

/** Resolves a reference made inside `from` (same package when it names no module). */
export function resolveRef(
  packageByName: PackageByName,
  from: LoadedPackage,
  ref: TypeRef,
): Promise<FoundType | undefined> {
  return findType(packageByName, ref.module ?? from.index.name, ref.name);
}

/** The type and its ancestors, nearest first, each visited once. */
export async function lineage(packageByName: PackageByName, start: FoundType): Promise<FoundType[]> {
  const seen = new Set<string>();
  const order: FoundType[] = [];
  const queue: FoundType[] = [start];
  while (queue.length > 0) {
    const current = queue.shift()!;
    const key = `${current.pkg.index.name}:${current.type.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    order.push(current);
    for (const ref of current.type.extends) {
      const parent = await resolveRef(packageByName, current.pkg, ref);
      if (parent) queue.push(parent);
    }
  }
  return order;
}

/** Every declaration of a member along a lineage, nearest first. */
export function membersNamed(types: readonly FoundType[], name: string): FoundMember[] {
  const found: FoundMember[] = [];
  for (const { pkg, type } of types) {
    const member = type.members.find((m) => m.name === name);
    if (member) found.push({ pkg, type, member });
  }
  return found;
}

/** Where a member is declared, with its file relative to the project root. */
export function declaredIn(found: FoundMember | FoundType, line?: number): DeclaredIn {
  const file = "member" in found ? found.member.file : found.type.file;
  return {
    pkg: found.pkg.index.name,
    version: found.pkg.index.version,
    type: found.type.name,
    file: posix.normalize(`${found.pkg.dir}/${file}`),
    line: line ?? ("member" in found ? found.member.line : found.type.line),
  };
}
