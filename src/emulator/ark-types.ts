// The Ark control plane's wire shapes for inference endpoints (docs/ark-api.md, Response fields), as the
// emulator stores and returns them: PascalCase, fields flat under Result.

/** The Go SDK's four, and Failed, seen in practice (docs/ark-api.md, Statuses). */
export type EndpointStatus = "Running" | "Scheduling" | "Abnormal" | "Stopped" | "Failed";
export const endpointStatuses: readonly EndpointStatus[] = [
  "Running",
  "Scheduling",
  "Abnormal",
  "Stopped",
  "Failed",
];

export type EndpointModelType = "FoundationModel" | "CustomModel";
export const endpointModelTypes: readonly EndpointModelType[] = ["FoundationModel", "CustomModel"];

export type ModerationStrategy = "Default" | "Basic";
export const moderationStrategies: readonly ModerationStrategy[] = ["Default", "Basic"];

export interface ArkTag {
  Key: string;
  Value: string;
}

/** Exactly one of the two is set. */
export interface ArkModelReference {
  FoundationModel?: { Name: string; ModelVersion: string };
  CustomModelId?: string;
}

/** Rpm and Tpm (Go SDK), and any other member, stored and returned as given: ark-cli also writes
 * members such as Ipm (images per minute) that no SDK lists (docs/ark-api.md, RateLimit). */
export interface ArkRateLimit {
  Rpm?: number;
  Tpm?: number;
  [member: string]: number | undefined;
}

/** GetEndpoint's Result. */
export interface ArkEndpoint {
  Id: string;
  Name: string;
  Description: string;
  ProjectName: string;
  Tags: ArkTag[];
  ModelReference: ArkModelReference;
  EndpointModelType: EndpointModelType;
  ModelUnitId: string;
  Moderation: { Strategy: ModerationStrategy };
  RateLimit: ArkRateLimit;
  Status: EndpointStatus;
  StatusReason: string;
  /** RFC 3339, UTC, whole seconds: `2025-02-05T10:25:43Z`. */
  CreateTime: string;
  UpdateTime: string;
  RollingId: string;
  SupportRolling: boolean;
  ScaleTierId: string;
  SupportScaleTier: boolean;
  BatchOnly: boolean;
}

/** A model switch's status. Only the words `Running`, `Reverting` and `Reverted` were observed;
 * `Completed` and `Failed` are the emulator's (docs/ark-api.md, Emulator choices). */
export type RollingStatus = "Running" | "Completed" | "Failed" | "Reverting" | "Reverted";

/** A foundation model as a switch names it. */
export interface ArkFoundationModel {
  Name: string;
  ModelVersion: string;
}

/** GetEndpointRolling's Result.RollingInfo. */
export interface ArkRollingInfo {
  Id: string;
  EndpointId: string;
  Status: RollingStatus;
  /** The percent of traffic on the new model. */
  RollingGray: number;
  RollingStrategy: { Step: number; WaitDuration: number };
  /** The model the switch moves to, and the one it moves from (docs/ark-api.md, Response fields). Absent
   * from switches a data file kept from before they were recorded. */
  RollingIn?: ArkFoundationModel;
  RollingOut?: ArkFoundationModel;
}

/** One of ListEndpoints' Items: GetEndpoint's shape without these four fields. */
export type ArkEndpointItem = Omit<
  ArkEndpoint,
  "Moderation" | "BatchOnly" | "ScaleTierId" | "SupportScaleTier"
>;

export const actionNames = [
  "CreateEndpoint",
  "GetEndpoint",
  "ListEndpoints",
  "UpdateEndpoint",
  "DeleteEndpoint",
  "StopEndpoint",
  "StartEndpoint",
  "GetEndpointCertificate",
  "CreateEndpointRolling",
  "GetEndpointRolling",
  "RollbackEndpointRolling",
  "CancelEndpointRolling",
] as const;

export type ActionName = (typeof actionNames)[number];

export function isActionName(value: string): value is ActionName {
  return (actionNames as readonly string[]).includes(value);
}

export const apiVersion = "2024-01-01";
export const serviceName = "ark";
