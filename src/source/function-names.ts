/**
 * Names functions by place, identically in compiled JS and in its TypeScript
 * source, so a member found in `build/server.js` can be found again in
 * `lib/server.ts` at the release tag: `Server.attach`, `encodePacket`,
 * `<anonymous request listener in Server.attach>`.
 */
import type { Node as TsNode } from "ts-morph";
import type { FunctionKind } from "../trace/model.js";
import { createGlueDetector } from "./generated-glue.js";
import type { TsMorphModule } from "./ts-morph-loader.js";
import type { FunctionIdentity } from "./types.js";
import { LISTENER_METHODS } from "../instrument/naming.js";


interface Naming extends FunctionIdentity {
  readonly anonymous: boolean;
  /** How closures inside this function say where they are: `callback in Server.handleUpgrade`. */
  readonly place: string | undefined;
}

type OwnNaming = Omit<Naming, "kind" | "enclosing" | "place"> & {
  readonly kind?: FunctionKind;
};

/** Names function nodes of one parse; remembers answers so nesting costs nothing. */
export interface FunctionNamer {
  /** True for a function-like node that has a body (overloads and abstract members have none). */
  isFunction(node: TsNode): boolean;
  identify(node: TsNode): FunctionIdentity;
}

/** Creates a namer bound to the loaded ts-morph module. */
export function createFunctionNamer(tsm: TsMorphModule): FunctionNamer {
  const { Node, SyntaxKind } = tsm;
  const { isReExportGetter, isEnumIife, insideTsHelper } = createGlueDetector(tsm);
  const memo = new Map<TsNode, Naming>();

  function isFunction(node: TsNode): boolean {
    if (Node.isArrowFunction(node)) return true;
    if (
      Node.isFunctionDeclaration(node) ||
      Node.isFunctionExpression(node) ||
      Node.isMethodDeclaration(node) ||
      Node.isConstructorDeclaration(node) ||
      Node.isGetAccessorDeclaration(node) ||
      Node.isSetAccessorDeclaration(node)
    ) {
      return node.getBody() !== undefined;
    }
    return false;
  }

  function enclosingFunction(node: TsNode): TsNode | undefined {
    let parent = node.getParent();
    while (parent && !isFunction(parent)) parent = parent.getParent();
    return parent;
  }

  function propertyName(nameNode: TsNode): string {
    if (Node.isStringLiteral(nameNode) || Node.isNoSubstitutionTemplateLiteral(nameNode)) {
      return nameNode.getLiteralText();
    }
    return nameNode.getText();
  }

  function className(cls: TsNode): string {
    if (Node.isClassDeclaration(cls) || Node.isClassExpression(cls)) {
      const own = cls.getName();
      if (own) return own;
      const { parent } = climb(cls);
      if (parent && Node.isVariableDeclaration(parent)) return parent.getName();
    }
    return "<anonymous class>";
  }

  /** Steps over parentheses, casts and `a || function…` so the binding context is seen. */
  function climb(node: TsNode): { child: TsNode; parent: TsNode | undefined } {
    let child = node;
    let parent = node.getParent();
    while (parent) {
      const wrapper =
        Node.isParenthesizedExpression(parent) ||
        Node.isAsExpression(parent) ||
        Node.isTypeAssertion(parent) ||
        Node.isSatisfiesExpression(parent) ||
        Node.isNonNullExpression(parent) ||
        (Node.isConditionalExpression(parent) && parent.getCondition() !== child) ||
        (Node.isBinaryExpression(parent) &&
          parent.getRight() === child &&
          [SyntaxKind.BarBarToken, SyntaxKind.QuestionQuestionToken, SyntaxKind.AmpersandAmpersandToken].includes(
            parent.getOperatorToken().getKind(),
          ));
      if (!wrapper) break;
      child = parent;
      parent = parent.getParent();
    }
    return { child, parent };
  }

  /** The last name of a callee: `(0, timers_1.setTimeout)` and `setTimeout` both give `setTimeout`. */
  function lastName(expr: TsNode): string | undefined {
    if (Node.isParenthesizedExpression(expr)) return lastName(expr.getExpression());
    if (Node.isBinaryExpression(expr) && expr.getOperatorToken().getKind() === SyntaxKind.CommaToken) {
      return lastName(expr.getRight());
    }
    if (Node.isPropertyAccessExpression(expr)) return expr.getName();
    if (Node.isIdentifier(expr)) return expr.getText();
    if (Node.isElementAccessExpression(expr)) {
      const arg = expr.getArgumentExpression();
      return arg && Node.isStringLiteral(arg) ? arg.getLiteralText() : undefined;
    }
    return undefined;
  }

  function nearestClass(node: TsNode): TsNode | undefined {
    return node.getFirstAncestor((a) => Node.isClassDeclaration(a) || Node.isClassExpression(a));
  }

  /** `X.prototype.m`, `this.m` (inside a class), `exports.m`, `module.exports`, `a.b`. */
  function assignmentTarget(left: TsNode): { name: string; member?: string; className?: string } {
    if (Node.isPropertyAccessExpression(left)) {
      const member = left.getName();
      const object = left.getExpression();
      if (Node.isPropertyAccessExpression(object) && object.getName() === "prototype") {
        const owner = lastName(object.getExpression()) ?? object.getExpression().getText();
        return { name: `${owner}.${member}`, member, className: owner };
      }
      if (object.getKind() === SyntaxKind.ThisKeyword) {
        const cls = nearestClass(left);
        if (cls) {
          const owner = className(cls);
          return { name: `${owner}.${member}`, member, className: owner };
        }
        return { name: member, member };
      }
      const objectText = object.getText();
      if (objectText === "exports" || objectText === "module.exports") return { name: member, member };
      return { name: left.getText().replace(/\s+/g, ""), member };
    }
    if (Node.isElementAccessExpression(left)) {
      // `X.prototype[fn] = function` (delegates defined in a loop) reads as `X[fn]`, as the recorder names it.
      const object = left.getExpression();
      const key = left.getArgumentExpression();
      const member = key && (Node.isStringLiteral(key) ? key.getLiteralText() : `[${key.getText()}]`);
      const cls = object.getKind() === SyntaxKind.ThisKeyword ? nearestClass(left) : undefined;
      const owner =
        Node.isPropertyAccessExpression(object) && object.getName() === "prototype"
          ? (lastName(object.getExpression()) ?? object.getExpression().getText())
          : cls && className(cls);
      if (member !== undefined && owner) {
        return { name: member.startsWith("[") ? `${owner}${member}` : `${owner}.${member}`, member, className: owner };
      }
    }
    return { name: left.getText().replace(/\s+/g, "") };
  }

  /** The name an object literal is bound to, for `holder.method` names. */
  function holderName(objectLiteral: TsNode): string | undefined {
    const { parent } = climb(objectLiteral);
    if (!parent) return undefined;
    if (Node.isVariableDeclaration(parent)) return parent.getName();
    if (Node.isBinaryExpression(parent) && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken) {
      return assignmentTarget(parent.getLeft()).name;
    }
    if (Node.isPropertyAssignment(parent)) {
      const outer = holderName(parent.getParent());
      const key = propertyName(parent.getNameNode());
      return outer ? `${outer}.${key}` : undefined;
    }
    return undefined;
  }

  function anonymous(what: string): OwnNaming {
    return { name: `<anonymous ${what}>`, anonymous: true };
  }

  function named(name: string, member = name): OwnNaming {
    return { name, member, anonymous: false };
  }

  function expressionNaming(node: TsNode): OwnNaming {
    const { child, parent } = climb(node);
    const isArrow = Node.isArrowFunction(node);
    const assigned =
      parent &&
      Node.isBinaryExpression(parent) &&
      parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken &&
      parent.getRight() === child
        ? assignmentTarget(parent.getLeft())
        : undefined;
    if (assigned?.className) return { ...assigned, anonymous: false, kind: isArrow ? "arrow" : "method" };
    // Otherwise a function expression's own name is the one it runs under (and the recorder's): `const wrapper = function onMessage`.
    if (Node.isFunctionExpression(node) && node.getName()) return named(node.getName()!);
    if (parent && Node.isVariableDeclaration(parent) && parent.getInitializer() === child) {
      return named(parent.getName());
    }
    if (assigned) return named(assigned.name, assigned.member ?? assigned.name);
    if (parent && Node.isPropertyAssignment(parent) && parent.getInitializer() === child) {
      const key = propertyName(parent.getNameNode());
      if (isReExportGetter(parent)) return { ...anonymous(`${key} getter`), generated: true };
      const holder = holderName(parent.getParent());
      return holder ? named(`${holder}.${key}`, key) : anonymous(key);
    }
    if (parent && Node.isPropertyDeclaration(parent) && parent.getInitializer() === child) {
      const owner = className(parent.getParent());
      const member = propertyName(parent.getNameNode());
      return { name: `${owner}.${member}`, member, className: owner, anonymous: false };
    }
    if (parent && Node.isCallExpression(parent)) {
      if (parent.getExpression() === child) return { ...anonymous("IIFE"), generated: isEnumIife(parent) };
      const callee = lastName(parent.getExpression());
      if (callee && LISTENER_METHODS.has(callee)) {
        const [event] = parent.getArguments();
        const label = event && Node.isStringLiteral(event) ? `${event.getLiteralText()} listener` : "listener";
        return anonymous(label);
      }
      return anonymous(callee ? `${callee} callback` : "callback");
    }
    if (parent && Node.isNewExpression(parent)) {
      const callee = lastName(parent.getExpression());
      return anonymous(callee === "Promise" ? "Promise executor" : `${callee ?? "constructor"} callback`);
    }
    if (parent && Node.isReturnStatement(parent)) return anonymous("returned function");
    return anonymous(isArrow ? "arrow function" : "function");
  }

  function ownNaming(node: TsNode): OwnNaming & { kind: FunctionKind } {
    if (Node.isConstructorDeclaration(node)) {
      const owner = className(node.getParent());
      const member = "constructor";
      return { name: `${owner}.${member}`, className: owner, member, anonymous: false, kind: "constructor" };
    }
    if (Node.isMethodDeclaration(node) || Node.isGetAccessorDeclaration(node) || Node.isSetAccessorDeclaration(node)) {
      const kind: FunctionKind = Node.isGetAccessorDeclaration(node)
        ? "getter"
        : Node.isSetAccessorDeclaration(node)
          ? "setter"
          : "method";
      const member = propertyName(node.getNameNode());
      const parent = node.getParent();
      if (Node.isClassDeclaration(parent) || Node.isClassExpression(parent)) {
        const owner = className(parent);
        return { name: `${owner}.${member}`, className: owner, member, anonymous: false, kind };
      }
      const holder = holderName(parent);
      return { ...(holder ? named(`${holder}.${member}`, member) : anonymous(`${member} method`)), kind };
    }
    if (Node.isFunctionDeclaration(node)) return { ...named(node.getName() ?? "default"), kind: "function" };
    const naming = expressionNaming(node);
    const fallbackKind: FunctionKind = Node.isArrowFunction(node)
      ? "arrow"
      : enclosingFunction(node)
        ? "closure"
        : "function";
    return { ...naming, kind: naming.kind ?? fallbackKind };
  }

  function identifyNaming(node: TsNode): Naming {
    const known = memo.get(node);
    if (known) return known;
    const outer = enclosingFunction(node);
    const outerNaming = outer ? identifyNaming(outer) : undefined;
    const enclosing = outerNaming ? (outerNaming.anonymous ? outerNaming.enclosing : outerNaming.name) : undefined;
    const outerPlace = outerNaming?.place;
    const own = ownNaming(node);
    // A nested named closure (`callback`) is ambiguous alone, so its name is its place; class members are not.
    const place = own.anonymous
      ? outerPlace
      : own.className !== undefined || outerPlace === undefined
        ? own.name
        : `${own.name} in ${outerPlace}`;
    const name = own.anonymous ? (outerPlace ? own.name.replace(/>$/, ` in ${outerPlace}>`) : own.name) : place!;
    const generated = Boolean(own.generated) || insideTsHelper(node);
    const naming: Naming = {
      name,
      kind: own.kind,
      anonymous: own.anonymous,
      place,
      ...(own.className !== undefined && { className: own.className }),
      ...(own.member !== undefined && { member: own.member }),
      ...(enclosing !== undefined && { enclosing }),
      ...(generated && { generated: true }),
    };
    memo.set(node, naming);
    return naming;
  }

  return {
    isFunction,
    identify(node) {
      const { anonymous: _anonymous, place: _place, ...identity } = identifyNaming(node);
      return identity;
    },
  };
}
