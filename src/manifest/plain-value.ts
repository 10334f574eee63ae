// A sound manifest document's value as plain data: what yaml's toJS gives for it, without the anchor
// bookkeeping and per-node dispatch toJS does for every node, a cost paid on every endpoint.
import { type Document, isMap, isScalar, isSeq } from "yaml";

/** The document's value; yaml's own toJS for anything but plain strings, numbers, booleans and null
 * in maps keyed by strings and sequences (which a sound document has nothing but). */
export function plainValueOf(doc: Document.Parsed): unknown {
  const value = plainOf(doc.contents);
  return value === NOT_PLAIN ? doc.toJS({ maxAliasCount: 0 }) : value;
}

const NOT_PLAIN = Symbol("not plain");

function plainOf(node: unknown): unknown {
  if (node === null) return null;
  if (isScalar(node)) {
    const { value } = node;
    const primitive =
      value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean";
    return primitive ? value : NOT_PLAIN;
  }
  if (isMap(node)) {
    const object: Record<string, unknown> = {};
    for (const { key, value } of node.items) {
      // Sound documents hold no reserved key (`__proto__`), so assignment only ever adds own data.
      if (!isScalar(key) || typeof key.value !== "string") return NOT_PLAIN;
      const plain = plainOf(value);
      if (plain === NOT_PLAIN) return NOT_PLAIN;
      object[key.value] = plain;
    }
    return object;
  }
  if (isSeq(node)) {
    const array: unknown[] = [];
    for (const item of node.items) {
      const plain = plainOf(item);
      if (plain === NOT_PLAIN) return NOT_PLAIN;
      array.push(plain);
    }
    return array;
  }
  return NOT_PLAIN;
}
