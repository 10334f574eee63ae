// CreateEndpointRolling, GetEndpointRolling, RollbackEndpointRolling and CancelEndpointRolling: the
// model switch of a live endpoint (docs/ark-api.md, Actions and Emulator choices).
import { ApiError, dryRunOperation, endpointNotFound, invalidParameter } from "../api-error.js";
import type { ArkEndpoint, ArkRollingInfo } from "../ark-types.js";
import { requireKnownModel } from "../model-catalogue.js";
import { type JsonObject, readBoolean, rejectUnknownKeys, requireString } from "../request-params.js";
import type { RollingStore } from "../rolling-store.js";
import type { ActionContext, ActionOutcome } from "./action-context.js";
import { readModelReference } from "./endpoint-params.js";

type SwitchTarget = { Name: string; ModelVersion: string };

/** Checked in order: the body, the catalogue, the endpoint; a DryRun answers DryRunOperation after all. */
export function createEndpointRolling(params: JsonObject, context: ActionContext): ActionOutcome {
  rejectUnknownKeys(params, ["EndpointId", "ModelReference", "DryRun"]);
  const endpointId = requireString(params, "EndpointId");
  const target = readModelReference(params).FoundationModel;
  if (!target) throw invalidParameter("ModelReference", "a model switch takes a FoundationModel");
  const dryRun = readBoolean(params, "DryRun") === true;
  requireKnownModel(target);
  const endpoint = context.store.get(endpointId);
  if (!endpoint) throw endpointNotFound(endpointId);
  checkSwitchable(endpoint, target);
  if (dryRun) throw dryRunOperation();
  return { result: { Id: context.rollings.start(endpointId, target).Id }, changed: true };
}

/** Refuses a switch the endpoint cannot make now: CreateEndpointRolling's checks after the catalogue. */
export function checkSwitchable(endpoint: ArkEndpoint, target: SwitchTarget): void {
  const refuse = (reason: string) =>
    new ApiError(
      "OperationDenied.EndpointStatus",
      `The endpoint ${endpoint.Id} cannot switch its model: ${reason}.`,
    );
  const current = endpoint.ModelReference.FoundationModel;
  if (!current) throw refuse("it serves a custom model");
  if (!endpoint.SupportRolling) throw refuse("it does not support rolling");
  if (endpoint.Status !== "Running") throw refuse(`it is ${endpoint.Status}, not Running`);
  if (endpoint.RollingId !== "") throw refuse(`the switch ${endpoint.RollingId} is in progress`);
  if (current.Name === target.Name && current.ModelVersion === target.ModelVersion) {
    throw new ApiError(
      "InvalidParameter.ModelReference",
      `The endpoint ${endpoint.Id} already serves ${target.Name} ${target.ModelVersion}.`,
    );
  }
}

export function getEndpointRolling(params: JsonObject, context: ActionContext): ActionOutcome {
  rejectUnknownKeys(params, ["Id"]);
  const { Id } = requireRolling(params, context.rollings);
  return { result: { RollingInfo: context.rollings.report(Id) }, changed: false };
}

/** Running or Failed → Reverting; Reverting stays so, or steps back once more (a rollback of one step). */
export function rollbackEndpointRolling(params: JsonObject, context: ActionContext): ActionOutcome {
  rejectUnknownKeys(params, ["Id"]);
  const rolling = requireRolling(params, context.rollings);
  switch (rolling.Status) {
    case "Completed":
    case "Reverted":
      throw switchEnded(rolling);
    case "Reverting":
    case "Running":
    case "Failed":
      return { result: {}, changed: context.rollings.rollBack(rolling.Id) };
  }
}

/** Anything not ended → Reverted at once. */
export function cancelEndpointRolling(params: JsonObject, context: ActionContext): ActionOutcome {
  rejectUnknownKeys(params, ["Id"]);
  const rolling = requireRolling(params, context.rollings);
  switch (rolling.Status) {
    case "Completed":
    case "Reverted":
      throw switchEnded(rolling);
    case "Running":
    case "Failed":
    case "Reverting":
      context.rollings.cancel(rolling.Id);
      return { result: {}, changed: true };
  }
}

function requireRolling(params: JsonObject, rollings: RollingStore): ArkRollingInfo {
  const id = requireString(params, "Id");
  const rolling = rollings.get(id);
  if (!rolling) throw new ApiError("NotFound.EndpointRolling", `The specified rolling ${id} is not found.`);
  return rolling;
}

function switchEnded(rolling: ArkRollingInfo): ApiError {
  return new ApiError(
    "OperationDenied.EndpointStatus",
    `The model switch ${rolling.Id} has already ended (${rolling.Status}).`,
  );
}
