// What an action handler gets and returns.
import type { EndpointStore, ProvisioningFailure } from "../endpoint-store.js";
import type { IgnorableCreateField, IgnorableUpdateField } from "../ignored-fields.js";
import type { JsonObject } from "../request-params.js";
import type { RollingStore } from "../rolling-store.js";

export interface ActionContext {
  store: EndpointStore;
  rollings: RollingStore;
  /** Milliseconds since the epoch, from the emulator's clock. */
  now: number;
  provisioningDelayMs: number;
  /** Set by an `abnormal` or `failed` fault: how provisioning started by this call ends. */
  provisioningFailure: ProvisioningFailure | null;
  /** DeleteEndpoint of a Running endpoint is refused (the `refuseDeleteRunning` knob). */
  refuseDeleteRunning: boolean;
  /** UpdateEndpoint answers success but leaves these fields as they are (the `ignoreUpdateFields` knob). */
  ignoreUpdateFields: ReadonlySet<IgnorableUpdateField>;
  /** CreateEndpoint answers success but gives these fields their defaults (`ignoreCreateFields`). */
  ignoreCreateFields: ReadonlySet<IgnorableCreateField>;
  /** CreateEndpoint with `DryRun: true` creates as if it were false (the `ignoreDryRun` knob). */
  ignoreDryRun: boolean;
  /** ListEndpoints leaves these endpoints off its pages; TotalCount still counts them (`listSkipsEndpoints`). */
  listSkipsEndpoints: ReadonlySet<string>;
  /** Lists with no Filter and no TagFilters leave these off their pages; TotalCount still counts them
   * (`listShiftsPast`). */
  listShiftsPast: ReadonlySet<string>;
  /** DeleteEndpoint answers NotFound.Endpoint and leaves the endpoint (`deleteAnswersNotFound`). */
  deleteAnswersNotFound: boolean;
}

export interface ActionOutcome {
  result: object;
  /** Whether the call changed the endpoints or rollings (they are then saved before the reply). */
  changed: boolean;
}

export type ActionHandler = (params: JsonObject, context: ActionContext) => ActionOutcome;
