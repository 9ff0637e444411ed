/**
 * What common licences allow and require, in a sentence each, and how to tell
 * them apart from their text. Pure; worded for the report's licensing table,
 * not legal advice.
 */
import type { LicenceSummary } from "./types.js";

const NO_WARRANTY = "Holding the authors liable: the software is provided as is, without warranty of any kind.";

const SUMMARIES: Readonly<Record<string, LicenceSummary>> = {
  MIT: {
    title: "MIT License",
    allows: "Using, copying, changing, merging, publishing, distributing, sublicensing and selling the software, commercially or not.",
    requires: "Keeping the copyright notice and the licence text in all copies or substantial portions of the software.",
    forbids: NO_WARRANTY,
  },
  ISC: {
    title: "ISC License",
    allows: "Using, copying, changing and distributing the software for any purpose, with or without fee (the MIT licence in fewer words).",
    requires: "Keeping the copyright notice and the permission notice in all copies.",
    forbids: NO_WARRANTY,
  },
  "0BSD": {
    title: "Zero-Clause BSD License",
    allows: "Using, copying, changing and distributing the software for any purpose, with or without fee.",
    requires: "Nothing: not even the copyright notice has to be kept.",
    forbids: NO_WARRANTY,
  },
  "BSD-2-Clause": {
    title: "BSD 2-Clause \"Simplified\" License",
    allows: "Redistributing and using the software in source and binary form, changed or not, commercially or not.",
    requires: "Keeping the copyright notice, the conditions and the disclaimer in source copies, and reproducing them in the documentation of binary copies.",
    forbids: NO_WARRANTY,
  },
  "BSD-3-Clause": {
    title: "BSD 3-Clause \"New\" or \"Revised\" License",
    allows: "Redistributing and using the software in source and binary form, changed or not, commercially or not.",
    requires: "Keeping the copyright notice, the conditions and the disclaimer in source copies, and reproducing them in the documentation of binary copies.",
    forbids: `Using the authors' names to endorse or promote derived products without written permission. ${NO_WARRANTY}`,
  },
  "Apache-2.0": {
    title: "Apache License 2.0",
    allows: "Using, changing and distributing the software commercially or not, with an express grant of the contributors' patent rights.",
    requires: "Including the licence and any NOTICE file, and marking the files you changed.",
    forbids: `Using the authors' trademarks; the patent grant ends for anyone who sues over patents in the software. ${NO_WARRANTY}`,
  },
};

/** The summary for an SPDX id (a simple `(MIT OR Apache-2.0)` takes the first it knows). */
export function licenceSummary(id: string): LicenceSummary | undefined {
  const direct = SUMMARIES[id];
  if (direct) return direct;
  const first = id
    .replace(/[()]/g, " ")
    .split(/\s+(?:OR|AND)\s+|\s+/)
    .find((part) => SUMMARIES[part] !== undefined);
  return first ? SUMMARIES[first] : undefined;
}

/** Recognises a licence from its text, for checking what package.json declares. */
export function licenceFromText(text: string): string | undefined {
  const flat = text.replace(/\s+/g, " ");
  if (/Permission is hereby granted, free of charge/i.test(flat)) return "MIT";
  if (/Apache License,? Version 2\.0/i.test(flat)) return "Apache-2.0";
  if (/Redistribution and use in source and binary forms/i.test(flat)) {
    return /Neither the name/i.test(flat) ? "BSD-3-Clause" : "BSD-2-Clause";
  }
  if (/Permission to use, copy, modify, and\/or distribute this software for any purpose/i.test(flat)) {
    return /provided that the above copyright notice/i.test(flat) ? "ISC" : "0BSD";
  }
  return undefined;
}

/**
 * The `Copyright …` notices of a licence text, trimmed. A notice carries a year
 * or a (c) mark; the disclaimer's wrapped "COPYRIGHT HOLDERS BE LIABLE" does not.
 */
export function copyrightLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => /^(?:copyright\b|\(c\)|©)/i.test(line) && /\d{4}|\(c\)|©/i.test(line));
}

/** `git+https://github.com/socketio/socket.io.git`, `expressjs/cors` → `https://github.com/<owner>/<repo>`. */
export function repositoryUrl(repository: unknown): string | undefined {
  const raw = typeof repository === "string" ? repository : (repository as { url?: unknown } | null)?.url;
  if (typeof raw !== "string" || raw.trim() === "") return undefined;
  const text = raw.trim();
  const shorthand = /^(?:github:)?([\w.-]+)\/([\w.-]+)$/.exec(text);
  if (shorthand) return `https://github.com/${shorthand[1]}/${shorthand[2]!.replace(/\.git$/, "")}`;
  const scp = /^git@([^:]+):(.+?)(?:\.git)?$/.exec(text);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  return text
    .replace(/^git\+/, "")
    .replace(/^git:\/\//, "https://")
    .replace(/^ssh:\/\/git@/, "https://")
    .replace(/\.git$/, "");
}

/** package.json's `license` (or legacy `licenses: [{ type }]`) as an SPDX id, or `UNKNOWN`. */
export function declaredLicence(license: unknown, licenses: unknown): string {
  if (typeof license === "string" && license.trim() !== "") return license.trim();
  const type = (license as { type?: unknown } | null)?.type;
  if (typeof type === "string") return type;
  if (Array.isArray(licenses)) {
    const types = licenses
      .map((l) => (l as { type?: unknown } | null)?.type)
      .filter((t): t is string => typeof t === "string");
    if (types.length > 0) return types.length === 1 ? types[0]! : `(${types.join(" OR ")})`;
  }
  return "UNKNOWN";
}
