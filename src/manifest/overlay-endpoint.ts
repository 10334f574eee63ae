// An overlay's own changes to an endpoint (docs/manifests.md#overlays-ark-syncyaml): the defaults and
// common tags it does not set, then the name prefix and suffix; each endpoint is then checked again,
// every problem placed where the offending value was written. Runs where the endpoint was checked:
// for a directory's own manifests, on the manifest pool.

import type { Diagnostic } from "./diagnostic.js";
import type { OverlayConfig } from "./load-config.js";
import { locationOf, type Provenance, writtenAt } from "./provenance.js";
import { quote } from "./quote.js";
import { recheckEndpoint } from "./recheck-endpoint.js";
import type { SourcedEndpoint } from "./sourced-endpoint.js";

export interface OverlaidEndpoints {
  /** Those still valid, in the order given. */
  endpoints: SourcedEndpoint[];
  diagnostics: Diagnostic[];
}

export function overlayEndpoints(
  written: ReadonlyArray<Pick<SourcedEndpoint, "manifest" | "provenance">>,
  config: OverlayConfig,
): OverlaidEndpoints {
  const endpoints: SourcedEndpoint[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const { manifest, provenance } of written) {
    const rechecked = recheckEndpoint(...overlay(manifest, provenance, config, diagnostics));
    diagnostics.push(...rechecked.diagnostics);
    if (rechecked.sourced !== undefined) endpoints.push(rechecked.sourced);
  }
  return { endpoints, diagnostics };
}

/** Defaults, common tags, then the name prefix and suffix, on a copy. A common tag whose key the
 * endpoint already sets with another value is not applied, with a warning naming both places. */
function overlay(
  written: Record<string, unknown>,
  provenance: Provenance,
  config: OverlayConfig,
  diagnostics: Diagnostic[],
): [Record<string, unknown>, Provenance] {
  const manifest = copyData(written) as Record<string, unknown>;
  const sources: Provenance = new Map(provenance);
  for (const {
    value: [name, value],
    at,
  } of config.defaults) {
    if (manifest[name] !== undefined) continue;
    manifest[name] = copyData(value);
    writtenAt(sources, `/${name}`, at);
  }
  if (config.commonTags.length > 0) {
    const tags = Array.isArray(manifest.tags)
      ? (manifest.tags as Array<{ key: string; value?: unknown }>)
      : [];
    const keys = new Map(tags.map((tag, index) => [tag.key, index]));
    for (const { value: tag, at } of config.commonTags) {
      const index = keys.get(tag.key);
      if (index === undefined) {
        writtenAt(sources, `/tags/${tags.length}`, at);
        tags.push({ ...tag });
      } else if (tags[index]?.value !== tag.value) {
        const set = locationOf(sources, ["tags", String(index), "value"]);
        const message = `common tag ${quote(tag.key)} is not applied to ${quote(resolvedAddress(manifest, config))}: its manifest sets ${quote(tag.key)} to ${quote(String(tags[index]?.value))} at ${set.file}:${set.line}:${set.col}, which wins over common_tags' ${quote(tag.value)}`;
        diagnostics.push({ ...at, severity: "warning", code: "common_tag_shadowed", message });
      }
    }
    manifest.tags = tags;
  }
  const rename = (name: string) => renamed(name, config);
  if (typeof manifest.name === "string") manifest.name = rename(manifest.name);
  // A move names an address in the same directory, so it moves from the renamed address.
  if (typeof manifest.moved_from === "string") {
    const slash = manifest.moved_from.indexOf("/");
    if (slash > 0)
      manifest.moved_from = `${manifest.moved_from.slice(0, slash + 1)}${rename(manifest.moved_from.slice(slash + 1))}`;
  }
  return [manifest, sources];
}

/** A copy of YAML data (maps, lists, scalars), several times cheaper than structuredClone on
 * thousands of small manifests. Reserved keys such as `__proto__` never reach here: parsing refuses
 * them. */
function copyData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyData);
  if (typeof value !== "object" || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = copyData((value as Record<string, unknown>)[key]);
  return copy;
}

function renamed(name: string, config: OverlayConfig): string {
  return `${config.namePrefix}${name}${config.nameSuffix}`;
}

/** The endpoint's address as the overlay resolves it, for messages. */
function resolvedAddress(manifest: Record<string, unknown>, config: OverlayConfig): string {
  const project = typeof manifest.project_name === "string" ? manifest.project_name : "default";
  return `${project}/${renamed(String(manifest.name), config)}`;
}
