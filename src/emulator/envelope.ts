// Ark's response envelopes (docs/ark-api.md, Response fields): ResponseMetadata always; Result on
// success; ResponseMetadata.Error and no Result on failure.
import { randomBytes } from "node:crypto";
import type { ApiError } from "./api-error.js";

export interface ResponseMetadata {
  RequestId: string;
  Action: string;
  Version: string;
  Service: string;
  Region: string;
  Error?: { Code: string; CodeN?: number; Message: string };
}

export interface CallIdentity {
  requestId: string;
  action: string;
  version: string;
  /** `ark`, or `sts` for the STS actions. */
  service: string;
  region: string;
}

/** Like Ark's: the UTC time to the second, then 18 random upper-case hex digits (32 characters). */
export function createRequestId(now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `${stamp}${randomBytes(9).toString("hex").toUpperCase()}`;
}

function metadata(call: CallIdentity): ResponseMetadata {
  return {
    RequestId: call.requestId,
    Action: call.action,
    Version: call.version,
    Service: call.service,
    Region: call.region,
  };
}

export function successEnvelope(call: CallIdentity, result: object): object {
  return { ResponseMetadata: metadata(call), Result: result };
}

export function errorEnvelope(call: CallIdentity, error: ApiError): object {
  const codeN = error.codeN === undefined ? {} : { CodeN: error.codeN };
  return {
    ResponseMetadata: { ...metadata(call), Error: { Code: error.code, ...codeN, Message: error.message } },
  };
}
