// The three-way table of docs/design.md §3, applied leaf by leaf to one endpoint:
//
//   D       L              V       result
//   d       any            = d     no change
//   d       absent or = V  ≠ d     change to d
//   d       l ≠ V          ≠ d     change to d, annotated as drift (last applied: l)
//   absent  present        present remove it ("removed from manifest"), where the attribute's reset
//                                  is documented; else leave it as it is live: no longer managed
//   absent  absent         present leave it alone: unmanaged
//
// Separately, every managed leaf whose live value differs from last-applied is drift. A leaf no
// longer managed is not: its entry carries what was last applied instead.
import {
  attributeRank,
  compareStrings,
  flattenAttributes,
  isPrefix,
  type Leaf,
  leafEquals,
  pathKey,
  topAttribute,
  unflattenAttributes,
} from "./attribute-paths.js";
import { attributeMutability, attributeRemoval } from "./mutability.js";
import type { AttributePath, DriftChange, EndpointAttributes, Impact } from "./types.js";

export interface ThreeWayInput {
  desired: EndpointAttributes;
  lastApplied: EndpointAttributes | null;
  live: EndpointAttributes;
  ignoreChanges: AttributePath[];
  /** Leaves whose reset Ark ignored before (ignored-writes.ts): a removal keeps them live too. */
  keepLive?: AttributePath[];
}

/** How one leaf comes to differ, by the table above. */
export interface AttributeChange {
  path: AttributePath;
  /** "set": D set and V differs; "remove": D absent, L present, so it is reset on live. */
  kind: "set" | "remove";
  /** Live value; absent when unset live. */
  before?: unknown;
  /** Value after apply; absent when it will be unset. */
  after?: unknown;
  impact: Impact;
  /** Set when live also differs from what was last applied: "changed outside ark-sync". */
  drift?: { last_applied: unknown };
}

/** A leaf removed from the manifest whose reset Ark does not document: kept live, no longer managed. */
export interface NoLongerManagedLeaf {
  path: AttributePath;
  /** The live value, left as it is. */
  value: unknown;
  last_applied: unknown;
}

export interface ThreeWayResult {
  changes: AttributeChange[];
  drift: DriftChange[];
  unmanaged: Leaf[];
  noLongerManaged: NoLongerManagedLeaf[];
  /** Live with the changes applied: unmanaged, ignored and no longer managed values are kept; live
   * itself when nothing changes (most endpoints of a big plan: no rebuild). */
  after: EndpointAttributes;
}

export function diffThreeWay({
  desired,
  lastApplied,
  live,
  ignoreChanges,
  keepLive = [],
}: ThreeWayInput): ThreeWayResult {
  // Planned without refresh, most endpoints are as last applied: nothing to change, drift or leave.
  if (live === lastApplied && sameAttributes(desired, lastApplied)) {
    return { changes: [], drift: [], unmanaged: [], noLongerManaged: [], after: live };
  }
  const d = flattenAttributes(desired);
  const l = flattenAttributes(lastApplied);
  // Planned without refresh, live is last-applied itself: its leaves are the same.
  const v = live === lastApplied ? l : flattenAttributes(live);
  const isIgnored = (path: AttributePath) => ignoreChanges.some((ignored) => isPrefix(ignored, path));
  const kept = new Set(keepLive.map(pathKey));
  const keepsLive = (key: string, path: AttributePath) =>
    attributeRemoval[topAttribute(path)] === "keep_live" || kept.has(key);

  const changes: AttributeChange[] = [];
  const drift: DriftChange[] = [];
  const unmanaged: Leaf[] = [];
  const noLongerManaged: NoLongerManagedLeaf[] = [];
  const after = new Map(v);

  for (const key of unionKeys(d, l, v)) {
    const path = (d.get(key) ?? l.get(key) ?? v.get(key))?.path as AttributePath;
    if (isIgnored(path)) continue;
    const dValue = d.get(key)?.value;
    const lValue = l.get(key)?.value;
    const vValue = v.get(key)?.value;
    if (dValue === undefined && lValue !== undefined && keepsLive(key, path)) {
      if (vValue !== undefined) noLongerManaged.push({ path, value: vValue, last_applied: lValue });
      continue;
    }
    const drifted = lValue !== undefined && !leafEquals(lValue, vValue);
    if (drifted) drift.push({ path, last_applied: lValue, ...defined("live", vValue) });

    const impact = attributeMutability[topAttribute(path)];
    const driftNote = drifted ? { drift: { last_applied: lValue } } : {};
    if (dValue !== undefined) {
      if (leafEquals(dValue, vValue)) continue;
      changes.push({ path, kind: "set", ...defined("before", vValue), after: dValue, impact, ...driftNote });
      after.set(key, { path, value: dValue });
    } else if (lValue !== undefined) {
      if (vValue === undefined) continue;
      changes.push({ path, kind: "remove", before: vValue, impact, ...driftNote });
      after.delete(key);
    } else if (vValue !== undefined) {
      unmanaged.push({ path, value: vValue });
    }
  }
  return {
    changes,
    drift,
    unmanaged,
    noLongerManaged,
    after: changes.length === 0 ? live : unflattenAttributes(after.values()),
  };
}

/**
 * Whether the two have the same leaves, checked without building them; false whenever unsure (tags in
 * another order, a malformed tag): the leaf-by-leaf diff then decides.
 */
function sameAttributes(a: EndpointAttributes, b: EndpointAttributes | null): boolean {
  return sameRecords(a, b, (key, x, y) => (key === "tags" ? sameTags(x, y) : sameValues(x, y)));
}

function sameValues(a: unknown, b: unknown): boolean {
  return isRecord(a) || isRecord(b) ? sameRecords(a, b, (_key, x, y) => sameValues(x, y)) : leafEquals(a, b);
}

function sameRecords(
  a: unknown,
  b: unknown,
  same: (key: string, x: unknown, y: unknown) => boolean,
): boolean {
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && same(key, a[key], b[key]));
}

function sameTags(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((tag, i) => {
    const other: unknown = b[i];
    return (
      isRecord(tag) &&
      isRecord(other) &&
      typeof tag.key === "string" &&
      tag.key === other.key &&
      leafEquals(tag.value, other.value)
    );
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `{ [key]: value }`, or nothing when the value is unset, so plans survive a JSON round trip. */
function defined<K extends string>(key: K, value: unknown): { [P in K]?: unknown } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: unknown };
}

/** Keys of all three maps, each once, in plan order: by attribute, then by path key. */
function unionKeys(...maps: Map<string, Leaf>[]): string[] {
  const ranks = new Map<string, number>();
  for (const map of maps) {
    for (const [key, leaf] of map) if (!ranks.has(key)) ranks.set(key, attributeRank(leaf.path));
  }
  const rankOf = (key: string) => ranks.get(key) ?? 0;
  return [...ranks.keys()].sort((a, b) => rankOf(a) - rankOf(b) || compareStrings(a, b));
}
