// Ark's PascalCase endpoint ↔ the manifest's snake_case attributes (docs/design.md §2, §3).
//
// Reading normalises values that mean "unset" to absent, so that they never show up in a plan as
// unmanaged noise or as a change against a manifest that leaves them out:
// - Description "" and ModelUnitId "" (post-paid) are absent, and so is ScaleTierId "" (no TPM
//   guarantee package);
// - RateLimit Rpm/Tpm of 0 or missing are absent (Ark's int32 fields read 0 when unset), and a
//   RateLimit left with no field is absent;
// - Moderation with no Strategy is absent;
// - ProjectName "" is `default` (the project Ark uses when none is given);
// - Tags whose key starts with `sys:` or `volc:` in any letter case (Ark's own) are dropped, the ownership tag
//   `ark-sync:address` is moved to `owner_address`, and an empty tag list is absent; tags are
//   sorted by key (a set: order carries no meaning). An endpoint with the DryRun marker
//   `ark-sync:dry-run` gets `dry_run_id` instead of any owner: Ark made it for a check.
// Writing sends only what is set, plus the ownership tag on create.

import { compareStrings } from "../core/attribute-paths.js";
import { ArkSyncError } from "../core/errors.js";
import { dryRunTagKey, isReservedTagKey, ownerStateTagKey, ownershipTagKey } from "../core/reserved-tags.js";
import type { Address, EndpointAttributes, LiveEndpoint, ModelReference, Tag } from "../core/types.js";

/** An endpoint as GetEndpoint returns it; ListEndpoints items lack Moderation. Nothing is trusted. */
export interface ArkEndpoint {
  Id?: string;
  Name?: string;
  Description?: string;
  ProjectName?: string;
  ModelReference?: { FoundationModel?: { Name?: string; ModelVersion?: string }; CustomModelId?: string };
  ModelUnitId?: string;
  Moderation?: { Strategy?: string };
  /** Rpm and Tpm, which manifests manage, and possibly others (ark-cli's Ipm, …), which they do not. */
  RateLimit?: Record<string, unknown>;
  Tags?: { Key?: string; Value?: string }[];
  Status?: string;
  StatusReason?: string;
  RollingId?: string;
  SupportRolling?: boolean;
  /** The TPM guarantee package; GetEndpoint only (the Go SDK dropped it from list items). */
  ScaleTierId?: string;
}

interface ArkTag {
  Key: string;
  Value: string;
}

/** What UpdateEndpoint can change in place; a `null` description clears it (docs/ark-api.md,
 * "Removed attributes": the only reset Ark documents). */
export interface EndpointUpdate {
  name?: string;
  description?: string | null;
  rate_limit?: { rpm?: number; tpm?: number };
  moderation?: { strategy: "Default" | "Basic" };
}

export function toLiveEndpoint(endpoint: ArkEndpoint): LiveEndpoint {
  if (!endpoint.Id) {
    throw new ArkSyncError("external", "ark_bad_answer", "Ark returned an endpoint without an Id.");
  }
  const attributes: EndpointAttributes = {
    name: endpoint.Name ?? "",
    project_name: nonEmpty(endpoint.ProjectName) ?? "default",
  };
  const description = nonEmpty(endpoint.Description);
  if (description !== undefined) attributes.description = description;
  const modelReference = toModelReference(endpoint.ModelReference);
  if (modelReference) attributes.model_reference = modelReference;
  const modelUnitId = nonEmpty(endpoint.ModelUnitId);
  if (modelUnitId !== undefined) attributes.model_unit_id = modelUnitId;
  const strategy = nonEmpty(endpoint.Moderation?.Strategy);
  if (strategy !== undefined) attributes.moderation = { strategy: strategy as "Default" | "Basic" };
  const rateLimit = toRateLimit(endpoint.RateLimit);
  if (rateLimit) attributes.rate_limit = rateLimit;

  const allTags = (endpoint.Tags ?? []).map((tag) => ({ key: tag.Key ?? "", value: tag.Value ?? "" }));
  const tags = allTags
    .filter((tag) => !isReservedTagKey(tag.key))
    .sort((a, b) => compareStrings(a.key, b.key));
  if (tags.length > 0) attributes.tags = tags;

  const live: LiveEndpoint = { endpoint_id: endpoint.Id, attributes, status: endpoint.Status ?? "" };
  const statusReason = nonEmpty(endpoint.StatusReason);
  if (statusReason !== undefined) live.status_reason = statusReason;
  const tagValue = (key: string) => allTags.find((tag) => tag.key === key)?.value;
  const dryRunId = tagValue(dryRunTagKey);
  if (dryRunId !== undefined) {
    // Made by an Ark that ignored DryRun: it carries ownership tags, yet no one owns it.
    live.dry_run_id = dryRunId;
  } else {
    const owner = tagValue(ownershipTagKey);
    if (owner !== undefined) live.owner_address = owner;
    const ownerState = tagValue(ownerStateTagKey);
    if (ownerState !== undefined) live.owner_state = ownerState;
  }
  if (typeof endpoint.SupportRolling === "boolean") live.support_rolling = endpoint.SupportRolling;
  const rollingId = nonEmpty(endpoint.RollingId);
  if (rollingId !== undefined) live.rolling_id = rollingId;
  const scaleTierId = nonEmpty(endpoint.ScaleTierId);
  if (scaleTierId !== undefined) live.scale_tier_id = scaleTierId;
  return live;
}

