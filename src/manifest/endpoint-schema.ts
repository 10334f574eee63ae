// The manifest's JSON Schema (schemas/endpoint.schema.json, also the one editors use), compiled with
// ajv once, at first use.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import schema from "../../schemas/endpoint.schema.json" with { type: "json" };

/** The parts of a JSON Schema node that messages and checks read. */
export interface SchemaNode {
  description?: string;
  type?: string;
  properties?: Record<string, SchemaNode>;
  const?: unknown;
  patternErrorMessage?: string;
}

export const endpointSchema: SchemaNode = schema;

let validate: ValidateFunction | undefined;

/** The schema errors of one document's value; empty when it is valid. */
export function checkAgainstSchema(value: unknown): ErrorObject[] {
  validate ??= compileSchema();
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

function compileSchema(): ValidateFunction {
  // allErrors: report every problem at once; input size and depth are bounded before this runs.
  // verbose: errors carry their schema node, for patternErrorMessage and property names.
  // validateSchema: false: the schema is ours and checked against the meta-schema by a test
  // (endpoint-schema.test.ts); compiling the meta-schema was most of each worker's compile.
  const ajv = new Ajv({ allErrors: true, strict: true, verbose: true, validateSchema: false });
  // VS Code's extension keyword: the message shown when `pattern` fails, in editors and here.
  ajv.addKeyword("patternErrorMessage");
  return ajv.compile(schema);
}
