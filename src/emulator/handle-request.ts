// One HTTP request through the emulator: count it, rate-limit it, delay it, check its signature and
// the caller's permission, route its Action (Ark's, or STS's), apply any injected fault, run the
// action, save, and answer in the service's envelope.
import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { actionHandlers } from "./actions/action-table.js";
import { ApiError, accessDenied, injectedError } from "./api-error.js";
import { type ActionName, apiVersion, isActionName, serviceName } from "./ark-types.js";
import type { EndpointStore, ProvisioningFailure } from "./endpoint-store.js";
import { type CallIdentity, createRequestId, errorEnvelope, successEnvelope } from "./envelope.js";
import type { ActiveFault, FaultKind, FaultQueue } from "./fault-queue.js";
import type { IdentityStore, Principal } from "./identities.js";
import type { IgnorableCreateField, IgnorableUpdateField } from "./ignored-fields.js";
import { emulatorMarkerHeader } from "./marker.js";
import { isJsonObject, type JsonObject } from "./request-params.js";
import type { RollingStore } from "./rolling-store.js";
import {
  answerSts,
  isStsAction,
  readStsParams,
  type StsAction,
  stsRegion,
  stsService,
  stsVersion,
} from "./sts-actions.js";
import type { TokenBucket } from "./token-bucket.js";
import { verifySignature } from "./verify-signature.js";

const maxBodyBytes = 1024 * 1024;

export interface EmulatorStats {
  /** Every HTTP request received. */
  requests: number;
  /** Requests per `Action` query value, whatever their outcome (a null-prototype object). */
  byAction: Record<string, number>;
  /** Requests answered as throttled (the rate limit or a `throttle` fault). */
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
  identities: IdentityStore;
  maxClockSkewSeconds: number;
  provisioningDelayMs: number;
  refuseDeleteRunning: boolean;
  ignoreUpdateFields: ReadonlySet<IgnorableUpdateField>;
  ignoreCreateFields: ReadonlySet<IgnorableCreateField>;
  ignoreDryRun: boolean;
  listSkipsEndpoints: ReadonlySet<string>;
  listShiftsPast: ReadonlySet<string>;
  deleteAnswersNotFound: boolean;
  /** Throttling answers AccountFlowLimitExceeded, HTTP 400, instead of FlowLimitExceeded, HTTP 429. */
  throttleAsAccountFlowLimit: boolean;
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

/** Which service's action a call names; anything else is answered InvalidActionOrVersion. */
type Route =
  | { service: "ark"; action: ActionName }
  | { service: "sts"; action: StsAction }
  | { service: "unknown" };

interface IncomingCall {
  identity: CallIdentity;
  route: Route;
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
  const version = url.searchParams.get("Version") ?? "";
  const route = routeOf(action, version);
  const sts = route.service === "sts";
  const identity: CallIdentity = {
    requestId: createRequestId(context.clock()),
    action,
    version,
    service: sts ? stsService : serviceName,
    region: sts ? stsRegion : context.region,
  };
  const body = await readBody(req);
  if (context.latencyMs > 0) await sleep(context.latencyMs, undefined, { signal: context.closing });

