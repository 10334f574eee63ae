// One resource change as a tree of attribute diffs: the shape the text renderer draws. It is built
// only from fields the JSON plan also carries (endpoint_id, before, after, after_unknown), so a plan
// read back from a saved file draws the same.
import { compareStrings, leafEquals } from "../core/attribute-paths.js";
import type { AttributePath, ResourceChange } from "../core/types.js";
import { compareAttributeNames } from "./attribute-order.js";

export type NodeAction = "create" | "delete" | "update" | "no-op";

export interface DiffNode {
  /** Attribute name, or tag key inside `tags`. */
  key: string;
  path: AttributePath;
  action: NodeAction;
  /** Leaf values; undefined when unset. */
  before: unknown;
  after: unknown;
  /** The value after apply is known only after apply, e.g. a new endpoint_id. */
  unknown: boolean;
  /** Children of an object or of the tags map; null for a leaf. */
  children: DiffNode[] | null;
  /** Children are keyed by free-form strings (tag keys) rather than attribute names. */
  isMap: boolean;
}

/** The resource's top-level nodes: endpoint_id first, then the attributes in plan order. */
export function diffResource(resource: ResourceChange): DiffNode[] {
  const { before, after, after_unknown: afterUnknown } = resource.change;
  const idUnknown = own(afterUnknown, "endpoint_id") === true;
  const endpointId = resource.endpoint_id ?? undefined;
  const idNode = diffNode(
    "endpoint_id",
    ["endpoint_id"],
    before === null ? undefined : endpointId,
    after === null || idUnknown ? undefined : endpointId,
    idUnknown,
  );
  const beforeRecord = (before ?? {}) as Record<string, unknown>;
  const afterRecord = (after ?? {}) as Record<string, unknown>;
  const names = unionKeys(beforeRecord, afterRecord, unknownLeaves(afterUnknown))
    .filter((name) => name !== "endpoint_id")
    .sort(compareAttributeNames);
  return [
    idNode,
    ...names.map((name) =>
      diffNode(name, [name], own(beforeRecord, name), own(afterRecord, name), own(afterUnknown, name)),
    ),
  ];
}

function diffNode(
  key: string,
  path: AttributePath,
  before: unknown,
  after: unknown,
  unknownMark: unknown,
): DiffNode {
  const beforeSet = before !== undefined && before !== null;
  const afterSet = after !== undefined && after !== null;
  const beforeContainer = asContainer(path, before);
  const afterContainer = asContainer(path, after);
  const isContainer =
    (beforeContainer !== null || afterContainer !== null) &&
    (beforeContainer !== null || !beforeSet) &&
    (afterContainer !== null || !afterSet);

  if (!isContainer) {
    const unknown = unknownMark === true;
    return {
      key,
      path,
      action: leafAction(beforeSet ? before : undefined, afterSet ? after : undefined, unknown),
      before: beforeSet ? before : undefined,
      after: afterSet && !unknown ? after : undefined,
      unknown,
      children: null,
      isMap: false,
    };
  }

  const beforeEntries = beforeContainer ?? {};
  const afterEntries = afterContainer ?? {};
  const childUnknown = isRecord(unknownMark) ? unknownMark : {};
  const children = unionKeys(beforeEntries, afterEntries, unknownLeaves(childUnknown))
    .sort(compareStrings)
    .map((child) =>
      diffNode(
        child,
        [...path, child],
        own(beforeEntries, child),
        own(afterEntries, child),
        own(childUnknown, child),
      ),
    );
  const action: NodeAction = !beforeSet
    ? "create"
    : !afterSet
      ? "delete"
      : children.some((child) => child.action !== "no-op")
        ? "update"
        : "no-op";
  return {
    key,
    path,
    action,
    before: undefined,
    after: undefined,
    unknown: false,
    children,
    isMap: isTags(path),
  };
}

function leafAction(before: unknown, after: unknown, unknown: boolean): NodeAction {
  if (unknown) return before === undefined ? "create" : "update";
  if (before === undefined) return after === undefined ? "no-op" : "create";
  if (after === undefined) return "delete";
  return leafEquals(before, after) ? "no-op" : "update";
}

/** Objects as records; the tags list as a map keyed by tag key (a set: order never matters). */
function asContainer(path: AttributePath, value: unknown): Record<string, unknown> | null {
  if (isTags(path) && Array.isArray(value)) {
    const tags = value.filter((tag) => isRecord(tag) && typeof tag.key === "string");
    return Object.fromEntries(tags.map((tag) => [tag.key, tag.value]));
  }
  return isRecord(value) ? value : null;
}

function isTags(path: AttributePath): boolean {
  return path.length === 1 && path[0] === "tags";
}

/** An own property only: a tag keyed "__proto__" is data, never the prototype. */
function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function unionKeys(...records: Record<string, unknown>[]): string[] {
  return [...new Set(records.flatMap((record) => Object.keys(record)))];
}

/** The keys marked `true` in an after_unknown subtree: values that will exist, known after apply. */
function unknownLeaves(mark: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(mark).filter(([, value]) => value === true));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
