// A hash of what the plan will do (not of its text), so a reviewed plan can be recognised later and
// cosmetic changes in rendering never make it look different (docs/github.md#applying-only-the-reviewed-plan).

import { createHash } from "node:crypto";
import type { Plan, ResourceChange } from "./types.js";

export function computePlanHash(plan: Omit<Plan, "plan_hash">): string {
  // canonicalJson({ state, changes, drift }), hashed a change at a time: a plan of 10,000 endpoints
  // would otherwise build megabytes of text only to hash it.
  const hash = createHash("sha256").update('{"changes":[');
  plan.resource_changes.forEach((rc, i) => {
    hash.update(`${i === 0 ? "" : ","}${canonicalJson(changeEssence(rc))}`);
  });
  hash.update(`],"drift":${canonicalJson(plan.resource_drift)},"state":${canonicalJson(plan.state)}}`);
  return `sha256:${hash.digest("hex")}`;
}

/** What one resource change does, as the plan hash covers it: its status, reason and rendering left out. */
export function changeEssence(rc: ResourceChange): Record<string, unknown> {
  return {
    address: rc.address,
    ...(rc.previous_address === undefined ? {} : { previous_address: rc.previous_address }),
    endpoint_id: rc.endpoint_id,
    ...(Object.keys(rc.lifecycle ?? {}).length === 0 ? {} : { lifecycle: rc.lifecycle }),
    actions: rc.change.actions,
    before: rc.change.before,
    after: rc.change.after,
  };
}

/**
 * JSON with object keys sorted, so equal values always serialise to equal text: what
 * `JSON.stringify` gives of the value with each object's keys inserted in sorted order, written
 * directly rather than by copying every object (it is on the path of every plan and its hash). That
 * includes JavaScript's own order of keys: array indices ("2", "10") first, in numeric order.
 */
export function canonicalJson(value: unknown): string {
  // JSON.stringify's answer for what is not JSON text (undefined, a function), typed as it is.
  return (serialise(value) ?? JSON.stringify(value)) as string;
}

function serialise(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  // A Date, say: JSON.stringify serialises what its toJSON gives.
  const { toJSON } = value as { toJSON?: unknown };
  if (typeof toJSON === "function") return serialise(toJSON.call(value));
  if (Array.isArray(value)) return `[${value.map((item) => serialise(item) ?? "null").join(",")}]`;
  const record = value as Record<string, unknown>;
  let text = "";
  // A plan's no-op change has the same object as `after` and `before`, keys that sort side by side.
  let previous: unknown;
  let previousText: string | undefined;
  for (const key of sortedKeys(record)) {
    const item = record[key];
    const inner = item === previous && typeof item === "object" ? previousText : serialise(item);
    previous = item;
    previousText = inner;
    if (inner !== undefined) text += `${text === "" ? "" : ","}${JSON.stringify(key)}:${inner}`;
  }
  return `{${text}}`;
}

const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record).sort();
  const isIndex = (key: string) => ARRAY_INDEX.test(key) && Number(key) < 2 ** 32 - 1;
  if (!keys.some(isIndex)) return keys;
  const indices = keys.filter(isIndex).sort((a, b) => Number(a) - Number(b));
  return [...indices, ...keys.filter((key) => !isIndex(key))];
}
