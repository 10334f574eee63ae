// One HTTP request through the emulator: count it, rate-limit it, delay it, check its signature,
// route its Action, apply any injected fault, run the action, save, and answer in Ark's envelope.
import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { actionHandlers } from "./actions/action-table.js";
import { ApiError } from "./api-error.js";
import { apiVersion, isActionName, serviceName } from "./ark-types.js";
import type { EndpointStore, ProvisioningFailure } from "./endpoint-store.js";
import { type CallIdentity, createRequestId, errorEnvelope, successEnvelope } from "./envelope.js";
import type { ActiveFault, FaultKind, FaultQueue } from "./fault-queue.js";
import type { IgnorableCreateField, IgnorableUpdateField } from "./ignored-fields.js";
import { isJsonObject, type JsonObject } from "./request-params.js";
import type { RollingStore } from "./rolling-store.js";
import type { TokenBucket } from "./token-bucket.js";
import { type AcceptedCredentials, verifySignature } from "./verify-signature.js";

const maxBodyBytes = 1024 * 1024;

export interface EmulatorStats {
  /** Every HTTP request received. */
  requests: number;
  /** Requests per `Action` query value, whatever their outcome (a null-prototype object). */
  byAction: Record<string, number>;
  /** Requests answered FlowLimitExceeded (the rate limit or a `throttle` fault). */
  throttled: number;
  /** Calls an injected fault acted on. */
  faulted: number;
}

/** One answered (or dropped) request, for a log. Holds no credentials. */
export interface CallRecord {
  requestId: string;
  action: string;
  /** The HTTP status, or null when the connection was closed without an answer. */
  status: number | null;
  /** The error Code, for error answers. */
  code?: string;
  fault?: FaultKind;
  durationMs: number;
}

export interface RequestContext {
  store: EndpointStore;
  rollings: RollingStore;
  clock: () => number;
  region: string;
  credentials: AcceptedCredentials;
  maxClockSkewSeconds: number;
  provisioningDelayMs: number;
  refuseDeleteRunning: boolean;
  ignoreUpdateFields: ReadonlySet<IgnorableUpdateField>;
  ignoreCreateFields: ReadonlySet<IgnorableCreateField>;
  latencyMs: number;
  limiter: TokenBucket | null;
  faults: FaultQueue;
  stats: EmulatorStats;
  /** Persists the endpoints and rollings; resolves once they are on disk. */
  save(): Promise<void>;
  /** Aborted when the emulator closes: requests waiting out their latency are dropped. */
  closing: AbortSignal;
  onCall?: (record: CallRecord) => void;
}

interface IncomingCall {
  identity: CallIdentity;
  method: string;
  url: URL;
  request: IncomingMessage;
  body: Buffer | null;
  throttled: boolean;
}

type Reply = { kind: "answer"; status: number; body: object; code?: string } | { kind: "drop" };

interface Outcome {
  reply: Reply;
  fault?: FaultKind;
}

export function createRequestHandler(
  context: RequestContext,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handleRequest(req, res, context).catch(() => req.socket.destroy());
  };
}

async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  context: RequestContext,
): Promise<void> {
  const started = performance.now();
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  const action = url.searchParams.get("Action") ?? "";
  countRequest(context.stats, action);
  // The rate limit is decided on arrival; the latency is added before any answer.
  const throttled = context.limiter !== null && !context.limiter.take();
  const identity: CallIdentity = {
    requestId: createRequestId(context.clock()),
    action,
    version: url.searchParams.get("Version") ?? "",
    region: context.region,
  };
  const body = await readBody(req);
  if (context.latencyMs > 0) await sleep(context.latencyMs, undefined, { signal: context.closing });

  const call: IncomingCall = { identity, method: req.method ?? "", url, request: req, body, throttled };
  const outcome = await answerCall(call, context).catch(
    (error: unknown): Outcome => ({ reply: errorReply(identity, toApiError(error)) }),
  );
  const { reply } = outcome;
  if (reply.kind === "drop") {
    req.socket.destroy();
  } else {
    if (reply.code === "FlowLimitExceeded") context.stats.throttled += 1;
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": Buffer.byteLength(text),
    });
    res.end(text);
  }
  context.onCall?.({
    requestId: identity.requestId,
    action,
    status: reply.kind === "drop" ? null : reply.status,
    ...(reply.kind === "answer" && reply.code ? { code: reply.code } : {}),
    ...(outcome.fault ? { fault: outcome.fault } : {}),
    durationMs: Math.round(performance.now() - started),
  });
}

