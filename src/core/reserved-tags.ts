// Tags no manifest manages (docs/design.md §3): Ark's system tags and ark-sync's own ownership tag. They are
// never shown, diffed or removed, and manifests may not set them.

/** Every endpoint ark-sync creates carries this tag, valued with its address, so it can be adopted. */
export const ownershipTagKey = "ark-sync:address";

/** Key prefixes Ark keeps for its own tags. */
export const systemTagPrefixes = ["sys:", "volc:"] as const;

export function systemTagPrefixOf(key: string): string | undefined {
  return systemTagPrefixes.find((prefix) => key.startsWith(prefix));
}

export function isReservedTagKey(key: string): boolean {
  return key === ownershipTagKey || systemTagPrefixOf(key) !== undefined;
}
