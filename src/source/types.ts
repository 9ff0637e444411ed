/**
 * Shapes shared by the source index: what parsing a package yields (cached as
 * JSON, so plain data only) and what the index answers to its callers.
 */
import type { FunctionInfo, FunctionKind } from "../trace/model.js";

/**
 * Bumped whenever the cached index's shape or the naming rules change, so old
 * cache entries are ignored instead of misread.
 */
export const INDEX_FORMAT = 1;

/** One block tag of a doc comment (`@param fn - the middleware`). */
export interface DocTag {
  /** Tag name without the `@`. */
  readonly tag: string;
  /** The tag's text, newlines kept (examples are code). */
  readonly text: string;
}

/** A doc comment as its authors wrote it, split into description and tags. */
export interface DocComment {
  /** The description before the first tag, `*` gutters removed. */
  readonly text: string;
  readonly tags: readonly DocTag[];
}

/** How a function is named, the same way in installed JS and upstream TypeScript. */
export interface FunctionIdentity {
  /** `Server.attach`, `check in Server.attach`, `<anonymous request listener in Server.attach>`. */
  readonly name: string;
  readonly kind: FunctionKind;
  readonly className?: string;
  readonly member?: string;
  /** Nearest enclosing function that has a name of its own. */
  readonly enclosing?: string;
  /** TypeScript helper or re-export glue that has no counterpart upstream. */
  readonly generated?: boolean;
}

/** A function found by parsing a file: its identity, where it is, its doc comment. */
export interface IndexedFunction extends FunctionIdentity {
  /** 1-based line of the declaration (doc comment excluded). */
  readonly line: number;
  /** 1-based column of the declaration. */
  readonly column: number;
  readonly endLine: number;
  readonly doc?: DocComment;
}

/** A class found in a parsed file, for linking constructors that only exist once compiled. */
export interface IndexedClass {
  readonly name: string;
  readonly line: number;
  readonly endLine: number;
}

/** Everything parsed from one file. */
export interface IndexedFile {
  /** Byte size when indexed: a changed size (patched package) invalidates the cache entry. */
  readonly size: number;
  /** True when a `.d.ts` sits beside the file: it was compiled from TypeScript. */
  readonly compiled: boolean;
  /** Sorted by line, then column. */
  readonly functions: readonly IndexedFunction[];
  readonly classes: readonly IndexedClass[];
}

/** A type named in a declaration, with the module it was imported from. */
export interface TypeRef {
  readonly name: string;
  /** Bare module specifier (`engine.io`, `cors`); absent when declared in the same package. */
  readonly module?: string;
}

/** A property or method of an interface or class, as declared in a `.d.ts`. */
export interface MemberDecl {
  readonly name: string;
  /** Package-relative path of the `.d.ts`. */
  readonly file: string;
  readonly line: number;
  /** The declaration's own text, whitespace collapsed, doc comment excluded. */
  readonly signature: string;
  readonly doc?: DocComment;
  /** Types named in the member's type, for following `cors.origin` into `CorsOptions`. */
  readonly refs: readonly TypeRef[];
  /** Members of an inline object type (`connectionStateRecovery: { … }`). */
  readonly members: readonly MemberDecl[];
}

/** An interface or class declared in a `.d.ts`. */
export interface TypeDecl {
  readonly name: string;
  readonly kind: "interface" | "class";
  readonly file: string;
  readonly line: number;
  readonly doc?: DocComment;
  readonly extends: readonly TypeRef[];
  readonly members: readonly MemberDecl[];
}

/** The cached index of one installed package version. */
export interface PackageIndex {
  readonly format: number;
  readonly name: string;
  readonly version: string;
  /** Package-relative path (with `/`) → what was parsed there. */
  readonly files: Readonly<Record<string, IndexedFile>>;
  /** Interfaces and classes of the package's `.d.ts` (or of its `@types` package). */
  readonly types: readonly TypeDecl[];
  /** `@types/<name>@<version>` when the declarations came from there. */
  readonly typesFrom?: string;
  /** Milliseconds the build took, for the README's cost table. */
  readonly buildMs: number;
}

/** A local `path:line` link; always available. */
export interface LocalLink {
  /** Path relative to the project root. */
  readonly path: string;
  readonly line: number;
  readonly endLine: number;
  /** `path:line`, ready to print. */
  readonly text: string;
}

/** One numbered source line. */
export interface ExcerptLine {
  readonly number: number;
  readonly text: string;
}

