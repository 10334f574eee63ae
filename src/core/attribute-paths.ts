// Attributes as leaves: the three-way diff compares endpoints leaf by leaf (`rate_limit.rpm`,
// `model_reference.foundation_model.model_version`, `tags["env"]`). Tags are a set keyed by key, so a
// tag's leaf path is ["tags", key] and list order never matters.
import { attributeOrder } from "./mutability.js";
import type { AttributeName, AttributePath, EndpointAttributes, Tag } from "./types.js";

export interface Leaf {
  path: AttributePath;
  value: unknown;
}

/**
 * A stable map key for a path. Tag keys may contain dots, so a tag's key follows a NUL; attribute
 * names never contain one. (This runs for every leaf of every endpoint: it must stay cheap.)
 */
export function pathKey(path: AttributePath): string {
  return path[0] === "tags" ? `tags\u0000${path.slice(1).join("\u0000")}` : path.join(".");
}

/** How people read a path: `rate_limit.rpm`, `tags["env"]`. */
export function formatPath(path: AttributePath): string {
  if (path[0] === "tags" && path.length === 2) return `tags[${JSON.stringify(path[1])}]`;
  return path.join(".");
}

/** Parses an ignore_changes entry: `rate_limit.rpm`, `tags`, `tags.env` or `tags["env"]`. */
export function parsePath(text: string): AttributePath {
  const tagMatch = /^tags\[(".*")\]$/.exec(text);
  if (tagMatch?.[1]) return ["tags", String(JSON.parse(tagMatch[1]))];
  if (text.startsWith("tags.")) return ["tags", text.slice("tags.".length)];
  return text.split(".");
}

export function isPrefix(prefix: AttributePath, path: AttributePath): boolean {
  return prefix.length <= path.length && prefix.every((step, i) => step === path[i]);
}

/** Every set leaf of the attributes, keyed by pathKey, in plan order. */
export function flattenAttributes(attributes: EndpointAttributes | null | undefined): Map<string, Leaf> {
  const leaves = new Map<string, Leaf>();
  if (!isRecord(attributes)) return leaves;
  for (const name of attributeOrder) {
    const value = (attributes as Record<string, unknown>)[name];
    if (value === undefined || value === null) continue;
    if (name === "tags" && Array.isArray(value)) {
      for (const tag of value) {
        if (isRecord(tag) && typeof tag.key === "string") {
          const path = ["tags", tag.key];
          leaves.set(pathKey(path), { path, value: tag.value });
        }
      }
    } else {
      addLeaves(leaves, [name], value);
    }
  }
  return leaves;
}

function addLeaves(leaves: Map<string, Leaf>, path: AttributePath, value: unknown): void {
  if (isRecord(value)) {
    for (const key of Object.keys(value).sort()) {
      if (value[key] !== undefined && value[key] !== null) addLeaves(leaves, [...path, key], value[key]);
    }
  } else {
    leaves.set(pathKey(path), { path, value });
  }
}

/** Rebuilds attributes from leaves; tags come back sorted by key. */
export function unflattenAttributes(leaves: Iterable<Leaf>): EndpointAttributes {
  const root: Record<string, unknown> = {};
  const tags: Tag[] = [];
  for (const { path, value } of leaves) {
    if (path[0] === "tags" && path.length === 2) {
      tags.push({ key: path[1] as string, value: value as string });
      continue;
    }
    let node = root;
    for (const step of path.slice(0, -1)) {
      const next = Object.hasOwn(node, step) ? node[step] : undefined;
      if (!isRecord(next)) setOwn(node, step, {});
      node = node[step] as Record<string, unknown>;
    }
    setOwn(node, path[path.length - 1] as string, value);
  }
  if (tags.length > 0) root.tags = tags.sort((a, b) => compareStrings(a.key, b.key));
  return orderAttributes(root) as unknown as EndpointAttributes;
}

/** The same attributes with keys in plan order, so serialised plans are byte-stable. */
function orderAttributes(root: Record<string, unknown>): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const name of attributeOrder) if (root[name] !== undefined) ordered[name] = root[name];
  return ordered;
}

/** Position of the path's attribute in plan order (attributeOrder). */
export function attributeRank(path: AttributePath): number {
  const rank = attributeOrder.indexOf(path[0] as AttributeName);
  return rank === -1 ? attributeOrder.length : rank;
}

export function topAttribute(path: AttributePath): AttributeName {
  return path[0] as AttributeName;
}

export function leafEquals(a: unknown, b: unknown): boolean {
  return a === b || (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b));
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `record[key] = value` as data, even for a key such as `__proto__`, which plain assignment would take
 * for the object's prototype. */
export function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
