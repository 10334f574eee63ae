// Parameters several endpoint actions share: Id, ModelReference, RateLimit, Moderation, Tags.
import { endpointNotFound, invalidParameter, missingParameter } from "../api-error.js";
import {
  type ArkEndpoint,
  type ArkModelReference,
  type ArkRateLimit,
  type ArkTag,
  type ModerationStrategy,
  moderationStrategies,
} from "../ark-types.js";
import type { EndpointStore } from "../endpoint-store.js";
import {
  isJsonObject,
  type JsonObject,
  readArray,
  readEnum,
  readInteger,
  readNonEmptyString,
  readObject,
  readString,
  rejectUnknownKeys,
  requireString,
} from "../request-params.js";

const int32Max = 2_147_483_647;

/** The endpoint named by the `Id` parameter, or NotFound.Endpoint. */
export function requireEndpoint(params: JsonObject, store: EndpointStore): ArkEndpoint {
  const id = requireString(params, "Id");
  const endpoint = store.get(id);
  if (!endpoint) throw endpointNotFound(id);
  return endpoint;
}

/** Exactly one of FoundationModel {Name, ModelVersion} and CustomModelId. */
export function readModelReference(params: JsonObject): ArkModelReference {
  const reference = readObject(params, "ModelReference");
  if (!reference) throw missingParameter("ModelReference");
  rejectUnknownKeys(reference, ["FoundationModel", "CustomModelId"], "ModelReference");
  const foundation = readObject(reference, "FoundationModel", "ModelReference");
  const customModelId = readNonEmptyString(reference, "CustomModelId", "ModelReference");
  if ((foundation === undefined) === (customModelId === undefined)) {
    throw invalidParameter("ModelReference", "set exactly one of FoundationModel and CustomModelId");
  }
  if (customModelId !== undefined) return { CustomModelId: customModelId };
  const prefix = "ModelReference.FoundationModel";
  rejectUnknownKeys(foundation ?? {}, ["Name", "ModelVersion"], prefix);
  return {
    FoundationModel: {
      Name: requireString(foundation ?? {}, "Name", prefix),
      ModelVersion: requireString(foundation ?? {}, "ModelVersion", prefix),
    },
  };
}

/** Every member an int32 ≥ 0: Rpm, Tpm, and any other (ark-cli's Ipm, …), kept as given. */
export function readRateLimit(params: JsonObject): ArkRateLimit | undefined {
  const limit = readObject(params, "RateLimit");
  if (!limit) return undefined;
  const members = Object.keys(limit).flatMap((member) => {
    const value = readInteger(limit, member, { min: 0, max: int32Max }, "RateLimit");
    return value === undefined ? [] : [[member, value] as const];
  });
  // fromEntries defines own properties: a member named __proto__ stays data.
  return Object.fromEntries(members);
}

export function readModeration(params: JsonObject): { Strategy: ModerationStrategy } | undefined {
  const moderation = readObject(params, "Moderation");
  if (!moderation) return undefined;
  rejectUnknownKeys(moderation, ["Strategy"], "Moderation");
  return { Strategy: readEnum(moderation, "Strategy", moderationStrategies, "Moderation") ?? "Default" };
}

/** Tags are a set keyed by Key: a repeated key is rejected. Value defaults to "". */
export function readTags(params: JsonObject): ArkTag[] {
  const tags = readArray(params, "Tags") ?? [];
  const seen = new Set<string>();
  return tags.map((tag, index) => {
    const path = `Tags[${index}]`;
    if (!isJsonObject(tag)) throw invalidParameter(path, "must be an object");
    rejectUnknownKeys(tag, ["Key", "Value"], path);
    const key = requireString(tag, "Key", path);
    if (seen.has(key)) throw invalidParameter(`${path}.Key`, `the key ${key} is repeated`);
    seen.add(key);
    return { Key: key, Value: readString(tag, "Value", path) ?? "" };
  });
}

/** Tags in a stable order: by key. */
export function sortTags(tags: readonly ArkTag[]): ArkTag[] {
  return [...tags].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
}
