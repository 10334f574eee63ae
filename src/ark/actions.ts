// The Ark control-plane actions ark-sync calls (reference/ark-api.md §1).

export const arkActions = [
  "CreateEndpoint",
  "GetEndpoint",
  "ListEndpoints",
  "UpdateEndpoint",
  "DeleteEndpoint",
  "StopEndpoint",
  "StartEndpoint",
] as const;

export type ArkAction = (typeof arkActions)[number];
