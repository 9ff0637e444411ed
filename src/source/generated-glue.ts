/**
 * Recognises what tsc writes into compiled modules besides the author's code —
 * tslib helpers, re-export getters, enum wrappers — so those functions are
 * marked `generated` and never sent looking for an upstream counterpart.
 */
import type { Node as TsNode } from "ts-morph";
import type { TsMorphModule } from "./ts-morph-loader.js";

/** tslib-style helpers (`__importStar`, `__awaiter`) that tsc writes into each module. */
const TS_HELPER = /^__[A-Za-z]+$/;

/** Tests on nodes of one parse. */
export interface GlueDetector {
  /** `Object.defineProperty(exports, "X", { get: function () { … } })`: the property assignment. */
  isReExportGetter(property: TsNode): boolean;
  /** `(function (E) { … })(E || (exports.E = E = {}))`: the call of a compiled enum or namespace. */
  isEnumIife(call: TsNode): boolean;
  /** Inside `var __importStar = (this && this.__importStar) || …`, at any depth. */
  insideTsHelper(node: TsNode): boolean;
}

/** Creates the detector for the loaded ts-morph module. */
export function createGlueDetector(tsm: TsMorphModule): GlueDetector {
  const { Node, SyntaxKind } = tsm;

  function isTopLevel(declaration: TsNode): boolean {
    return Node.isSourceFile(declaration.getParent()?.getParent()?.getParent());
  }

  return {
    isReExportGetter(property) {
      const call = property.getParent()?.getParent();
      if (!call || !Node.isCallExpression(call)) return false;
      const [target] = call.getArguments();
      return (
        call.getExpression().getText() === "Object.defineProperty" &&
        (target?.getText() === "exports" || target?.getText() === "module.exports")
      );
    },
    isEnumIife(call) {
      if (!Node.isCallExpression(call)) return false;
      const args = call.getArguments();
      const arg = args[0];
      return (
        args.length === 1 &&
        arg !== undefined &&
        Node.isBinaryExpression(arg) &&
        arg.getOperatorToken().getKind() === SyntaxKind.BarBarToken &&
        /=\s*\{\s*\}\s*\)$/.test(arg.getRight().getText())
      );
    },
    insideTsHelper(node) {
      const helper = node.getFirstAncestor(
        (a) => Node.isVariableDeclaration(a) && TS_HELPER.test(a.getName()) && isTopLevel(a),
      );
      return helper !== undefined;
    },
  };
}
