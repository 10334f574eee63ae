// Finds the YAML node behind a path into a document's value (an ajv instancePath, split), so a
// problem can be reported at the line and column of the node that causes it.
import { type Document, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from "yaml";

/** The node at `segments`, or the deepest node on the way when the path leaves the document. */
export function locateNode(doc: Document.Parsed, segments: readonly string[]): Node | null {
  let current: Node | null = doc.contents;
  for (const segment of segments) {
    const next = childNode(current, segment);
    if (next === undefined) break;
    // An empty value (`description:`) is a null scalar with a position; a missing one stays on the parent.
    if (next === null) return current;
    current = next;
  }
  return current;
}

/** The key node of `key` in the map at `segments`, or the map itself when the key is not there. */
export function locateKey(doc: Document.Parsed, segments: readonly string[], key: string): Node | null {
  const map = locateNode(doc, segments);
  if (!isMap(map)) return map;
  return (pairsByKey(map).get(key)?.key as Node | null | undefined) ?? map;
}

/** Splits a JSON Pointer (`/tags/0/key`) into unescaped segments. */
export function splitPointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function childNode(node: Node | null, segment: string): Node | null | undefined {
  if (isMap(node)) {
    const pair = pairsByKey(node).get(segment);
    return pair === undefined ? undefined : ((pair.value as Node | null) ?? null);
  }
  if (isSeq(node)) {
    const item = node.items[Number(segment)];
    return item === undefined ? undefined : ((item as Node | null) ?? null);
  }
  return undefined;
}

const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();

/** The pairs of a map by key text (first occurrence), built once per map: a hostile map with
 * thousands of unknown keys must not make each lookup a scan. */
function pairsByKey(map: YAMLMap): Map<string, Pair> {
  let index = indexes.get(map);
  if (index === undefined) {
    index = new Map();
    for (const pair of map.items) {
      if (isScalar(pair.key) && !index.has(String(pair.key.value))) index.set(String(pair.key.value), pair);
    }
    indexes.set(map, index);
  }
  return index;
}
