// Tags no manifest manages (docs/design.md §3): Ark's system tags and ark-sync's own ownership tag. They are
// never shown, diffed or removed, and manifests may not set them.

/** Every endpoint ark-sync creates carries this tag, valued with its address, so it can be adopted. */
export const ownershipTagKey = "ark-sync:address";

/** ...and this one, valued with the lineage of the state that created it, so that only that state
 * adopts it. Endpoints created before it existed carry the address tag alone. */
export const ownerStateTagKey = "ark-sync:state";

/** Key prefixes Ark keeps for its own tags. */
export const systemTagPrefixes = ["sys:", "volc:"] as const;

export function systemTagPrefixOf(key: string): string | undefined {
  return systemTagPrefixes.find((prefix) => key.startsWith(prefix));
}

export function isReservedTagKey(key: string): boolean {
  return key === ownershipTagKey || key === ownerStateTagKey || systemTagPrefixOf(key) !== undefined;
}
