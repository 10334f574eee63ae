// Ark's answers as typed errors. Every failed call becomes an ArkApiError with a closed category
// that decides retries, and keeps Ark's Code, RequestId and the action for the user.
import { ArkSyncError } from "../core/errors.js";
import type { ArkAction } from "./actions.js";

/** `account`: the account itself cannot do it now (overdue, a quota used up); fixed in the console,
 * not by waiting or other credentials. */
export type ArkErrorCategory =
  | "auth"
  | "account"
  | "throttled"
  | "not_found"
  | "invalid"
  | "server"
  | "network";

export interface ArkApiErrorDetails {
  category: ArkErrorCategory;
  action: ArkAction;
  /** Ark's `ResponseMetadata.Error.Code`, or the socket error code (ECONNRESET…) for network errors. */
  arkCode: string | undefined;
  /** Ark's message, already scrubbed of credentials. */
  arkMessage: string;
  requestId: string | undefined;
  httpStatus: number | undefined;
  /** The model the request names (`doubao-1-5-pro-32k 250115`), for hints about it. */
  model?: string;
}

export class ArkApiError extends ArkSyncError {
  readonly category: ArkErrorCategory;
  readonly action: ArkAction;
  readonly arkCode: string | undefined;
  readonly requestId: string | undefined;
  readonly httpStatus: number | undefined;

  constructor(details: ArkApiErrorDetails) {
    super("external", `ark_${details.category}`, formatMessage(details), {
      hint: hintFor(details.category, details.arkCode, details.model),
    });
    this.name = "ArkApiError";
    this.category = details.category;
    this.action = details.action;
    this.arkCode = details.arkCode;
    this.requestId = details.requestId;
    this.httpStatus = details.httpStatus;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      code: this.code,
      category: this.category,
      action: this.action,
      arkCode: this.arkCode,
      requestId: this.requestId,
      httpStatus: this.httpStatus,
      message: this.message,
    };
  }
}

export function isArkApiError(error: unknown): error is ArkApiError {
  return error instanceof ArkApiError;
}

/** A refusal of the caller's permission, not of the request: AccessDenied (100013) or LackPolicy (100012). */
export function isPermissionDenied(error: unknown): error is ArkApiError {
  return isArkApiError(error) && ["AccessDenied", "LackPolicy"].includes(baseOf(error.arkCode ?? ""));
}

/** Ark's answer to a DryRun whose real request would have succeeded (docs/ark-api.md, DryRun). */
export function isDryRunOperation(error: unknown): boolean {
  return isArkApiError(error) && error.arkCode === "DryRunOperation";
}

function formatMessage(details: ArkApiErrorDetails): string {
  const code = details.arkCode ? `${details.arkCode}: ` : "";
  const status = details.httpStatus === undefined ? "" : `HTTP ${details.httpStatus}, `;
  const requestId = details.requestId ? `RequestId ${details.requestId}` : "no RequestId";
  return `Ark ${details.action} failed (${details.category}): ${code}${details.arkMessage} (${status}${requestId})`;
}

/** Codes whose meaning is narrower than their category's hint (docs/ark-api.md, Errors); `model` is
 * the model the request names, when it names one. */
const codeHints = new Map<string, (model: string | undefined) => string>([
  [
    "ModelNotOpen",
    (model) =>
      `This Volcengine account has not activated the model ${model ?? "the request names"}: activate it in the Ark console (its activation management page, 开通管理), then try again. The credentials are fine.`,
  ],
  [
    "OperationDenied.ServiceNotOpen",
    (model) =>
      `The Ark model service${model ? ` for ${model}` : ""} is not open for this Volcengine account: open (activate) it in the Ark console (its activation management page, 开通管理), then try again. The credentials are fine.`,
  ],
  [
    "OperationDenied.ServiceOverdue",
    () =>
      "The Volcengine account is overdue, so Ark refuses operations: settle the bill (top up) in the Volcengine console's billing center, then try again. The credentials are fine.",
  ],
  [
    "AccountOverdueError",
    () =>
      "The Volcengine account is overdue: top it up or settle the bill in the Volcengine console, then try again. The credentials are fine.",
  ],
  [
    "QuotaExceeded",
    () =>
      "A quota of the account is used up, and waiting does not restore it: free some of it or raise it in the Volcengine console, then try again.",
  ],
  [
    "AccessDenied",
    () =>
      "These credentials may not call this action: check the IAM policy of the user whose keys they are, or of the role VOLC_ROLE_TRN names (and VOLC_ROLE_POLICY, which narrows it); docs/credentials.md lists what plan, drift and apply need.",
  ],
  [
    "InvalidSecretToken",
    () =>
      "The session token is not valid, or the session has expired. A session assumed through VOLC_ROLE_TRN lasts VOLC_ROLE_DURATION_SECONDS (default 3600): make it outlast the run. With VOLC_SESSIONTOKEN, get a fresh token.",
  ],
  [
    "OperationDenied.EndpointStatus",
    () =>
      "Ark refuses this while the endpoint is in its current status; check the endpoint in the Ark console and try again.",
  ],
]);

