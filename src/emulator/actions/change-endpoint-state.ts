// DeleteEndpoint, StopEndpoint and StartEndpoint. Delete refuses a Running endpoint, as Ark may
// (docs/ark-api.md, Statuses), unless the refuseDeleteRunning knob is off; it works in any other state. Stop and Start are
// idempotent: stopping a Stopped endpoint or starting a Running or Scheduling one changes nothing.
// The deleteAnswersNotFound switch makes Delete answer NotFound.Endpoint and keep the endpoint, as Ark
// may answer a caller who may not see it (docs/ark-api.md, Confirming an absence).
import { ApiError, endpointNotFound } from "../api-error.js";
import { type JsonObject, rejectUnknownKeys } from "../request-params.js";
import type { ActionContext, ActionOutcome } from "./action-context.js";
import { requireEndpoint } from "./endpoint-params.js";

export function deleteEndpoint(params: JsonObject, context: ActionContext): ActionOutcome {
  rejectUnknownKeys(params, ["Id"]);
  const endpoint = requireEndpoint(params, context.store);
  if (context.deleteAnswersNotFound) throw endpointNotFound(endpoint.Id);
  if (endpoint.Status === "Running" && context.refuseDeleteRunning) {
    throw new ApiError(
      "OperationDenied.EndpointStatus",
      `The endpoint ${endpoint.Id} is Running; stop it before deleting it.`,
    );
  }
  context.store.delete(endpoint.Id);
  return { result: {}, changed: true };
}

export function stopEndpoint(params: JsonObject, context: ActionContext): ActionOutcome {
  rejectUnknownKeys(params, ["Id"]);
  const endpoint = requireEndpoint(params, context.store);
  if (endpoint.Status === "Stopped") return { result: {}, changed: false };
  context.store.setSteadyStatus(endpoint.Id, "Stopped", "");
  return { result: {}, changed: true };
}

/** Stopped, Abnormal or Failed → Scheduling → Running after the provisioning delay. */
export function startEndpoint(params: JsonObject, context: ActionContext): ActionOutcome {
  rejectUnknownKeys(params, ["Id"]);
  const endpoint = requireEndpoint(params, context.store);
  switch (endpoint.Status) {
    case "Running":
    case "Scheduling":
      return { result: {}, changed: false };
    case "Stopped":
    case "Abnormal":
    case "Failed":
      context.store.startProvisioning(endpoint.Id, context.provisioningDelayMs, context.provisioningFailure);
      return { result: {}, changed: true };
  }
}
