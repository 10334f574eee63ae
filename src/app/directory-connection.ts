// Which region, API URL and state a command uses: its flags and environment first, then the
// directory's ark-sync.yaml, then the defaults (docs/manifests.md#overlays-ark-syncyaml).
import type { DirectoryConnection } from "../manifest/load-config.js";

export const DEFAULT_REGION = "cn-beijing";

/** The Ark connection a command line names; the region is absent when no flag or variable gives it. */
export interface ConnectionFlags {
  ark: { region?: string; apiUrl?: string };
  state?: string;
}

export type Connected<T extends ConnectionFlags> = Omit<T, "ark"> & { ark: T["ark"] & { region: string } };

export function withConnection<T extends ConnectionFlags>(
  options: T,
  directory: DirectoryConnection,
): Connected<T> {
  const apiUrl = options.ark.apiUrl ?? directory.apiUrl;
  const state = options.state ?? directory.state;
  return {
    ...options,
    ark: {
      ...options.ark,
      region: options.ark.region ?? directory.region ?? DEFAULT_REGION,
      ...(apiUrl === undefined ? {} : { apiUrl }),
    },
    ...(state === undefined ? {} : { state }),
  };
}
