// Tags no manifest manages (docs/design.md §3): Ark's system tags and ark-sync's own tags. They are
// never shown, diffed or removed, and manifests may not set them (docs/ark-api.md, Reserved tag keys).

/** Every endpoint ark-sync creates carries this tag, valued with its address, so it can be adopted. */
export const ownershipTagKey = "ark-sync:address";

/** ...and this one, valued with the lineage of the state that created it, so that only that state
 * adopts it. Endpoints created before it existed carry the address tag alone. */
export const ownerStateTagKey = "ark-sync:state";

/** Every DryRun request carries this tag, valued with the run's id: an endpoint that has it was made by
 * an Ark that ignored DryRun, never by a create of ark-sync's (docs/ark-api.md, DryRun). */
export const dryRunTagKey = "ark-sync:dry-run";

/** ark-sync's own keys, with what each is for (for the message that refuses one in a manifest). */
export const ownTagKeys: ReadonlyMap<string, string> = new Map([
  [ownershipTagKey, "ark-sync sets it on the endpoints it creates"],
  [ownerStateTagKey, "ark-sync sets it on the endpoints it creates"],
  [dryRunTagKey, "ark-sync marks its DryRun requests with it"],
]);

/**
 * Key prefixes Ark keeps for its own tags, in any letter case: Volcengine's tag rules refuse a key
 * that starts with `volc:` "in any upper or lower case form" (docs/ark-api.md, Reserved tag keys); no
 * source says so of `sys:`, and ark-sync treats it the same, which is safe either way (a manifest may
 * not set `SYS:x`, and a live one is left alone).
 */
export const systemTagPrefixes = ["sys:", "volc:"] as const;

/** The system prefix `key` starts with, in any letter case. */
export function systemTagPrefixOf(key: string): string | undefined {
  const lower = key.toLowerCase();
  return systemTagPrefixes.find((prefix) => lower.startsWith(prefix));
}

export function isReservedTagKey(key: string): boolean {
  return ownTagKeys.has(key) || systemTagPrefixOf(key) !== undefined;
}