  const call: IncomingCall = {
    identity,
    route,
    method: req.method ?? "",
    url,
    request: req,
    body,
    throttled,
  };
  const outcome = await answerCall(call, context).catch(
    (error: unknown): Outcome => ({ reply: errorReply(identity, toApiError(error)) }),
  );
  const { reply } = outcome;
  if (reply.kind === "drop") {
    req.socket.destroy();
  } else {
    if (reply.code === throttlingCode(context)) context.stats.throttled += 1;
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": Buffer.byteLength(text),
      [emulatorMarkerHeader]: "1",
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
  const { identity, route } = call;
  if (call.throttled)
    throw new ApiError(throttlingCode(context), "Too many requests per second; retry later.");
  // STS's AssumeRole is an HTTP GET, its OIDC sibling a form POST (docs/ark-api.md, STS).
  const methods = route.service === "sts" ? ["GET", "POST"] : ["POST"];
  if (!methods.includes(call.method))
    throw new ApiError(
      "MethodNotAllowed",
      `The method ${call.method} is not allowed; use ${methods.join(" or ")}.`,
    );
  if (call.body === null)
    throw new ApiError("InvalidParameter", `The request body is larger than ${maxBodyBytes} bytes.`);
  // AssumeRoleWithOIDC is authenticated by the token it carries, not by a signature.
  const caller =
    route.service === "sts" && route.action === "AssumeRoleWithOIDC" ? null : authenticate(call, context);
  if (route.service === "unknown") {
    throw new ApiError(
      "InvalidActionOrVersion",
      `The action "${identity.action}" with version "${identity.version}" is not supported by ${serviceName} or ${stsService}.`,
    );
  }
  const permission = `${route.service}:${route.action}`;
  if (caller && !caller.allows(permission)) throw accessDenied(caller.name, permission);
  if (route.service === "sts") {
    const params = readStsParams(call.url.searchParams, headerOf(call.request, "content-type"), call.body);
    const result = answerSts(route.action, params, caller, context.identities, context.clock());
    return { reply: { kind: "answer", status: 200, body: successEnvelope(identity, result) } };
  }
  return answerArk(route.action, call.body, identity, context);
}

function routeOf(action: string, version: string): Route {
  if (isActionName(action) && version === apiVersion) return { service: "ark", action };
  if (isStsAction(action) && version === stsVersion) return { service: "sts", action };
  return { service: "unknown" };
}

/** The caller whose signature checks out (an unknown action is checked as Ark's). */
function authenticate(call: IncomingCall, context: RequestContext): Principal {
  const sts = call.route.service === "sts";
  return verifySignature(
    {
      method: call.method,
      path: call.url.pathname,
      query: call.url.searchParams,
      headers: call.request.headers,
      body: call.body ?? Buffer.alloc(0),
    },
    {
      lookup: (accessKey) => context.identities.find(accessKey),
      region: sts ? stsRegion : context.region,
      service: sts ? stsService : serviceName,
      maxSkewSeconds: context.maxClockSkewSeconds,
      now: context.clock(),
    },
  );
}

/** An authenticated, permitted Ark call: its fault, its action, the save. */
async function answerArk(
  action: ActionName,
  body: Buffer,
  identity: CallIdentity,
  context: RequestContext,
): Promise<Outcome> {
  const params = parseParams(body);
  const fault = context.faults.take(action, params.DryRun === true);
  if (fault) context.stats.faulted += 1;
  const withFault = (reply: Reply): Outcome => (fault ? { reply, fault: fault.kind } : { reply });
  const fail = (error: ApiError): Outcome => withFault(errorReply(identity, error));
  switch (fault?.kind) {
    case "internal-error":
      return fail(new ApiError("InternalError", "Injected fault: internal error."));
    case "unavailable":
      return fail(new ApiError("ServiceUnavailableTemp", "Injected fault: service temporarily unavailable."));
    case "throttle":
      return fail(new ApiError(throttlingCode(context), "Injected fault: too many requests; retry later."));
    case "drop":
      return withFault({ kind: "drop" });
    case "error":
      return fail(
        injectedError(
          fault.code as NonNullable<ActiveFault["code"]>,
          requestedModel(params),
          typeof params.Id === "string" ? params.Id : undefined,
        ),
      );
    case "lost-reply":
    case "abnormal":
    case "failed":
    case undefined:
      break;
  }
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
    ignoreDryRun: context.ignoreDryRun,
    listSkipsEndpoints: context.listSkipsEndpoints,
    listShiftsPast: context.listShiftsPast,
    deleteAnswersNotFound: context.deleteAnswersNotFound,
  });
  if (outcome.changed) await context.save();
  if (fault?.kind === "lost-reply") return withFault({ kind: "drop" });
  return withFault({ kind: "answer", status: 200, body: successEnvelope(identity, outcome.result) });
}

/** How a throttled request is answered: FlowLimitExceeded (HTTP 429), or under the
 * throttleAsAccountFlowLimit switch AccountFlowLimitExceeded (HTTP 400). */
function throttlingCode(context: RequestContext): "FlowLimitExceeded" | "AccountFlowLimitExceeded" {
  return context.throttleAsAccountFlowLimit ? "AccountFlowLimitExceeded" : "FlowLimitExceeded";
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
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

/** The foundation model a request names (CreateEndpoint, CreateEndpointRolling), for an error's message. */
function requestedModel(params: JsonObject): string | undefined {
  const reference = params.ModelReference;
  const model = isJsonObject(reference) ? reference.FoundationModel : undefined;
  return isJsonObject(model) && typeof model.Name === "string" ? model.Name : undefined;
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
