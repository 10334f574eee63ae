// Ark's rolling model switch in ark-sync's vocabulary: the CreateEndpointRolling body and
// GetEndpointRolling's RollingInfo (docs/ark-api.md, Request fields and Response fields).
import { ArkSyncError } from "../core/errors.js";

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
}

/** The foundation model a switch moves to. */
export interface SwitchTarget {
  name: string;
  model_version: string;
}

/** The CreateEndpointRolling body, without DryRun. */
export function toModelSwitchRequest(endpointId: string, model: SwitchTarget): Record<string, unknown> {
  return {
    EndpointId: endpointId,
    ModelReference: { FoundationModel: { Name: model.name, ModelVersion: model.model_version } },
  };
}

/** GetEndpointRolling's Result as a ModelSwitchInfo; an answer without RollingInfo.Id is an error. */
export function toModelSwitchInfo(result: Record<string, unknown>): ModelSwitchInfo {
  const info = result.RollingInfo;
  const fields = typeof info === "object" && info !== null ? (info as Record<string, unknown>) : {};
  if (typeof fields.Id !== "string" || fields.Id === "") {
    throw new ArkSyncError(
      "external",
      "ark_bad_answer",
      "Ark GetEndpointRolling answered without a RollingInfo.Id.",
    );
  }
  const gray = fields.RollingGray;
  return {
    id: fields.Id,
    endpoint_id: typeof fields.EndpointId === "string" ? fields.EndpointId : "",
    status: typeof fields.Status === "string" ? fields.Status : "",
    percent: typeof gray === "number" && Number.isFinite(gray) ? gray : 0,
  };
}
