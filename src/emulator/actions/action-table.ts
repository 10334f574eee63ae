// Which handler answers which action.
import type { ActionName } from "../ark-types.js";
import type { ActionHandler } from "./action-context.js";
import { deleteEndpoint, startEndpoint, stopEndpoint } from "./change-endpoint-state.js";
import { createEndpoint } from "./create-endpoint.js";
import {
  cancelEndpointRolling,
  createEndpointRolling,
  getEndpointRolling,
  rollbackEndpointRolling,
} from "./endpoint-rolling.js";
import { getEndpoint } from "./get-endpoint.js";
import { getEndpointCertificate } from "./get-endpoint-certificate.js";
import { listEndpoints } from "./list-endpoints.js";
import { updateEndpoint } from "./update-endpoint.js";

export const actionHandlers: Record<ActionName, ActionHandler> = {
  CreateEndpoint: createEndpoint,
  GetEndpoint: getEndpoint,
  ListEndpoints: listEndpoints,
  UpdateEndpoint: updateEndpoint,
  DeleteEndpoint: deleteEndpoint,
  StopEndpoint: stopEndpoint,
  StartEndpoint: startEndpoint,
  GetEndpointCertificate: getEndpointCertificate,
  CreateEndpointRolling: createEndpointRolling,
  GetEndpointRolling: getEndpointRolling,
  RollbackEndpointRolling: rollbackEndpointRolling,
  CancelEndpointRolling: cancelEndpointRolling,
};
