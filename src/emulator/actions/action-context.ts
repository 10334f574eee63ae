// What an action handler gets and returns.
import type { EndpointStore } from "../endpoint-store.js";
import type { JsonObject } from "../request-params.js";
import type { RollingStore } from "../rolling-store.js";

export interface ActionContext {
  store: EndpointStore;
  rollings: RollingStore;
  /** Milliseconds since the epoch, from the emulator's clock. */
  now: number;
  provisioningDelayMs: number;
  /** Set by an `abnormal` fault: provisioning started by this call ends Abnormal with this reason. */
  provisioningFailure: string | null;
}

export interface ActionOutcome {
  result: object;
  /** Whether the call changed the endpoints or rollings (they are then saved before the reply). */
  changed: boolean;
}

export type ActionHandler = (params: JsonObject, context: ActionContext) => ActionOutcome;
