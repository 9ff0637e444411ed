/**
 * "From the library" for server options: the doc comment the authors wrote on
 * each `ServerOptions` field (socket.io's, then engine.io's `ServerOptions` and
 * `AttachOptions` it extends, then the cors options they forward), its
 * documented `@default`, and the value actually in force when given.
 */
import { docTag } from "./doc-comment.js";
import { equalsDefault, formatValue, valueAt } from "./option-values.js";
import {
  declaredIn,
  findType,
  lineage,
  membersNamed,
  resolveRef,
  type FoundMember,
  type FoundType,
  type PackageByName,
} from "./type-lookup.js";
import type { OptionDoc } from "./types.js";

/** Where option names are looked up first: what `new Server(httpServer, opts)` accepts. */
const OPTION_ROOTS = [
  { pkg: "socket.io", type: "ServerOptions" },
  { pkg: "engine.io", type: "ServerOptions" },
  { pkg: "engine.io", type: "AttachOptions" },
] as const;

async function rootLineage(packageByName: PackageByName): Promise<FoundType[]> {
  const all: FoundType[] = [];
  const seen = new Set<string>();
  for (const root of OPTION_ROOTS) {
    const start = await findType(packageByName, root.pkg, root.type, "interface");
    if (!start) continue;
    for (const found of await lineage(packageByName, start)) {
      const key = `${found.pkg.index.name}:${found.type.name}`;
      if (!seen.has(key)) {
        seen.add(key);
        all.push(found);
      }
    }
  }
  return all;
}

/** One level down: `connectionStateRecovery.x` (inline type) or `cors.origin` (via `CorsOptions`). */
async function childMember(
  packageByName: PackageByName,
  parent: FoundMember,
  name: string,
): Promise<FoundMember | undefined> {
  const inline = parent.member.members.find((m) => m.name === name);
  if (inline) return { pkg: parent.pkg, type: parent.type, member: inline };
  for (const ref of parent.member.refs) {
    const type = await resolveRef(packageByName, parent.pkg, ref);
    if (!type) continue;
    const [found] = membersNamed(await lineage(packageByName, type), name);
    if (found) return found;
  }
  return undefined;
}

/**
 * Documents each option name (`pingInterval`, `cors.origin`). `inForce` holds
 * the traced server's values, flat (`{"cors.origin": …}`) or nested.
 */
export async function optionDocs(
  packageByName: PackageByName,
  names: readonly string[],
  inForce: Readonly<Record<string, unknown>> = {},
): Promise<OptionDoc[]> {
  const roots = await rootLineage(packageByName);
  return Promise.all(
    names.map(async (name): Promise<OptionDoc> => {
      const [head = "", ...rest] = name.split(".");
      const declarations = membersNamed(roots, head);
      let found: FoundMember | undefined = declarations[0];
      for (const part of rest) {
        if (!found) break;
        found = await childMember(packageByName, found, part);
      }
      const live = valueAt(inForce, name);
      if (!found) {
        return {
          name,
          shadows: [],
          ...(live && { inForce: formatValue(live.value) }),
          reason:
            roots.length === 0
              ? "no ServerOptions declaration could be read from the installed socket.io and engine.io"
              : `no option ${name} is declared by the installed packages`,
        };
      }
      const documentedDefault = docTag(found.member.doc, "default");
      const isDefault = live && documentedDefault !== undefined ? equalsDefault(live.value, documentedDefault) : undefined;
      const shadows = rest.length > 0 ? [] : declarations.slice(1);
      return {
        name,
        declaredIn: declaredIn(found),
        signature: found.member.signature,
        ...(found.member.doc && { doc: found.member.doc }),
        ...(documentedDefault !== undefined && { documentedDefault }),
        ...(live && { inForce: formatValue(live.value) }),
        ...(isDefault !== undefined && { isDefault }),
        shadows: shadows.map((s) => {
          const shadowDefault = docTag(s.member.doc, "default");
          return { declaredIn: declaredIn(s), ...(shadowDefault !== undefined && { documentedDefault: shadowDefault }) };
        }),
      };
    }),
  );
}
