// The Ark control-plane actions ark-sync calls (docs/ark-api.md, Actions).

export const arkActions = [
  "CreateEndpoint",
  "GetEndpoint",
  "ListEndpoints",
  "UpdateEndpoint",
  "DeleteEndpoint",
  "StopEndpoint",
  "StartEndpoint",
  "CreateEndpointRolling",
  "GetEndpointRolling",
  "RollbackEndpointRolling",
  "CancelEndpointRolling",
] as const;

export type ArkAction = (typeof arkActions)[number];
