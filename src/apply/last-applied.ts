// What the state records as last-applied after apply acts on an address. Last-applied means "what
// ark-sync last applied": the manifest's attributes, never live values nobody manages. The plan's
// `after` is live with the manifest applied, so the values the plan lists as unmanaged, and those it
// no longer manages (removed from the manifest, kept live: docs/ark-api.md, "Removed attributes"), are
// taken out.
// Paths under lifecycle.ignore_changes were not applied by an update: they keep the previous record.
// A value Ark ignored when written (read-back.ts) is recorded as what Ark holds, not what was sent, and
// the ignored write itself is kept beside it for the next plan (core/ignored-writes.ts).
import {
  flattenAttributes,
  isPrefix,
  parsePath,
  pathKey,
  unflattenAttributes,
} from "../core/attribute-paths.js";
import { normalizeAttributes } from "../core/normalize-inputs.js";
import type {
  Address,
  AttributePath,
  EndpointAttributes,
  IgnoredWrite,
  ResourceChange,
} from "../core/types.js";

/** A live value the plan leaves to others: an unmanaged one, or one no longer managed. */
export interface NotManagedPath {
  address: Address;
  path: AttributePath;
}

/**
 * `created`: the attributes were all sent by CreateEndpoint; `existing`: an update, an adoption or a
 * no-op on an endpoint that already existed.
 */
export function lastAppliedAfter(
  change: ResourceChange,
  notManaged: readonly NotManagedPath[],
  previous: EndpointAttributes | null,
  how: "created" | "existing",
): EndpointAttributes {
  const leaves = flattenAttributes(change.change.after);
  for (const entry of notManaged) {
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

/** The record with each ignored value replaced by what Ark holds (absent when Ark holds none). */
export function withHeldValues(
  lastApplied: EndpointAttributes,
  ignored: readonly IgnoredWrite[],
): EndpointAttributes {
  const leaves = flattenAttributes(lastApplied);
  for (const write of ignored) {
    if (write.held === undefined) leaves.delete(pathKey(write.path));
    else leaves.set(pathKey(write.path), { path: write.path, value: write.held });
  }
  return normalizeAttributes(unflattenAttributes(leaves.values()));
}

/**
 * The ignored writes an endpoint's record keeps after a write to it was read back: each value Ark
 * ignored this time, with an earlier record of the same value by the other action (so that the next
 * plan knows both ways failed). Everything else is dropped: a value written and held is writable, and
 * a plan that did not write a value no longer wants what Ark refused.
 */
export function ignoredWritesAfter(
  previous: readonly IgnoredWrite[] | undefined,
  ignored: readonly IgnoredWrite[],
): IgnoredWrite[] {
  return ignored.flatMap((write) => [
    ...(previous ?? []).filter(
      (earlier) => earlier.action !== write.action && pathKey(earlier.path) === pathKey(write.path),
    ),
    write,
  ]);
}