async function answerCall(call: IncomingCall, context: RequestContext): Promise<Outcome> {
  const { identity } = call;
  if (call.throttled) throw new ApiError("FlowLimitExceeded", "Too many requests per second; retry later.");
  if (call.method !== "POST")
    throw new ApiError("MethodNotAllowed", `The method ${call.method} is not allowed; use POST.`);
  if (call.body === null)
    throw new ApiError("InvalidParameter", `The request body is larger than ${maxBodyBytes} bytes.`);
  verifySignature(
    {
      method: call.method,
      path: call.url.pathname,
      query: call.url.searchParams,
      headers: call.request.headers,
      body: call.body,
    },
    {
      credentials: context.credentials,
      region: context.region,
      service: serviceName,
      maxSkewSeconds: context.maxClockSkewSeconds,
      now: context.clock(),
    },
  );
  const action = identity.action;
  if (!isActionName(action) || identity.version !== apiVersion) {
    throw new ApiError(
      "InvalidActionOrVersion",
      `The action "${action}" with version "${identity.version}" is not supported by ${serviceName}.`,
    );
  }
  const fault = context.faults.take(action);
  if (fault) context.stats.faulted += 1;
  const withFault = (reply: Reply): Outcome => (fault ? { reply, fault: fault.kind } : { reply });
  const fail = (error: ApiError): Outcome => withFault(errorReply(identity, error));
  switch (fault?.kind) {
    case "internal-error":
      return fail(new ApiError("InternalError", "Injected fault: internal error."));
    case "unavailable":
      return fail(new ApiError("ServiceUnavailableTemp", "Injected fault: service temporarily unavailable."));
    case "throttle":
      return fail(new ApiError("FlowLimitExceeded", "Injected fault: too many requests; retry later."));
    case "drop":
      return withFault({ kind: "drop" });
    case "lost-reply":
    case "abnormal":
    case "failed":
    case undefined:
      break;
  }
  const params = parseParams(call.body);
  // Model switches move endpoints (their model, RollingId) on the clock: bring them up to it first.
  context.rollings.settle();
  const outcome = actionHandlers[action](params, {
    store: context.store,
    rollings: context.rollings,
    now: context.clock(),
    provisioningDelayMs: context.provisioningDelayMs,
    provisioningFailure: provisioningFailureOf(fault),
    refuseDeleteRunning: context.refuseDeleteRunning,
    ignoreUpdateFields: context.ignoreUpdateFields,
    ignoreCreateFields: context.ignoreCreateFields,
  });
  if (outcome.changed) await context.save();
  if (fault?.kind === "lost-reply") return withFault({ kind: "drop" });
  return withFault({ kind: "answer", status: 200, body: successEnvelope(identity, outcome.result) });
}

/** How a provisioning this call starts ends, when an `abnormal` or `failed` fault applies to it. */
function provisioningFailureOf(fault: ActiveFault | undefined): ProvisioningFailure | null {
  if (fault?.kind === "abnormal") return { status: "Abnormal", reason: fault.reason };
  if (fault?.kind === "failed") return { status: "Failed", reason: fault.reason };
  return null;
}

function errorReply(identity: CallIdentity, error: ApiError): Reply {
  return { kind: "answer", status: error.status, body: errorEnvelope(identity, error), code: error.code };
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError("InternalError", `The emulator failed: ${message}`);
}

function parseParams(body: Buffer): JsonObject {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    value = undefined;
  }
  if (!isJsonObject(value)) throw new ApiError("InvalidParameter", "The request body must be a JSON object.");
  return value;
}

/** The whole body, or null when it is larger than the limit (the rest is read and discarded). */
async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= maxBodyBytes) chunks.push(chunk as Buffer);
  }
  return size > maxBodyBytes ? null : Buffer.concat(chunks);
}

function countRequest(stats: EmulatorStats, action: string): void {
  stats.requests += 1;
  if (action !== "") stats.byAction[action] = (stats.byAction[action] ?? 0) + 1;
}
