/**
 * Checks parsed JSON against the subset of JSON Schema the scenario schemas
 * in `traces/` use (type, enum, properties, required, additionalProperties,
 * items, minItems, minimum, pattern, anyOf, local `$ref`), and names the first
 * problem with its path: `steps[2].anchor: expected a string, found 3`.
 * Pure; the schemas are data, so an editor can check the same files.
 */

/** The part of JSON Schema the checker understands; anything else in a schema is documentation. */
export interface JsonSchema {
  readonly type?: "object" | "array" | "string" | "number" | "integer" | "boolean";
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly minimum?: number;
  readonly pattern?: string;
  readonly anyOf?: readonly JsonSchema[];
  readonly $ref?: string;
  readonly $defs?: Readonly<Record<string, JsonSchema>>;
}

/** The first place where a value breaks its schema. */
export interface SchemaProblem {
  /** `steps[2].anchor`; empty for the document itself. */
  readonly path: string;
  readonly problem: string;
}

/** A value as an error message shows it: its kind for containers, short JSON otherwise. */
export function preview(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

const ARTICLE: Readonly<Record<NonNullable<JsonSchema["type"]>, string>> = {
  object: "an object",
  array: "a list",
  string: "a string",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
};

function typeOk(type: NonNullable<JsonSchema["type"]>, value: unknown): boolean {
  switch (type) {
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return Number.isInteger(value);
    default:
      return typeof value === type;
  }
}

function join(path: string, key: string | number): string {
  return typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

function resolved(schema: JsonSchema, root: JsonSchema): JsonSchema {
  return schema.$ref ? (root.$defs?.[schema.$ref.replace(/^#\/\$defs\//, "")] ?? schema) : schema;
}

/** Checks `value` against `schema` (whose `$defs` resolve `$ref`s); undefined when it conforms. */
export function checkSchema(value: unknown, schema: JsonSchema, root: JsonSchema = schema, path = ""): SchemaProblem | undefined {
  const fail = (problem: string): SchemaProblem => ({ path, problem });
  if (schema.$ref) {
    const name = schema.$ref.replace(/^#\/\$defs\//, "");
    const target = root.$defs?.[name];
    if (!target) return fail(`the schema has no definition ${schema.$ref}`);
    return checkSchema(value, target, root, path);
  }
  if (schema.anyOf) {
    const options = schema.anyOf.map((option) => resolved(option, root));
    // The option of the value's own type says what was meant; with none, say which types would do.
    const fitting = options.filter((option) => option.type === undefined || typeOk(option.type, value));
    if (!fitting.length) return fail(`expected ${options.map((o) => ARTICLE[o.type!]).join(" or ")}, found ${preview(value)}`);
    const problems = fitting.map((option) => checkSchema(value, option, root, path));
    return problems.some((p) => p === undefined) ? undefined : problems[0];
  }
  if (schema.enum && !schema.enum.includes(value)) return fail(`expected one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}, found ${preview(value)}`);
  if (schema.type && !typeOk(schema.type, value)) return fail(`expected ${ARTICLE[schema.type]}, found ${preview(value)}`);
  if (typeof value === "string" && schema.pattern && !new RegExp(schema.pattern).test(value)) return fail(`${preview(value)} does not match ${schema.pattern}`);
  if (typeof value === "number" && schema.minimum !== undefined && value < schema.minimum) return fail(`expected at least ${schema.minimum}, found ${value}`);
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return fail(`expected at least ${schema.minItems} entries, found ${value.length}`);
    if (schema.items) {
      for (let i = 0; i < value.length; i++) {
        const problem = checkSchema(value[i], schema.items, root, join(path, i));
        if (problem) return problem;
      }
    }
  }
  if (typeOk("object", value)) {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (object[key] === undefined) return fail(`missing field ${key}`);
    for (const [key, field] of Object.entries(object)) {
      const own = schema.properties?.[key];
      const extra = schema.additionalProperties;
      if (!own && extra === false) return { path: join(path, key), problem: `unknown field (known: ${Object.keys(schema.properties ?? {}).join(", ")})` };
      const fieldSchema = own ?? (typeof extra === "object" ? extra : undefined);
      const problem = fieldSchema ? checkSchema(field, fieldSchema, root, join(path, key)) : undefined;
      if (problem) return problem;
    }
  }
  return undefined;
}
