// The bodies the Ark console sends for the two acts ark-sync's own commands never make (docs/emulator.md,
// The console): a CreateEndpoint that carries the person's tags only, no ownership tags, so the
// endpoint is nobody's; and an UpdateEndpoint that changes Tags. Sent only to the emulator.
import { systemTagPrefixOf } from "../core/reserved-tags.js";
import type { Tag } from "../core/types.js";
import { type ArkEndpoint, type EndpointUpdate, toUpdateEndpointRequest } from "./mapping.js";
import type { SwitchTarget } from "./model-switch.js";

/** An endpoint as the console's create form has it. */
export interface ConsoleEndpoint {
  name: string;
  project_name: string;
  foundation_model: SwitchTarget;
  description?: string;
  rate_limit?: { rpm?: number; tpm?: number };
  tags: Tag[];
}

/** What the console's edit form changes: UpdateEndpoint's fields, and tags set or removed by key. */
export interface ConsoleUpdate extends EndpointUpdate {
  setTags: Tag[];
  removeTags: string[];
}

export function toConsoleCreateRequest(endpoint: ConsoleEndpoint): Record<string, unknown> {
  const { rpm, tpm } = endpoint.rate_limit ?? {};
  const rateLimit = {
    ...(rpm === undefined ? {} : { Rpm: rpm }),
    ...(tpm === undefined ? {} : { Tpm: tpm }),
  };
  return {
    Name: endpoint.name,
    ProjectName: endpoint.project_name,
    ModelReference: {
      FoundationModel: {
        Name: endpoint.foundation_model.name,
        ModelVersion: endpoint.foundation_model.model_version,
      },
    },
    ...(endpoint.description ? { Description: endpoint.description } : {}),
    ...(Object.keys(rateLimit).length > 0 ? { RateLimit: rateLimit } : {}),
    ...(endpoint.tags.length > 0 ? { Tags: endpoint.tags.map(toArkTag) } : {}),
  };
}

/** The UpdateEndpoint body for `update` of the endpoint GetEndpoint answered as `live`: RateLimit
 * read-modify-write as ark-sync's own updates, and, when tags change, every tag it keeps (Ark's own
 * system tags aside, which stay by themselves) with the changes made. */
export function toConsoleUpdateRequest(
  id: string,
  update: ConsoleUpdate,
  live: ArkEndpoint,
): Record<string, unknown> {
  const request = toUpdateEndpointRequest(id, update, live.RateLimit);
  if (update.setTags.length === 0 && update.removeTags.length === 0) return request;
  const replaced = new Set([...update.removeTags, ...update.setTags.map((tag) => tag.key)]);
  const kept = (live.Tags ?? [])
    .map((tag) => ({ key: tag.Key ?? "", value: tag.Value ?? "" }))
    .filter((tag) => systemTagPrefixOf(tag.key) === undefined && !replaced.has(tag.key));
  return { ...request, Tags: [...kept, ...update.setTags].map(toArkTag) };
}

function toArkTag(tag: Tag): { Key: string; Value: string } {
  return { Key: tag.key, Value: tag.value };
}