/** The CreateEndpoint body for the attributes, tagged as owned by `ownerAddress` of the state with
 * lineage `ownerState`; with `dryRunId`, the body of a DryRun, which also carries the DryRun marker. */
export function toCreateEndpointRequest(
  attributes: EndpointAttributes,
  ownerAddress: Address,
  ownerState: string,
  dryRunId?: string,
): Record<string, unknown> {
  const tags = attributes.tags ?? [];
  const hidden = tags.find((tag) => isReservedTagKey(tag.key));
  if (hidden) {
    throw new ArkSyncError(
      "input",
      "reserved_tag",
      `Tag key "${hidden.key}" is reserved for Ark or ark-sync.`,
    );
  }
  const request: Record<string, unknown> = {
    Name: attributes.name,
    ProjectName: attributes.project_name,
    Tags: [
      ...tags.map(toArkTag),
      { Key: ownershipTagKey, Value: ownerAddress },
      { Key: ownerStateTagKey, Value: ownerState },
      ...(dryRunId === undefined ? [] : [{ Key: dryRunTagKey, Value: dryRunId }]),
    ],
  };
  if (attributes.description !== undefined && attributes.description !== "") {
    request.Description = attributes.description;
  }
  if (attributes.model_reference) request.ModelReference = fromModelReference(attributes.model_reference);
  if (attributes.model_unit_id) request.ModelUnitId = attributes.model_unit_id;
  if (attributes.moderation) request.Moderation = { Strategy: attributes.moderation.strategy };
  const rateLimit = fromRateLimit(attributes.rate_limit);
  if (rateLimit) request.RateLimit = rateLimit;
  return request;
}

/**
 * The UpdateEndpoint body. A cleared description is sent as Description "" (ark-cli's endpoint update
 * guide). RateLimit is read-modify-write (docs/ark-api.md, RateLimit): every member of `liveRateLimit`
 * (the endpoint's, as GetEndpoint returned it) that the update does not set is sent back as it is, so
 * members ark-sync does not manage (ark-cli's Ipm, …) survive whether Ark merges or replaces the object,
 * and no member is ever sent as an invented 0.
 */
export function toUpdateEndpointRequest(
  id: string,
  update: EndpointUpdate,
  liveRateLimit?: Record<string, unknown>,
): Record<string, unknown> {
  const request: Record<string, unknown> = { Id: id };
  if (update.name !== undefined) request.Name = update.name;
  if (update.description !== undefined) request.Description = update.description ?? "";
  if (update.rate_limit !== undefined) {
    request.RateLimit = { ...numberMembers(liveRateLimit), ...fromRateLimit(update.rate_limit) };
  }
  if (update.moderation !== undefined) request.Moderation = { Strategy: update.moderation.strategy };
  return request;
}

