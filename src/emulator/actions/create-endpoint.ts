// CreateEndpoint: validates the request, stores the endpoint as Scheduling and returns its Id. A DryRun
// answers DryRunOperation once every check has passed (docs/ark-api.md, DryRun), unless the
// `ignoreDryRun` knob makes it create like any other call. Fields the `ignoreCreateFields` knob names
// take their defaults, as if not sent.
import { dryRunOperation } from "../api-error.js";
import type { ArkEndpoint, ArkModelReference, ArkTag } from "../ark-types.js";
import { createEndpointId } from "../endpoint-id.js";
import { formatTime } from "../endpoint-store.js";
import type { IgnorableCreateField } from "../ignored-fields.js";
import { requireKnownModel } from "../model-catalogue.js";
import {
  type JsonObject,
  readBoolean,
  readNonEmptyString,
  readString,
  rejectUnknownKeys,
  requireString,
} from "../request-params.js";
import type { ActionContext, ActionOutcome } from "./action-context.js";
import { readModelReference, readModeration, readRateLimit, readTags, sortTags } from "./endpoint-params.js";

/** The system tag Ark-like clouds add to what they create; clients must hide `sys:` tags. */
export const systemTag: ArkTag = { Key: "sys:created-by", Value: "ark-emulator" };

const acceptedKeys = [
  "Name",
  "Description",
  "DryRun",
  "ModelReference",
  "ModelUnitId",
  "Moderation",
  "ProjectName",
  "RateLimit",
  "Tags",
];

export function createEndpoint(params: JsonObject, context: ActionContext): ActionOutcome {
  rejectUnknownKeys(params, acceptedKeys);
  const name = requireString(params, "Name");
  const modelReference = readModelReference(params);
  const tags = readTags(params);
  // A field the `ignoreCreateFields` knob names is checked, then given its default.
  const unless = <T>(field: IgnorableCreateField, value: T | undefined): T | undefined =>
    context.ignoreCreateFields.has(field) ? undefined : value;
  const fields = {
    Name: name,
    Description: unless("Description", readString(params, "Description")) ?? "",
    ProjectName: readNonEmptyString(params, "ProjectName") ?? "default",
    Tags: sortTags(tags.some((tag) => tag.Key === systemTag.Key) ? tags : [...tags, systemTag]),
    ModelReference: modelReference,
    ModelUnitId: unless("ModelUnitId", readString(params, "ModelUnitId")) ?? "",
    Moderation: unless("Moderation", readModeration(params)) ?? { Strategy: "Default" },
    RateLimit: unless("RateLimit", readRateLimit(params)) ?? {},
  } satisfies Partial<ArkEndpoint>;
  if (modelReference.FoundationModel) requireKnownModel(modelReference.FoundationModel);
  // The `ignoreDryRun` knob is the pessimistic answer: Ark acting on a DryRun (docs/ark-api.md, DryRun).
  if (readBoolean(params, "DryRun") === true && !context.ignoreDryRun) throw dryRunOperation();

  const id = createEndpointId(context.now, (candidate) => context.store.has(candidate));
  const time = formatTime(context.now);
  context.store.add({
    Id: id,
    ...fields,
    EndpointModelType: modelTypeOf(modelReference),
    Status: "Scheduling",
    StatusReason: "",
    CreateTime: time,
    UpdateTime: time,
    RollingId: "",
    SupportRolling: supportsRolling(modelReference),
    ScaleTierId: "",
    SupportScaleTier: false,
    BatchOnly: false,
  });
  context.store.startProvisioning(id, context.provisioningDelayMs, context.provisioningFailure);
  return { result: { Id: id }, changed: true };
}

export function modelTypeOf(reference: ArkModelReference): ArkEndpoint["EndpointModelType"] {
  return reference.CustomModelId === undefined ? "FoundationModel" : "CustomModel";
}

/** The emulator's rule: foundation-model endpoints can switch their model, custom-model ones cannot. */
export function supportsRolling(reference: ArkModelReference): boolean {
  return modelTypeOf(reference) === "FoundationModel";
}
