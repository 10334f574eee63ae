// GetEndpoint: the full endpoint, fields flat under Result.
import { type JsonObject, rejectUnknownKeys } from "../request-params.js";
import type { ActionContext, ActionOutcome } from "./action-context.js";
import { requireEndpoint } from "./endpoint-params.js";

export function getEndpoint(params: JsonObject, context: ActionContext): ActionOutcome {
  rejectUnknownKeys(params, ["Id"]);
  return { result: structuredClone(requireEndpoint(params, context.store)), changed: false };
}
