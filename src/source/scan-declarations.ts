/**
 * Reads a `.d.ts` for what its authors documented: interfaces (`ServerOptions`,
 * `AttachOptions`, `CorsOptions`) and classes (`Server`, `Namespace`,
 * `StrictEventEmitter`) with each member's doc comment, signature and the
 * types it names, resolved through the file's imports.
 */
import type { Node as TsNode, SourceFile } from "ts-morph";
import { leadingDoc } from "./scan-functions.js";
import type { TsMorphModule } from "./ts-morph-loader.js";
import type { MemberDecl, TypeDecl, TypeRef } from "./types.js";

const MAX_SIGNATURE = 240;

/** Bare package of an import specifier; undefined for a relative one (same package). */
function packageOfSpecifier(specifier: string): string | undefined {
  if (specifier.startsWith(".")) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

function collapse(text: string): string {
  const flat = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\s+/g, " ").trim();
  return flat.length > MAX_SIGNATURE ? `${flat.slice(0, MAX_SIGNATURE - 1)}…` : flat;
}

/** Scans one declaration file; `file` is the path recorded in the results. */
export function scanDeclarations(tsm: TsMorphModule, source: SourceFile, file: string): TypeDecl[] {
  const { Node, SyntaxKind } = tsm;
  const imports = new Map<string, TypeRef>();
  for (const declaration of source.getImportDeclarations()) {
    const module = packageOfSpecifier(declaration.getModuleSpecifierValue());
    for (const named of declaration.getNamedImports()) {
      const local = named.getAliasNode()?.getText() ?? named.getName();
      imports.set(local, { name: named.getName(), ...(module !== undefined && { module }) });
    }
  }

  function resolveRef(text: string): TypeRef {
    const head = text.split(/[.<\s]/)[0] ?? text;
    return imports.get(head) ?? { name: head };
  }

  function refsOf(typeNode: TsNode | undefined): TypeRef[] {
    if (!typeNode) return [];
    const references = Node.isTypeReference(typeNode)
      ? [typeNode]
      : typeNode.getDescendantsOfKind(SyntaxKind.TypeReference);
    const seen = new Set<string>();
    const refs: TypeRef[] = [];
    for (const reference of references) {
      const ref = resolveRef(reference.getTypeName().getText());
      const key = `${ref.module ?? ""}:${ref.name}`;
      if (!seen.has(key)) {
        seen.add(key);
        refs.push(ref);
      }
    }
    return refs;
  }

  function memberName(node: TsNode): string | undefined {
    if (Node.isConstructorDeclaration(node)) return "constructor";
    if (
      Node.isPropertySignature(node) ||
      Node.isMethodSignature(node) ||
      Node.isPropertyDeclaration(node) ||
      Node.isMethodDeclaration(node) ||
      Node.isGetAccessorDeclaration(node) ||
      Node.isSetAccessorDeclaration(node)
    ) {
      const nameNode = node.getNameNode();
      return Node.isStringLiteral(nameNode) ? nameNode.getLiteralText() : nameNode.getText();
    }
    return undefined;
  }

  function membersOf(container: TsNode): MemberDecl[] {
    const byName = new Map<string, MemberDecl>();
    container.forEachChild((node) => {
      const name = memberName(node);
      if (name === undefined) return;
      const typeNode = Node.isPropertySignature(node) || Node.isPropertyDeclaration(node) ? node.getTypeNode() : undefined;
      const literal = typeNode && Node.isTypeLiteral(typeNode) ? typeNode : undefined;
      const doc = leadingDoc(node);
      const member: MemberDecl = {
        name,
        file,
        line: node.getStartLineNumber(),
        signature: literal ? collapse(`${node.getText().split("{")[0]}{ … }`) : collapse(node.getText()),
        ...(doc && { doc }),
        refs: literal ? [] : refsOf(typeNode),
        members: literal ? membersOf(literal) : [],
      };
      // Overloads: keep the first declaration, but take the first doc comment found.
      const known = byName.get(name);
      if (!known) byName.set(name, member);
      else if (!known.doc && member.doc) byName.set(name, { ...known, doc: member.doc });
    });
    return [...byName.values()];
  }

  const types: TypeDecl[] = [];
  for (const node of source.getDescendantsOfKind(SyntaxKind.InterfaceDeclaration)) {
    const doc = leadingDoc(node);
    types.push({
      name: node.getName(),
      kind: "interface",
      file,
      line: node.getStartLineNumber(),
      ...(doc && { doc }),
      extends: node.getExtends().map((e) => resolveRef(e.getExpression().getText())),
      members: membersOf(node),
    });
  }
  for (const node of source.getDescendantsOfKind(SyntaxKind.ClassDeclaration)) {
    const name = node.getName();
    if (!name) continue;
    const doc = leadingDoc(node);
    const base = node.getExtends();
    types.push({
      name,
      kind: "class",
      file,
      line: node.getStartLineNumber(),
      ...(doc && { doc }),
      extends: base ? [resolveRef(base.getExpression().getText())] : [],
      members: membersOf(node),
    });
  }
  return types;
}
