// Ark's rolling model switch in ark-sync's vocabulary: the CreateEndpointRolling body, GetEndpointRolling's
// RollingInfo, and what a CreateEndpointRolling whose answer was lost turned out to do (docs/ark-api.md,
// Request fields, Response fields and Model switches).
import { ArkSyncError } from "../core/errors.js";
import type { LiveEndpoint } from "../core/types.js";

/** The foundation model a switch moves to. */
export interface SwitchTarget {
  name: string;
  model_version: string;
}

/** A model switch as GetEndpointRolling reports it (RollingInfo). */
export interface ModelSwitchInfo {
  /** RollingInfo.Id (`eprol-…`). */
  id: string;
  /** RollingInfo.EndpointId. */
  endpoint_id: string;
  /** RollingInfo.Status, as Ark words it; only the words docs/ark-api.md lists carry a meaning. */
  status: string;
  /** RollingInfo.RollingGray: the percent of traffic on the new model, 0–100 (0 when missing). */
  percent: number;
  /** RollingInfo.RollingIn, the model it moves to; absent when Ark does not say. */
  to?: SwitchTarget;
  /** RollingInfo.RollingOut, the model it moves from; absent when Ark does not say. */
  from?: SwitchTarget;
}

/**
 * What startModelSwitch did. `started`: Ark answered CreateEndpointRolling with this id, or, after an
 * answer was lost, the endpoint holds a switch GetEndpointRolling says moves to the model asked for.
 * `served`: after an answer was lost, the endpoint already serves the model with no switch in
 * progress, so nothing was sent again. `foreign`: after an answer was lost, the endpoint holds a switch
 * that moves elsewhere, or whose target Ark does not say (`info.to` absent; null: Ark no longer knows it).
 */
export type SwitchStart =
  | { kind: "started"; rollingId: string }
  | { kind: "served"; endpoint: LiveEndpoint }
  | { kind: "foreign"; rollingId: string; info: ModelSwitchInfo | null };

/** The CreateEndpointRolling body, without DryRun. */
export function toModelSwitchRequest(endpointId: string, model: SwitchTarget): Record<string, unknown> {
  return {
    EndpointId: endpointId,
    ModelReference: { FoundationModel: { Name: model.name, ModelVersion: model.model_version } },
  };
}

/** GetEndpointRolling's Result as a ModelSwitchInfo; an answer without RollingInfo.Id is an error. */
export function toModelSwitchInfo(result: Record<string, unknown>): ModelSwitchInfo {
  const fields = asObject(result.RollingInfo);
  if (typeof fields.Id !== "string" || fields.Id === "") {
    throw new ArkSyncError(
      "external",
      "ark_bad_answer",
      "Ark GetEndpointRolling answered without a RollingInfo.Id.",
    );
  }
  const gray = fields.RollingGray;
  const to = toSwitchTarget(fields.RollingIn);
  const from = toSwitchTarget(fields.RollingOut);
  return {
    id: fields.Id,
    endpoint_id: typeof fields.EndpointId === "string" ? fields.EndpointId : "",
    status: typeof fields.Status === "string" ? fields.Status : "",
    percent: typeof gray === "number" && Number.isFinite(gray) ? gray : 0,
    ...(to ? { to } : {}),
    ...(from ? { from } : {}),
  };
}

/** Whether Ark says the switch moves to `model`: RollingIn is it, and RollingOut (when given) is not, so
 * the switch counts as this one only if the two names mean what they are taken to mean. */
export function isSwitchTo(info: ModelSwitchInfo | null, model: SwitchTarget): boolean {
  if (!info?.to || !sameTarget(info.to, model)) return false;
  return info.from === undefined || !sameTarget(info.from, model);
}

/** Whether the endpoint serves `model` with no switch in progress. */
export function servesModel(endpoint: LiveEndpoint, model: SwitchTarget): boolean {
  const reference = endpoint.attributes.model_reference;
  return (
    endpoint.rolling_id === undefined &&
    reference !== undefined &&
    "foundation_model" in reference &&
    sameTarget(reference.foundation_model, model)
  );
}

function sameTarget(a: SwitchTarget, b: SwitchTarget): boolean {
  return a.name === b.name && a.model_version === b.model_version;
}

function toSwitchTarget(value: unknown): SwitchTarget | undefined {
  const fields = asObject(value);
  return typeof fields.Name === "string" && typeof fields.ModelVersion === "string"
    ? { name: fields.Name, model_version: fields.ModelVersion }
    : undefined;
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}