/** The model a request body names (CreateEndpoint, CreateEndpointRolling), in words for a hint:
 * `doubao-1-5-pro-32k 250115`, or `custom model cm-…`; undefined when it names none. */
export function describeRequestModel(body: Record<string, unknown>): string | undefined {
  const reference = toModelReference(body.ModelReference as ArkEndpoint["ModelReference"]);
  if (reference === undefined) return undefined;
  if ("custom_model_id" in reference) return `custom model ${reference.custom_model_id}`;
  const { name, model_version } = reference.foundation_model;
  return model_version === "" ? name : `${name} ${model_version}`;
}

function toModelReference(reference: ArkEndpoint["ModelReference"]): ModelReference | undefined {
  const foundation = reference?.FoundationModel;
  const foundationName = nonEmpty(foundation?.Name);
  if (foundationName !== undefined) {
    return { foundation_model: { name: foundationName, model_version: foundation?.ModelVersion ?? "" } };
  }
  const customModelId = nonEmpty(reference?.CustomModelId);
  return customModelId === undefined ? undefined : { custom_model_id: customModelId };
}

function fromModelReference(reference: ModelReference): Record<string, unknown> {
  if ("foundation_model" in reference) {
    return {
      FoundationModel: {
        Name: reference.foundation_model.name,
        ModelVersion: reference.foundation_model.model_version,
      },
    };
  }
  return { CustomModelId: reference.custom_model_id };
}

/** The members manifests manage; any other member is Ark's or another tool's, and never shown. */
function toRateLimit(rateLimit: ArkEndpoint["RateLimit"]): EndpointAttributes["rate_limit"] {
  const result: NonNullable<EndpointAttributes["rate_limit"]> = {};
  if (isPositive(rateLimit?.Rpm)) result.rpm = rateLimit.Rpm;
  if (isPositive(rateLimit?.Tpm)) result.tpm = rateLimit.Tpm;
  return Object.keys(result).length > 0 ? result : undefined;
}

function fromRateLimit(rateLimit: EndpointAttributes["rate_limit"]): Record<string, number> | undefined {
  const result: Record<string, number> = {};
  if (rateLimit?.rpm !== undefined) result.Rpm = rateLimit.rpm;
  if (rateLimit?.tpm !== undefined) result.Tpm = rateLimit.tpm;
  return Object.keys(result).length > 0 ? result : undefined;
}

/** The members of a live RateLimit that hold numbers, as own properties (a `__proto__` stays data). */
function numberMembers(rateLimit: Record<string, unknown> | undefined): Record<string, number> {
  return Object.fromEntries(
    Object.entries(rateLimit ?? {}).filter(
      (entry): entry is [string, number] => typeof entry[1] === "number",
    ),
  );
}

function toArkTag(tag: Tag): ArkTag {
  return { Key: tag.key, Value: tag.value };
}

function isPositive(value: unknown): value is number {
  return typeof value === "number" && value > 0;
}

function nonEmpty(value: string | undefined): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** ListEndpoints filters, in manifest-style names. Always one project: Ark lists only `default` when
 * ProjectName is absent (docs/ark-api.md, ListEndpoints). */
export interface ListEndpointsQuery {
  projectName: string;
  filter?: { ids?: string[]; name?: string; statuses?: string[] };
  tagFilters?: { key: string; values: string[] }[];
}

/** The ListEndpoints body for a query, without paging. */
export function toListEndpointsRequest(query: ListEndpointsQuery): Record<string, unknown> {
  const request: Record<string, unknown> = { ProjectName: query.projectName };
  const filter: Record<string, unknown> = {};
  if (query.filter?.ids) filter.Ids = query.filter.ids;
  if (query.filter?.name !== undefined) filter.Name = query.filter.name;
  if (query.filter?.statuses) filter.Statuses = query.filter.statuses;
  if (Object.keys(filter).length > 0) request.Filter = filter;
  if (query.tagFilters && query.tagFilters.length > 0) {
    request.TagFilters = query.tagFilters.map((tagFilter) => ({
      Key: tagFilter.key,
      Values: tagFilter.values,
    }));
  }
  return request;
}
