/**
 * Reading a scenario's `claims.json`: absent means the scenario declares no
 * claims; present but wrong is an error naming the file and the field.
 */
import { existsSync, readFileSync } from "node:fs";
import type { ClaimsFile } from "./claims-spec.js";
import { ClaimsFileError, validateClaims } from "./claims-validate.js";

/** The claims of the scenario folder `dir`, or `undefined` when it has no `claims.json`. */
export function loadClaims(dir: string, shownAs = "claims.json"): ClaimsFile | undefined {
  const file = `${dir}/claims.json`;
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ClaimsFileError(shownAs, "(file)", `not valid JSON: ${(error as Error).message}`);
  }
  return validateClaims(parsed, shownAs);
}
