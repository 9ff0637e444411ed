// The style the project holds without review: the recommended rules of ESLint and typescript-eslint
// (syntax only, so `npm test` stays fast on two cores; `tsc --strict` already does the type checks),
// plus the few conventions STYLE.md asks for that a rule can see.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["dist/**", "node_modules/**", "test/fixtures/**", "coverage/**", "**/*.py"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Control characters are what the decoders and text fitting look for on purpose.
      "no-control-regex": "off",
    },
  },
  {
    files: ["**/*.ts", "**/*.tsx"],
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "separate-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      eqeqeq: ["error", "smart"],
      "no-var": "error",
      "prefer-const": "error",
    },
  },
  {
    // A patched function hands its caller's `arguments` on unchanged: rest parameters would change its
    // `length` and drop the arity the library checks (tracing changes nothing).
    files: ["src/instrument/**"],
    rules: { "prefer-rest-params": "off" },
  },
  {
    // Tests read untyped JSON and match screen layouts, where runs of spaces are the point.
    files: ["test/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "no-regex-spaces": "off" },
  },
);
