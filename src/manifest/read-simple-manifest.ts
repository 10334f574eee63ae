// The fast path of reading a manifest file: a file read-plain-yaml.ts can read, whose documents are
// all valid endpoints, is read without composing yaml Documents (docs/design.md §11). It answers only
// when it can answer exactly as the composed path (check-manifest-file.ts) would: the same endpoints,
// values and positions. A file that is not plain, or has a problem in any document, is left to the
// composed path whole, so every diagnostic comes from one place (test/manifest/simple-manifest.test.ts).
import { LineCounter } from "yaml";
import type { SourceLocation } from "../core/types.js";
import { checkEndpointValue } from "./check-endpoint-document.js";
import { escapeSegment, PLACEMENT_KEYS, type Provenance } from "./provenance.js";
import { type PlainDocument, readPlainYaml } from "./read-plain-yaml.js";
import type { SourcedEndpoint } from "./sourced-endpoint.js";

/** The file's endpoints, or null when the composed path must read it. */
export function readSimpleManifest(
  file: string,
  text: string,
  recorded: "full" | "placement",
): SourcedEndpoint[] | null {
  const lineCounter = new LineCounter();
  const documents = readPlainYaml(text, lineCounter.addNewLine);
  if (documents === null) return null;
  const locate = (offset: number): SourceLocation => ({ file, ...lineCounter.linePos(offset) });
  const endpoints: SourcedEndpoint[] = [];
  for (const document of documents) {
    const endpoint = endpointOf(document, text, locate, recorded);
    if (endpoint === null) return null;
    endpoints.push(endpoint);
  }
  return endpoints;
}

/** The checks ask for the document only to place a problem: this path leaves that to the composed one. */
class NeedsDocument extends Error {}

const needsDocument = (): never => {
  throw new NeedsDocument();
};

/** The document's endpoint, or null when it has a problem (its place is the composed path's to find). */
function endpointOf(
  { value, offsets }: PlainDocument,
  text: string,
  locate: (offset: number) => SourceLocation,
  recorded: "full" | "placement",
): SourcedEndpoint | null {
  const at = locate(offsets.get("") as number);
  let checked: ReturnType<typeof checkEndpointValue>;
  try {
    checked = checkEndpointValue(value, needsDocument, text, at, (offset) => locate(offset).line);
  } catch (error) {
    if (error instanceof NeedsDocument) return null;
    throw error;
  }
  if (checked.endpoint === undefined || checked.problems.length > 0) return null;
  // In the composed path's order: every node in document order, or the document and its placement keys.
  const pointers =
    recorded === "full" ? offsets.keys() : ["", ...PLACEMENT_KEYS.map((key) => `/${escapeSegment(key)}`)];
  const provenance: Provenance = new Map();
  for (const pointer of pointers) {
    const offset = offsets.get(pointer);
    if (offset !== undefined) provenance.set(pointer, locate(offset));
  }
  return { endpoint: checked.endpoint, manifest: value, provenance };
}