/** The code that ran, with line numbers. */
export interface Excerpt {
  /** The line of the declaration that ran. */
  readonly declarationLine: number;
  readonly lines: readonly ExcerptLine[];
  /** Lines of the body left out to keep the excerpt short. */
  readonly omitted: number;
}

/** What an upstream permalink points at. */
export type UpstreamTarget = "member" | "function" | "closure" | "enclosing" | "class";

/** An upstream GitHub permalink at the installed version's tag. */
export interface UpstreamLink {
  readonly kind: "permalink";
  /** `https://github.com/<owner>/<repo>/blob/<tag>/<path>#L<start>-L<end>`. */
  readonly url: string;
  readonly owner: string;
  readonly repo: string;
  readonly tag: string;
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly target: UpstreamTarget;
  /** Set when the link is a fallback (the enclosing function, the class): says why. */
  readonly reason?: string;
}

/** No upstream permalink: the local link stands, and this says why. */
export interface UpstreamUnavailable {
  readonly kind: "unavailable";
  readonly reason: string;
}

/** The outcome of resolving a function upstream. */
export type UpstreamResult = UpstreamLink | UpstreamUnavailable;

/** Everything the stepper and the exporter show for one trace node. */
export interface SourceView {
  readonly fn: FunctionInfo;
  /** The index's entry for the function, when the installed file was found and parsed. */
  readonly indexed?: IndexedFunction;
  readonly local: LocalLink;
  /** Absent when the file could not be read; `notes` says why. */
  readonly excerpt?: Excerpt;
  readonly doc?: DocComment;
  readonly upstream: UpstreamResult;
  /** Why something degraded (file missing, version mismatch…); empty when all went well. */
  readonly notes: readonly string[];
}

/** Where an option or method is declared. */
export interface DeclaredIn {
  readonly pkg: string;
  readonly version: string;
  /** Interface or class name: `ServerOptions`, `StrictEventEmitter`. */
  readonly type: string;
  /** Path of the `.d.ts` relative to the project root. */
  readonly file: string;
  readonly line: number;
}

/** The library's own documentation of one server option. */
export interface OptionDoc {
  /** As asked: `pingInterval`, `cors.origin`. */
  readonly name: string;
  /** Absent when the option is not declared anywhere in the family; `reason` says so. */
  readonly declaredIn?: DeclaredIn;
  readonly signature?: string;
  readonly doc?: DocComment;
  /** The `@default` tag's text, as documented. */
  readonly documentedDefault?: string;
  /** The value in force in the traced server, formatted, when the caller supplied it. */
  readonly inForce?: string;
  /** Whether the value in force equals the documented default (absent when not comparable). */
  readonly isDefault?: boolean;
  /** Declarations this one overrides (engine.io's `path` under socket.io's), with their defaults. */
  readonly shadows: readonly { readonly declaredIn: DeclaredIn; readonly documentedDefault?: string }[];
  readonly reason?: string;
}

/** The library's own documentation of one public method. */
export interface MethodDoc {
  /** As asked: `Server.use`, `Namespace.on`. */
  readonly name: string;
  /** May name an ancestor class: `Namespace.on` is declared by `StrictEventEmitter`. */
  readonly declaredIn?: DeclaredIn;
  readonly signature?: string;
  readonly doc?: DocComment;
  readonly reason?: string;
}

/** A licence explained in a sentence each, for the "General information & licensing" table. */
export interface LicenceSummary {
  readonly title: string;
  readonly allows: string;
  readonly requires: string;
  readonly forbids: string;
}

/** The licence of one installed package version of the family. */
export interface PackageLicence {
  readonly name: string;
  readonly version: string;
  /** Where it is installed, relative to the project root (several for a nested copy). */
  readonly dirs: readonly string[];
  /** SPDX id from package.json (`MIT`), or `UNKNOWN`. */
  readonly licence: string;
  /** The licence the LICENSE text reads as, when recognised. */
  readonly licenceFromText?: string;
  /** LICENSE file name, when there is one. */
  readonly licenceFile?: string;
  /** The `Copyright …` lines of the LICENSE file. */
  readonly copyright: readonly string[];
  /** `https://github.com/<owner>/<repo>`. */
  readonly repository?: string;
  readonly summary?: LicenceSummary;
  /** Disagreements or gaps (declared MIT but text reads ISC, no LICENSE file…). */
  readonly notes: readonly string[];
}
