// The JSON Schema of ark-sync.yaml (schemas/config.schema.json, also the one editors use), compiled
// with ajv once, at first use (docs/manifests.md#overlays-ark-syncyaml).
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import schema from "../../schemas/config.schema.json" with { type: "json" };

let validate: ValidateFunction | undefined;

/** The schema errors of the configuration's value; empty when it is valid. */
export function checkConfigAgainstSchema(value: unknown): ErrorObject[] {
  if (validate === undefined) {
    // allErrors: every problem at once; verbose: errors carry their schema node, for messages.
    // validateSchema: false: the schema is ours and checked against the meta-schema by a test
    // (endpoint-schema.test.ts); compiling the meta-schema was most of the compile.
    const ajv = new Ajv({ allErrors: true, strict: true, verbose: true, validateSchema: false });
    ajv.addKeyword("patternErrorMessage");
    validate = ajv.compile(schema);
  }
  return validate(value) ? [] : [...(validate.errors ?? [])];
}
