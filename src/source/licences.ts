/**
 * The licence of each installed package version of the family, read from its
 * package.json and LICENSE file, for the "General information & licensing"
 * table. No parsing, no network: cheap enough to run uncached.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  copyrightLines,
  declaredLicence,
  licenceFromText,
  licenceSummary,
  repositoryUrl,
} from "./licence-texts.js";
import { findInstalledFamily, readManifest, type InstalledPackage } from "./package-locate.js";
import type { PackageLicence } from "./types.js";

const LICENCE_FILE = /^(?:licen[cs]e|copying)(?:[.-].*)?$/i;

async function licenceFile(absDir: string): Promise<{ name: string; text: string } | undefined> {
  let names: string[];
  try {
    names = await readdir(absDir);
  } catch {
    return undefined;
  }
  const name = names.filter((n) => LICENCE_FILE.test(n)).sort((a, b) => a.length - b.length)[0];
  if (name === undefined) return undefined;
  try {
    return { name, text: await readFile(join(absDir, name), "utf8") };
  } catch {
    return undefined;
  }
}

async function describe(projectRoot: string, copies: readonly InstalledPackage[]): Promise<PackageLicence> {
  const first = copies[0]!;
  const absDir = join(projectRoot, first.dir);
  const manifest = await readManifest(absDir);
  const licence = declaredLicence(manifest?.license, manifest?.licenses);
  const file = await licenceFile(absDir);
  const fromText = file ? licenceFromText(file.text) : undefined;
  const repository = repositoryUrl(manifest?.repository);
  const summary = licenceSummary(licence) ?? (licence === "UNKNOWN" && fromText ? licenceSummary(fromText) : undefined);
  const notes: string[] = [];
  if (!file) notes.push("no LICENSE file in the package");
  if (licence === "UNKNOWN") notes.push("package.json declares no licence");
  if (fromText !== undefined && licence !== "UNKNOWN" && !licence.includes(fromText)) {
    notes.push(`package.json declares ${licence} but the LICENSE text reads as ${fromText}`);
  }
  return {
    name: first.name,
    version: first.version,
    dirs: copies.map((c) => c.dir),
    licence,
    ...(fromText !== undefined && { licenceFromText: fromText }),
    ...(file && { licenceFile: file.name }),
    copyright: file ? copyrightLines(file.text) : [],
    ...(repository !== undefined && { repository }),
    ...(summary && { summary }),
    notes,
  };
}

/**
 * One row per installed name@version of the family, in the family's order;
 * copies of the same version installed in several places share a row.
 */
export async function licences(projectRoot: string): Promise<PackageLicence[]> {
  const groups = new Map<string, InstalledPackage[]>();
  for (const copy of await findInstalledFamily(projectRoot)) {
    const key = `${copy.name}@${copy.version}`;
    groups.set(key, [...(groups.get(key) ?? []), copy]);
  }
  return Promise.all([...groups.values()].map((copies) => describe(projectRoot, copies)));
}
