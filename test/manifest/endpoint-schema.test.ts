import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { checkAgainstSchema } from "../../src/manifest/endpoint-schema.js";

const test = suite("endpoint schema");
const schemaFile = fileURLToPath(new URL("../../../schemas/endpoint.schema.json", import.meta.url));
const configSchemaFile = fileURLToPath(new URL("../../../schemas/config.schema.json", import.meta.url));

interface Node {
  type?: string;
  description?: string;
  additionalProperties?: boolean;
  properties?: Record<string, Node>;
  items?: Node;
}

function walk(node: Node, path: string, visit: (node: Node, path: string) => void): void {
  visit(node, path);
  for (const [name, child] of Object.entries(node.properties ?? {})) walk(child, `${path}.${name}`, visit);
  if (node.items) walk(node.items, `${path}[]`, visit);
}

test("both schemas are valid against their meta-schema (run time compiles them without checking)", () => {
  for (const file of [schemaFile, configSchemaFile]) {
    const ajv = new Ajv({ strict: true });
    ajv.addKeyword("patternErrorMessage");
    const valid = ajv.validateSchema(JSON.parse(readFileSync(file, "utf8")));
    assert.ok(valid, `${file}: ${ajv.errorsText(ajv.errors)}`);
  }
});

test("every node has a description for editors, and every object is closed", () => {
  const schema = JSON.parse(readFileSync(schemaFile, "utf8")) as Node;
  walk(schema, "$", (node, path) => {
    assert.ok((node.description ?? "").length > 10, `${path} has no useful description`);
    if (node.type === "object") assert.is(node.additionalProperties, false, `${path} is open`);
  });
});

test("the design's example is valid; exactly one model reference is required", () => {
  const base = { apiVersion: "ark-sync/v1", kind: "Endpoint", name: "x" };
  assert.equal(checkAgainstSchema({ ...base, model_reference: { custom_model_id: "cm-1" } }), []);
  const neither = checkAgainstSchema({ ...base, model_reference: {} });
  assert.equal(
    neither.map((error) => error.keyword),
    ["minProperties"],
  );
  const both = checkAgainstSchema({
    ...base,
    model_reference: { custom_model_id: "cm-1", foundation_model: { name: "m", model_version: "1" } },
  });
  assert.equal(
    both.map((error) => error.keyword),
    ["maxProperties"],
  );
});

test.run();
