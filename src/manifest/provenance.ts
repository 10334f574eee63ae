// Where each value of an endpoint's manifest was written, so a problem on an endpoint an overlay
// resolved is still reported at the file, line and column of the offending value: the base manifest,
// or the overlay's patch operation, default or common tag (docs/manifests.md#overlays-ark-syncyaml).
import { type Document, isMap, isSeq, type Node } from "yaml";
import type { SourceLocation } from "../core/types.js";

/** JSON Pointer (`/rate_limit/tpm`; `` for the whole document) → where that value was written. */
export type Provenance = Map<string, SourceLocation>;

/** Every node of a parsed manifest document, by pointer. */
export function provenanceOf(doc: Document.Parsed, locate: (offset: number) => SourceLocation): Provenance {
  const provenance: Provenance = new Map();
  const visit = (node: Node | null, pointer: string) => {
    if (node?.range) provenance.set(pointer, locate(node.range[0]));
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        const name = key !== null && "value" in key ? String(key.value) : "";
        visit(pair.value as Node | null, `${pointer}/${escapeSegment(name)}`);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        visit(item as Node | null, `${pointer}/${index}`);
      });
    }
  };
  visit(doc.contents, "");
  return provenance;
}

/** The top-level keys load-manifests.ts places an endpoint's problems at (its name, its move). */
export const PLACEMENT_KEYS: readonly string[] = ["name", "moved_from"];

/** Only the document's node and its top-level PLACEMENT_KEYS: all a caller that never overlays needs. */
export function placementOf(doc: Document.Parsed, locate: (offset: number) => SourceLocation): Provenance {
  const provenance: Provenance = new Map();
  const contents = doc.contents;
  if (contents?.range) provenance.set("", locate(contents.range[0]));
  if (!isMap(contents)) return provenance;
  for (const key of PLACEMENT_KEYS) {
    const node = contents.get(key, true) as Node | undefined;
    if (node?.range) provenance.set(`/${escapeSegment(key)}`, locate(node.range[0]));
  }
  return provenance;
}

/** The same entries of a provenance recorded in full. */
export function placementIn(provenance: Provenance): Provenance {
  const kept: Provenance = new Map();
  for (const pointer of ["", ...PLACEMENT_KEYS.map((key) => `/${escapeSegment(key)}`)]) {
    const at = provenance.get(pointer);
    if (at !== undefined) kept.set(pointer, at);
  }
  return kept;
}

/** Where the value at `segments` was written: its own entry, else its nearest recorded ancestor's. */
export function locationOf(provenance: Provenance, segments: readonly string[]): SourceLocation {
  for (let length = segments.length; length > 0; length--) {
    const found = provenance.get(toPointer(segments.slice(0, length)));
    if (found !== undefined) return found;
  }
  const root = provenance.get("");
  if (root === undefined) throw new Error("provenance without the document's location");
  return root;
}

/** Records that the value at `pointer`, and everything in it, was written at `at`. */
export function writtenAt(provenance: Provenance, pointer: string, at: SourceLocation): void {
  forget(provenance, pointer);
  provenance.set(pointer, at);
}

/** Forgets the value at `pointer` and everything in it (it was removed). */
export function forget(provenance: Provenance, pointer: string): void {
  for (const key of [...provenance.keys()]) {
    if (key === pointer || key.startsWith(`${pointer}/`)) provenance.delete(key);
  }
}

export function toPointer(segments: readonly string[]): string {
  return segments.map((segment) => `/${escapeSegment(segment)}`).join("");
}

export function escapeSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}
