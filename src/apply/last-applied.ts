// What the state records as last-applied after apply acts on an address. Last-applied means "what
// ark-sync last applied": the manifest's attributes, never live values nobody manages. The plan's
// `after` is live with the manifest applied, so the values the plan lists as unmanaged are taken out.
// Paths under lifecycle.ignore_changes were not applied by an update: they keep the previous record.
import {
  flattenAttributes,
  isPrefix,
  parsePath,
  pathKey,
  unflattenAttributes,
} from "../core/attribute-paths.js";
import { normalizeAttributes } from "../core/normalize-inputs.js";
import type { EndpointAttributes, ResourceChange, UnmanagedPath } from "../core/types.js";

/**
 * `created`: the attributes were all sent by CreateEndpoint; `existing`: an update, an adoption or a
 * no-op on an endpoint that already existed.
 */
export function lastAppliedAfter(
  change: ResourceChange,
  unmanaged: readonly UnmanagedPath[],
  previous: EndpointAttributes | null,
  how: "created" | "existing",
): EndpointAttributes {
  const leaves = flattenAttributes(change.change.after);
  for (const entry of unmanaged) {
    if (entry.address === change.address) leaves.delete(pathKey(entry.path));
  }
  if (how === "existing") {
    const ignored = (change.lifecycle.ignore_changes ?? []).map(parsePath);
    const isIgnored = (path: string[]) => ignored.some((prefix) => isPrefix(prefix, path));
    for (const [key, leaf] of leaves) if (isIgnored(leaf.path)) leaves.delete(key);
    for (const [key, leaf] of flattenAttributes(previous)) if (isIgnored(leaf.path)) leaves.set(key, leaf);
  }
  return normalizeAttributes(unflattenAttributes(leaves.values()));
}
