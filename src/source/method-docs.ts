/**
 * "From the library" for public methods (`Server.use`, `Namespace.on`): the
 * doc comment of the declaration in force, inherited ones included, from the
 * `.d.ts` first and from the installed JavaScript for packages without one.
 */
import { FAMILY } from "../trace/model.js";
import type { LoadedPackage } from "./package-index.js";
import { declaredIn, lineage, membersNamed, type PackageByName } from "./type-lookup.js";
import type { MethodDoc } from "./types.js";

/** `engine.io:Server.attach` → package, class, member; the package is optional. */
function parseMethodName(name: string): { pkg?: string; className: string; member: string } | undefined {
  const [pkg, qualified] = name.includes(":") ? (name.split(":", 2) as [string, string]) : [undefined, name];
  const dot = qualified.lastIndexOf(".");
  if (dot <= 0 || dot === qualified.length - 1) return undefined;
  return { ...(pkg !== undefined && { pkg }), className: qualified.slice(0, dot), member: qualified.slice(dot + 1) };
}

/** Falls back to the JSDoc of the implementation (ws and cors ship no `.d.ts`). */
function fromScripts(pkg: LoadedPackage, name: string, qualified: string): MethodDoc | undefined {
  for (const [path, file] of Object.entries(pkg.index.files)) {
    const fn = file.functions.find((f) => f.name === qualified && f.doc);
    if (fn) {
      return {
        name,
        declaredIn: {
          pkg: pkg.index.name,
          version: pkg.index.version,
          type: fn.className ?? qualified,
          file: `${pkg.dir}/${path}`,
          line: fn.line,
        },
        ...(fn.doc && { doc: fn.doc }),
      };
    }
  }
  return undefined;
}

async function lookup(packageByName: PackageByName, name: string): Promise<MethodDoc> {
  const parsed = parseMethodName(name);
  if (!parsed) return { name, reason: `expected Class.method, got ${JSON.stringify(name)}` };
  const packages = parsed.pkg !== undefined ? [parsed.pkg] : [...FAMILY];
  for (const pkgName of packages) {
    const pkg = await packageByName(pkgName);
    if (!pkg) continue;
    const type = pkg.index.types.find((t) => t.name === parsed.className);
    const declarations = type ? membersNamed(await lineage(packageByName, { pkg, type }), parsed.member) : [];
    const best = declarations.find((d) => d.member.doc) ?? declarations[0];
    if (best?.member.doc) {
      return { name, declaredIn: declaredIn(best), signature: best.member.signature, doc: best.member.doc };
    }
    // Typings without comments (@types/ws): the implementation's JSDoc says more.
    const scripted = fromScripts(pkg, name, `${parsed.className}.${parsed.member}`);
    if (scripted) return { ...scripted, ...(best && { signature: best.member.signature }) };
    if (best) return { name, declaredIn: declaredIn(best), signature: best.member.signature };
  }
  return { name, reason: `${parsed.className}.${parsed.member} is not declared by the installed packages` };
}

/** Documents each method name, in order. */
export function methodDocs(packageByName: PackageByName, names: readonly string[]): Promise<MethodDoc[]> {
  return Promise.all(names.map((name) => lookup(packageByName, name)));
}
