// A hash of what the plan will do (not of its text), so a reviewed plan can be recognised later and
// cosmetic changes in rendering never make it look different (docs/github.md#applying-only-the-reviewed-plan).

import { createHash } from "node:crypto";
import { setOwn } from "./attribute-paths.js";
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

/** JSON with object keys sorted, so equal values always serialise to equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner !== "object" || inner === null || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) setOwn(sorted, key, (inner as Record<string, unknown>)[key]);
    return sorted;
  });
}
