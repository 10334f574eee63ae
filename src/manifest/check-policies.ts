// The directory's policies (docs/manifests.md#policies-and-max_destroy): JSON Schema files, in JSON or
// YAML, that every resolved endpoint must satisfy, in the manifest's attribute names. A policy file that
// cannot be read or is not a schema is an error at its item in ark-sync.yaml; each violation is an error
// where the failing value was written (else at the nearest value above it), naming the policy.
import path from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { isPair, isScalar, LineCounter, parse, parseDocument, visit } from "yaml";
import { readRegularFile } from "../core/read-regular-file.js";
import type { SourceLocation } from "../core/types.js";
import type { Diagnostic } from "./diagnostic.js";
import { MAX_FILE_BYTES } from "./limits.js";
import { linearRegExp, UnsupportedPattern } from "./linear-regexp.js";
import type { Placed } from "./load-config.js";
import { locationOf } from "./provenance.js";
import { quote } from "./quote.js";
import type { SourcedEndpoint } from "./sourced-endpoint.js";

interface Policy {
  title: string;
  validate: ValidateFunction;
}

export async function checkPolicies(
  policies: ReadonlyArray<Placed<string>>,
  endpoints: readonly SourcedEndpoint[],
): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const compiled: Policy[] = [];
  for (const { value: file, at } of policies) {
    const loaded = await loadPolicy(file);
    if ("validate" in loaded) compiled.push(loaded);
    else
      diagnostics.push({
        ...(loaded.at ?? at),
        severity: "error",
        code: "bad_policy",
        message: loaded.problem,
      });
  }
  for (const { endpoint, manifest, provenance } of endpoints) {
    for (const { title, validate } of compiled) {
      if (validate(manifest)) continue;
      for (const error of validate.errors ?? []) {
        const { pointer, problem } = describeViolation(error);
        const segments = pointer.split("/").slice(1).map(unescapeSegment);
        diagnostics.push({
          ...locationOf(provenance, segments),
          severity: "error",
          code: "policy_violation",
          message: `${quote(endpoint.address)} breaks policy ${quote(title)}: ${pointer || "the endpoint"} ${problem}`,
        });
      }
    }
  }
  return diagnostics;
}

/** Why a file is no policy, and where in it when that is known (else at its item in `policies:`). */
interface PolicyProblem {
  problem: string;
  at?: SourceLocation;
}

/** The compiled policy, or why the file is no policy. */
async function loadPolicy(file: string): Promise<Policy | PolicyProblem> {
  const read = await readRegularFile(file, MAX_FILE_BYTES);
  if (!("bytes" in read)) return { problem: `cannot read policy ${quote(file)}: ${read.reason}` };
  const text = new TextDecoder().decode(read.bytes);
  let schema: unknown;
  try {
    // YAML 1.2 reads JSON too.
    schema = parse(text, { maxAliasCount: 0 });
  } catch (error) {
    return {
      problem: `policy ${quote(file)} is not valid JSON or YAML: ${(error as Error).message.split("\n")[0]?.replace(/:$/, "")}`,
    };
  }
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    return { problem: `policy ${quote(file)} is not a JSON Schema: it must be a map` };
  }
  // A keyword ajv does not know is an error (a misspelt one would otherwise check nothing); `type` may
  // be left out, as the policies check manifests the endpoint schema has already checked.
  const ajv = new Ajv({
    allErrors: true,
    strictSchema: true,
    strictTypes: false,
    strictTuples: false,
    logger: false,
    // Each pattern in RE2 (linear time). Strict mode would also test every property name in
    // `properties` against each `patternProperties` pattern with JavaScript's backtracking engine,
    // at compile time; allowing such a match skips that lint.
    code: { regExp: linearRegExp },
    allowMatchingProperties: true,
  });
  try {
    const validate = ajv.compile(schema);
    const title = (schema as { title?: unknown }).title;
    return { title: typeof title === "string" ? title : path.basename(file), validate };
  } catch (error) {
    if (error instanceof UnsupportedPattern) {
      return {
        problem: `pattern ${quote(error.pattern)} cannot be used: ${error.reason}; policies use RE2 syntax, which runs in linear time and has no lookaround or backreferences`,
        at: locatePattern(file, text, error.pattern),
      };
    }
    return {
      problem: `policy ${quote(file)} is not a valid JSON Schema (draft-07): ${(error as Error).message}`,
    };
  }
}

/** Where `pattern` is written in the policy: a `pattern:` value or a `patternProperties` key. */
function locatePattern(file: string, text: string, pattern: string): SourceLocation {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  let offset = 0;
  visit(doc, {
    Pair(_key, pair, path) {
      const key = pair.key;
      const value = pair.value;
      const parent = path.at(-2);
      const parentKey = isPair(parent) && isScalar(parent.key) ? parent.key.value : undefined;
      if (!isScalar(key)) return undefined;
      if (key.value === "pattern" && isScalar(value) && value.value === pattern) {
        offset = value.range?.[0] ?? 0;
        return visit.BREAK;
      }
      if (parentKey === "patternProperties" && key.value === pattern) {
        offset = key.range?.[0] ?? 0;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return { file, ...lineCounter.linePos(offset) };
}

/** The JSON Pointer of the failing value (a missing or extra property's own), and what is wrong. */
function describeViolation(error: ErrorObject): { pointer: string; problem: string } {
  const at = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return { pointer: `${at}/${escapeSegment(String(params.missingProperty))}`, problem: "is required" };
    case "additionalProperties":
      return {
        pointer: `${at}/${escapeSegment(String(params.additionalProperty))}`,
        problem: "is not allowed",
      };
    case "const":
      return { pointer: at, problem: `must be ${JSON.stringify(params.allowedValue)}` };
    case "enum":
      return {
        pointer: at,
        problem: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
      };
    default:
      return { pointer: at, problem: error.message ?? `fails ${error.keyword}` };
  }
}

function escapeSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}
