// The error answers the emulator gives: Ark's gateway codes with their CodeN and HTTP status
// (docs/ark-api.md, Errors), plus the Ark-level codes it chose where the sources are silent.

interface ErrorSpec {
  status: number;
  codeN?: number;
}

const errorSpecs = {
  MissingParameter: { status: 400, codeN: 100002 },
  InvalidParameter: { status: 400 },
  "InvalidParameter.ModelReference": { status: 400 },
  DryRunOperation: { status: 400 },
  MissingAuthenticationToken: { status: 401, codeN: 100003 },
  InvalidAuthorization: { status: 400 },
  InvalidCredential: { status: 400 },
  InvalidTimestamp: { status: 400, codeN: 100006 },
  InvalidAccessKey: { status: 401, codeN: 100009 },
  SignatureDoesNotMatch: { status: 401, codeN: 100010 },
  InvalidSecretToken: { status: 401 },
  AccessDenied: { status: 403, codeN: 100013 },
  InvalidActionOrVersion: { status: 404, codeN: 100008 },
  MethodNotAllowed: { status: 405 },
  FlowLimitExceeded: { status: 429, codeN: 100018 },
  // ark-cli's paging advice names it; no source gives its HTTP status or CodeN. 400 is the pessimistic
  // answer (a client error), under the throttleAsAccountFlowLimit switch (docs/ark-api.md, Errors).
  AccountFlowLimitExceeded: { status: 400 },
  InternalError: { status: 500, codeN: 100014 },
  ServiceUnavailableTemp: { status: 503 },
  "NotFound.Endpoint": { status: 404 },
  "NotFound.EndpointRolling": { status: 404 },
  "OperationDenied.EndpointStatus": { status: 403 },
  // Refusals of the account, not of the request (82379/1299023): the emulator gives them only when a
  // test injects them (docs/emulator.md, Faults).
  ModelNotOpen: { status: 404 },
  "OperationDenied.ServiceNotOpen": { status: 403 },
  "OperationDenied.ServiceOverdue": { status: 403 },
  AccountOverdueError: { status: 403 },
  QuotaExceeded: { status: 429 },
} satisfies Record<string, ErrorSpec>;

export type ApiErrorCode = keyof typeof errorSpecs;

/** An error answer: becomes the error envelope with this Code, CodeN and HTTP status. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly codeN: number | undefined;

  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    const spec: ErrorSpec = errorSpecs[code];
    this.status = spec.status;
    this.codeN = spec.codeN;
  }
}

export function missingParameter(path: string): ApiError {
  return new ApiError("MissingParameter", `The required parameter ${path} is missing.`);
}

export function invalidParameter(path: string, reason: string): ApiError {
  return new ApiError("InvalidParameter", `The parameter ${path} is invalid: ${reason}.`);
}

export function endpointNotFound(id: string): ApiError {
  return new ApiError("NotFound.Endpoint", `The specified endpoint ${id} is not found.`);
}

/** A caller whose permissions do not cover the action (docs/ark-api.md, Errors: AccessDenied). */
export function accessDenied(caller: string, action: string, why = ""): ApiError {
  return new ApiError("AccessDenied", `${caller} is not allowed to perform ${action}${why}.`);
}

/** The codes an `error` fault may answer: the account's refusals, which no request of the emulator's
 * own earns. */
export const injectableCodes = [
  "ModelNotOpen",
  "OperationDenied.ServiceNotOpen",
  "OperationDenied.ServiceOverdue",
  "AccountOverdueError",
  "QuotaExceeded",
  "NotFound.Endpoint",
] as const satisfies readonly ApiErrorCode[];
export type InjectableCode = (typeof injectableCodes)[number];

export function isInjectableCode(code: string): code is InjectableCode {
  return (injectableCodes as readonly string[]).includes(code);
}

/** The answer of an `error` fault, worded after 82379/1299023's messages; `model` is the foundation
 * model the request names and `endpointId` the endpoint, if any. */
export function injectedError(
  code: InjectableCode,
  model: string | undefined,
  endpointId: string | undefined,
): ApiError {
  switch (code) {
    case "ModelNotOpen":
      return new ApiError(
        code,
        `Your account has not activated the model ${model ?? "requested"}. Please activate the model service in the Ark Console.`,
      );
    case "OperationDenied.ServiceNotOpen":
      return new ApiError(
        code,
        "Operation is denied because the model service is unavailable; activate the model service in the Ark console.",
      );
    case "OperationDenied.ServiceOverdue":
      return new ApiError(code, "Operation is denied because your account balance is overdue.");
    case "AccountOverdueError":
      return new ApiError(code, "The request failed because your account has an overdue balance.");
    case "QuotaExceeded":
      return new ApiError(code, "The request failed because a quota of your account is used up.");
    case "NotFound.Endpoint":
      // As Ark may answer a caller who may not see the endpoint (docs/ark-api.md, Confirming an absence).
      return endpointNotFound(endpointId ?? "requested");
  }
}

/** A DryRun's answer when the real request would have succeeded. */
export function dryRunOperation(): ApiError {
  return new ApiError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.");
}
