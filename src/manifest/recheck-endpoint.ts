// Checks an endpoint an overlay changed with the same checks as a parsed manifest, placing each
// problem where the offending value was written (docs/manifests.md#overlays-ark-syncyaml). The checks
// report offsets into a document, so when one finds a problem the value is made a document whose
// every node's offset is an index into a table of those places; a valid value needs none.
import { Document, isMap, isSeq, type Node } from "yaml";
import type { SourceLocation } from "../core/types.js";
import { checkEndpointValue } from "./check-endpoint-document.js";
import type { Diagnostic } from "./diagnostic.js";
import { locationOf, type Provenance } from "./provenance.js";
import type { SourcedEndpoint } from "./sourced-endpoint.js";

export function recheckEndpoint(
  manifest: Record<string, unknown>,
  provenance: Provenance,
): { sourced?: SourcedEndpoint; diagnostics: Diagnostic[] } {
  const root = locationOf(provenance, []);
  let placed: { doc: Document.Parsed; places: SourceLocation[] } | undefined;
  const place = () => {
    placed ??= placeDocument(manifest, provenance);
    return placed;
  };
  const at = (index: number): SourceLocation => place().places[index] ?? root;
  // No source text: the hints that quote what was written read it from a real manifest only.
  const checked = checkEndpointValue(
    manifest,
    () => place().doc,
    "",
    root,
    (index) => at(index).line,
  );
  const diagnostics = checked.problems.map(
    ({ offset, code, message }): Diagnostic => ({
      ...at(offset),
      severity: "error",
      code,
      message,
    }),
  );
  if (checked.endpoint === undefined) return { diagnostics };
  return { sourced: { endpoint: checked.endpoint, manifest, provenance }, diagnostics };
}

/** The manifest as a document whose every node's offset is an index into `places`. */
function placeDocument(
  manifest: Record<string, unknown>,
  provenance: Provenance,
): { doc: Document.Parsed; places: SourceLocation[] } {
  const places: SourceLocation[] = [];
  const doc = new Document(manifest, { version: "1.2" }) as unknown as Document.Parsed;
  const place = (node: Node, segments: readonly string[]) => {
    const index = places.push(locationOf(provenance, segments)) - 1;
    node.range = [index, index, index];
  };
  const visit = (node: Node | null, segments: string[]) => {
    if (node === null) return;
    place(node, segments);
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as Node;
        const name = String((key as { value?: unknown }).value);
        place(key, [...segments, name]);
        visit(pair.value as Node | null, [...segments, name]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        visit(item as Node | null, [...segments, String(index)]);
      });
    }
  };
  visit(doc.contents, []);
  return { doc, places };
}
