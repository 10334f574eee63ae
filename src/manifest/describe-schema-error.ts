// Turns an ajv error into a message a person can act on, at the position of the node that causes
// it: the offending key for an unknown attribute, the parent map for a missing one, else the value.
import type { ErrorObject } from "ajv";
import { type Document, isScalar, type Node } from "yaml";
import type { DocumentProblem } from "./document-problem.js";
import type { SchemaNode } from "./endpoint-schema.js";
import { locateKey, locateNode, splitPointer } from "./locate-node.js";
import { quote } from "./quote.js";
import { READ_ONLY_ATTRIBUTES } from "./read-only-attributes.js";
import { suggestName } from "./suggest-name.js";

const TYPE_NOUNS = new Map([
  ["string", "a string"],
  ["integer", "an integer"],
  ["number", "a number"],
  ["boolean", "true or false"],
  ["object", "a map"],
  ["array", "a list"],
]);

export function describeSchemaError(
  error: ErrorObject,
  doc: Document.Parsed,
  source: string,
): DocumentProblem {
  const segments = splitPointer(error.instancePath);
  const target = displayPath(segments);
  const schema = (error.parentSchema ?? {}) as SchemaNode;
  const at = (node: Node | null, code: string, message: string): DocumentProblem => ({
    offset: node?.range?.[0] ?? doc.contents?.range[0] ?? 0,
    code,
    message,
  });
  const atValue = (code: string, message: string) => at(locateNode(doc, segments), code, message);
  const params = error.params as Record<string, unknown>;

  switch (error.keyword) {
    case "additionalProperties": {
      const name = String(params.additionalProperty);
      const keyNode = locateKey(doc, segments, name);
      if (segments.length === 0 && READ_ONLY_ATTRIBUTES.has(name)) {
        return at(keyNode, "read_only_attribute", `${quote(name)} is read-only; it comes from Ark`);
      }
      const where = segments.length === 0 ? "" : ` in ${target}`;
      const suggestion = suggestName(name, Object.keys(schema.properties ?? {}));
      const hint = suggestion === undefined ? "" : `; did you mean ${quote(suggestion)}?`;
      return at(keyNode, "unknown_attribute", `unknown attribute ${quote(name)}${where}${hint}`);
    }
    case "required": {
      const name = String(params.missingProperty);
      const where = segments.length === 0 ? "" : ` in ${target}`;
      const constant = schema.properties?.[name]?.const;
      const hint = typeof constant === "string" ? ` (add ${name}: ${constant})` : "";
      return atValue("missing_attribute", `missing required attribute ${quote(name)}${where}${hint}`);
    }
    case "type":
      return atValue("wrong_type", describeTypeError(segments, String(params.type), error.data, doc, source));
    case "const":
      return atValue("wrong_value", `${target} must be ${quote(String(params.allowedValue))}`);
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const suggestion = typeof error.data === "string" ? suggestName(error.data, allowed) : undefined;
      const hint = suggestion === undefined ? "" : `; did you mean ${quote(suggestion)}?`;
      return atValue("wrong_value", `${target} must be one of ${allowed.join(", ")}${hint}`);
    }
    case "minimum": {
      // A zero limit reads as "no limit"; ark-sync never writes one (docs/ark-api.md#removed-attributes).
      const unmanaged =
        segments[0] === "rate_limit" && error.data === 0
          ? `; to stop managing this limit, leave ${segments.at(-1)} out (the live value is then left as it is)`
          : "";
      return atValue(
        "out_of_range",
        params.limit === 0
          ? `${target} must not be negative`
          : `${target} must be at least ${params.limit}${unmanaged}`,
      );
    }
    case "maximum":
      return atValue("out_of_range", `${target} must be at most ${params.limit}`);
    case "minLength":
      return atValue("empty_value", `${target} must not be empty`);
    case "pattern":
      return atValue("wrong_format", `${target} ${schema.patternErrorMessage ?? "has an invalid format"}`);
    case "minProperties":
    case "maxProperties": {
      const choices = Object.keys(schema.properties ?? {}).join(" or ");
      const message =
        error.keyword === "minProperties"
          ? `${target} must set one of ${choices}`
          : `${target} must set only one of ${choices}, not both`;
      return atValue("exactly_one", message);
    }
    case "uniqueItems": {
      const later = String(params.j);
      const item = Array.isArray(error.data) ? error.data[Number(later)] : undefined;
      const node = locateNode(doc, [...segments, later]);
      return at(node, "duplicate_entry", `${target} lists ${quote(String(item))} more than once`);
    }
    default:
      return atValue(
        `schema_${error.keyword}`,
        `${target || "the document"} ${error.message ?? "is invalid"}`,
      );
  }
}

/** `rate_limit.rpm`, `tags[1].key`. */
export function displayPath(segments: readonly string[]): string {
  let text = "";
  for (const segment of segments) {
    text += /^\d+$/.test(segment) ? `[${segment}]` : text === "" ? segment : `.${segment}`;
  }
  return quoteIfUnusual(text);
}

function quoteIfUnusual(path: string): string {
  return /^[\w.[\]-]*$/.test(path) ? path : quote(path);
}

function describeTypeError(
  segments: readonly string[],
  expected: string,
  data: unknown,
  doc: Document.Parsed,
  source: string,
): string {
  const noun = TYPE_NOUNS.get(expected) ?? expected;
  if (segments.length === 0)
    return `a manifest document must be a map of attributes (name: ..., model_reference: ...)`;
  const target = displayPath(segments);
  if (data === null) return `${target} has no value; it must be ${noun}`;
  const node = locateNode(doc, segments);
  const written =
    isScalar(node) && node.range ? source.slice(node.range[0], node.range[1]).trim() : undefined;
  if (expected === "string" && written !== undefined && /^[\w.+-]+$/.test(written)) {
    return `${target} must be a string; write it in quotes: "${written}"`;
  }
  const quoted = isScalar(node) && (node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE");
  if (expected === "boolean" && typeof data === "string") {
    return quoted
      ? `${target} must be true or false, not a string; remove the quotes`
      : `${target} must be true or false; YAML 1.2 reads ${quote(data)} as a string`;
  }
  if ((expected === "integer" || expected === "number") && quoted && /^\d+$/.test(String(data))) {
    return `${target} must be ${noun}, not a string; remove the quotes`;
  }
  if (target === "tags" && expected === "array" && typeof data === "object") {
    return "tags must be a list of key and value entries, e.g. tags: [{key: team, value: ml}]";
  }
  return `${target} must be ${noun}`;
}
