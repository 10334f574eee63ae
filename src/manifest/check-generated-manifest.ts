// Whether an endpoint read from Ark can be written as a manifest (`import --all --generate`,
// docs/state.md#importing-a-fleet-import---all): its text goes through the checks every manifest gets
// (YAML, the JSON Schema, the rules it cannot express), must read back as the same address and
// attributes, and its file name must be one the directory reads as a manifest. What fails is named, so
// the endpoint can be skipped before anything is written; Ark accepts names and projects that no
// manifest can hold (control characters, a '/' in a project, ...).
import { join } from "node:path";
import { canonicalJson } from "../core/plan-hash.js";
import type { EndpointAttributes } from "../core/types.js";
import { checkEndpointDocument } from "./check-endpoint-document.js";
import { generateManifest, manifestPath } from "./generate-manifest.js";
import { CONFIG_FILE } from "./load-config.js";
import { parseYamlDocuments } from "./parse-yaml-documents.js";

/** Linux's NAME_MAX, in bytes, for each part of the path (most other file systems allow 255 too). */
const MAX_NAME_BYTES = 255;

/** The manifest's text and file, or why it cannot be written (messages, values already escaped). */
export type GeneratedManifest = { text: string; file: string } | { problems: string[] };

/** @param dir the manifest directory it is to be written in. */
export function generateCheckedManifest(attributes: EndpointAttributes, dir: string): GeneratedManifest {
  const file = manifestPath(attributes);
  const text = generateManifest(attributes, join(dir, file));
  const problems = [...checkText(text, attributes), ...checkFileName(file)];
  return problems.length > 0 ? { problems } : { text, file };
}

function checkText(text: string, attributes: EndpointAttributes): string[] {
  const parsed = parseYamlDocuments("generated", text);
  const [document] = parsed.documents;
  const yamlProblems = parsed.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
  if (yamlProblems.length > 0 || document === undefined) return yamlProblems;
  const checked = checkEndpointDocument(
    document.doc,
    text,
    { file: "generated", line: 1, col: 1 },
    (offset) => parsed.lineCounter.linePos(offset).line,
  );
  if (checked.endpoint === undefined) return checked.problems.map((problem) => problem.message);
  // Never expected: a manifest that validates but reads back as something else would plan changes.
  const address = `${attributes.project_name}/${attributes.name}`;
  if (
    checked.endpoint.address !== address ||
    canonicalJson(checked.endpoint.attributes) !== canonicalJson(attributes)
  )
    return ["its manifest would not read back as the same endpoint"];
  return [];
}

function checkFileName(file: string): string[] {
  const parts = file.split("/");
  const problems: string[] = [];
  // A folder's own ark-sync.yaml is its configuration (and makes it a project), never an endpoint.
  if (parts.some((part) => part.toLowerCase() === CONFIG_FILE)) {
    problems.push(`its file would be ${file}, and ${CONFIG_FILE} is the name of a directory's configuration`);
  }
  if (parts.some((part) => Buffer.byteLength(part) > MAX_NAME_BYTES)) {
    problems.push(`its file name would be longer than ${MAX_NAME_BYTES} bytes`);
  }
  return problems;
}
