// Tags no manifest manages (docs/design.md §3): Ark's system tags and ark-sync's own ownership tag. They are
// never shown, diffed or removed, and manifests may not set them.

/** Every endpoint ark-sync creates carries this tag, valued with its address, so it can be adopted. */
export const ownershipTagKey = "ark-sync:address";

/** ...and this one, valued with the lineage of the state that created it, so that only that state
 * adopts it. Endpoints created before it existed carry the address tag alone. */
export const ownerStateTagKey = "ark-sync:state";

/**
 * Key prefixes Ark keeps for its own tags, in any letter case: Volcengine's tag rules refuse a key
 * that starts with `volc:` "in any upper or lower case form" (docs/ark-api.md, Reserved tag keys); no source says
 * so of `sys:`, and ark-sync treats it the same, which is safe either way (a manifest may not set
 * `SYS:x`, and a live one is left alone).
 */
export const systemTagPrefixes = ["sys:", "volc:"] as const;

/** The system prefix `key` starts with, in any letter case. */
export function systemTagPrefixOf(key: string): string | undefined {
  const lower = key.toLowerCase();
  return systemTagPrefixes.find((prefix) => lower.startsWith(prefix));
}

export function isReservedTagKey(key: string): boolean {
  return key === ownershipTagKey || key === ownerStateTagKey || systemTagPrefixOf(key) !== undefined;
}