function hintFor(category: ArkErrorCategory, code: string | undefined, model: string | undefined): string {
  const specific = code === undefined ? undefined : (codeHints.get(code) ?? codeHints.get(baseOf(code)));
  if (specific) return specific(model);
  switch (category) {
    case "auth":
      return "Check VOLC_ACCESSKEY / VOLC_SECRETKEY (or ~/.volc/config), their permissions, and --region.";
    case "account":
      return "The Volcengine account cannot do this now; check its balance and quotas in the Volcengine console.";
    case "throttled":
      return "Ark kept throttling the requests; lower --parallelism or try again later.";
    case "not_found":
      return "The endpoint does not exist (deleted outside ark-sync?).";
    case "invalid":
      return "Ark rejected the request; check the manifest values named in the message.";
    case "server":
      return "Ark failed internally; try again later.";
    case "network":
      return "Check --api-url and the network connection to Ark.";
  }
}

/** Throttling whatever the HTTP status (docs/ark-api.md, Errors): ark-cli reports
 * AccountFlowLimitExceeded while paging, and no source gives its status. */
const throttlingCodes = new Set([
  "AccountFlowLimitExceeded",
  "FlowLimitExceeded",
  "RequestLimitExceeded",
  "RequestThrottled",
  "SlowDown",
]);
const authCodes = new Set([
  "InvalidAccessKey",
  "SignatureDoesNotMatch",
  "MissingAuthenticationToken",
  "MissingSignature",
  "InvalidAuthorization",
  "InvalidCredential",
  "InvalidSecretToken",
  "InvalidTimestamp",
  "AccessDenied",
  "LackPolicy",
]);
const serverCodes = new Set([
  "InternalError",
  "InternalServiceError",
  "InternalServiceTimeout",
  "ServiceUnavailable",
  "ServiceUnavailableTemp",
  "FailToConnect",
]);
/** Refusals that depend on the account, not on the request or the moment: never retried, and never
 * read as "no such endpoint" (ModelNotOpen comes with HTTP 404). Matched whole or by their base. */
const accountCodes = new Set([
  "AccountOverdueError",
  "QuotaExceeded",
  "ModelNotOpen",
  "OperationDenied.ServiceNotOpen",
  "OperationDenied.ServiceOverdue",
]);
/** 404s that mean "wrong host, service or version", not "no such endpoint". */
const misroutedCodes = new Set(["ServiceNotFound", "InvalidActionOrVersion"]);

/**
 * The category of an error answer, from Ark's Code first and the HTTP status (when known) second.
 * Unknown codes on a 2xx or unknown status are `invalid`, so they are never retried.
 */
export function classifyArkCode(code: string | undefined, httpStatus: number | undefined): ArkErrorCategory {
  const name = code ?? "";
  const base = baseOf(name);
  // Before the 429 rule: QuotaExceeded comes with HTTP 429, yet waiting does not fix it.
  if (accountCodes.has(base) || accountCodes.has(name)) return "account";
  if (throttlingCodes.has(base) || /^(Throttling|TooManyRequests)/.test(base) || httpStatus === 429) {
    return "throttled";
  }
  if (authCodes.has(base)) return "auth";
  if (misroutedCodes.has(base)) return "invalid";
  if (base === "NotFound" || /NotFound$/.test(base)) return "not_found";
  if (serverCodes.has(base)) return "server";
  if (httpStatus === undefined) return "invalid";
  if (httpStatus === 401 || httpStatus === 403)
    return name.startsWith("OperationDenied") ? "invalid" : "auth";
  if (httpStatus === 404) return "not_found";
  if (httpStatus >= 500) return "server";
  return "invalid";
}

/** A code's part before the first `.`: `NotFound.Endpoint` → `NotFound`. */
function baseOf(code: string): string {
  return code.split(".")[0] ?? "";
}

/** Socket errors after which the request certainly never reached Ark. */
const notSentCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
const timeoutCodes = new Set(["ETIMEDOUT", "ECONNABORTED", "ERR_SOCKET_CONNECTION_TIMEOUT"]);
const networkCodes = new Set([
  ...notSentCodes,
  ...timeoutCodes,
  "ECONNRESET",
  "EPIPE",
  "ERR_NETWORK",
  "ERR_BAD_RESPONSE",
  "ECANCELED",
]);

/**
 * The socket-level code of a thrown transport error (axios keeps Node's code; "socket hang up" is
 * ECONNRESET, axios's own timeout ECONNABORTED), or undefined when it is not a network failure.
 */
export function networkErrorCode(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && networkCodes.has(code) ? code : undefined;
}

export function isTimeoutError(error: ArkApiError): boolean {
  return error.category === "network" && timeoutCodes.has(error.arkCode ?? "");
}

export function isRetryableCategory(category: ArkErrorCategory): boolean {
  switch (category) {
    case "throttled":
    case "server":
    case "network":
      return true;
    case "auth":
    case "account":
    case "not_found":
    case "invalid":
      return false;
  }
}

/**
 * Whether Ark may have carried out the action although the call failed: a 5xx, a reset or a timeout
 * after the request was sent. Throttled answers and refused connections mean it was not.
 */
export function isOutcomeUnknown(error: ArkApiError): boolean {
  switch (error.category) {
    case "server":
      return true;
    case "network":
      return !notSentCodes.has(error.arkCode ?? "");
    case "auth":
    case "account":
    case "throttled":
    case "not_found":
    case "invalid":
      return false;
  }
}

/** DeleteEndpoint refused because of the endpoint's status: a Running endpoint must be stopped first
 * (docs/ark-api.md, Errors). */
export function isDeleteRefusedWhileRunning(error: unknown): boolean {
  return (
    isArkApiError(error) &&
    error.action === "DeleteEndpoint" &&
    error.arkCode === "OperationDenied.EndpointStatus"
  );
}
