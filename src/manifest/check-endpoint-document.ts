// Checks one sound YAML document as an endpoint: the JSON Schema, then the rules it cannot express.
// A document with no problems becomes a DesiredEndpoint.
import type { Document } from "yaml";
import type { DesiredEndpoint, SourceLocation } from "../core/types.js";
import { checkEndpointRules } from "./check-endpoint-rules.js";
import { describeSchemaError } from "./describe-schema-error.js";
import type { DocumentProblem } from "./document-problem.js";
import { checkAgainstSchema } from "./endpoint-schema.js";
import { plainValueOf } from "./plain-value.js";
import { type EndpointManifest, toDesiredEndpoint } from "./to-desired-endpoint.js";

export interface CheckedDocument {
  endpoint?: DesiredEndpoint;
  problems: DocumentProblem[];
  /** The document as a plain value, converted once for the checks and kept by whoever needs it. */
  value: unknown;
}

export function checkEndpointDocument(
  doc: Document.Parsed,
  source: string,
  location: SourceLocation,
  lineOf: (offset: number) => number,
): CheckedDocument {
  // Sound documents hold no aliases and no reserved keys, so this plain conversion is safe.
  const value = plainValueOf(doc);
  return checkEndpointValue(value, () => doc, source, location, lineOf);
}

/**
 * The same checks on a document's value. `docOf` gives the document it is the value of, asked for
 * only to place a problem: a valid value, the usual case, never needs it (recheck-endpoint.ts builds
 * one only then).
 */
export function checkEndpointValue(
  value: unknown,
  docOf: () => Document.Parsed,
  source: string,
  location: SourceLocation,
  lineOf: (offset: number) => number,
): CheckedDocument {
  const problems = [
    ...checkAgainstSchema(value).map((error) => describeSchemaError(error, docOf(), source)),
    ...checkEndpointRules(value, docOf, lineOf),
  ];
  if (problems.length > 0) return { problems, value };
  return { endpoint: toDesiredEndpoint(value as EndpointManifest, location), problems, value };
}
