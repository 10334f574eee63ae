import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  ArkApiError,
  type ArkErrorCategory,
  classifyArkCode,
  isDeleteRefusedWhileRunning,
  isOutcomeUnknown,
  isRetryableCategory,
  networkErrorCode,
} from "../../src/ark/errors.js";
import { readReply } from "../../src/ark/read-reply.js";
import { ArkSyncError } from "../../src/core/errors.js";

const test = suite("ark errors");
const keep = (text: string) => text;

const classification: [code: string | undefined, status: number | undefined, expected: ArkErrorCategory][] = [
  ["FlowLimitExceeded", 429, "throttled"],
  ["FlowLimitExceeded", 200, "throttled"],
  ["RequestLimitExceeded", 400, "throttled"],
  ["Throttling", undefined, "throttled"],
  ["ThrottlingException", 400, "throttled"],
  ["TooManyRequestsException", 400, "throttled"],
  ["RequestThrottled", 400, "throttled"],
  [undefined, 429, "throttled"],
  ["ServerOverloaded", 429, "throttled"],
  ["RateLimitExceeded.EndpointRPMExceeded", 429, "throttled"],
  ["QuotaExceeded", 429, "account"],
  ["QuotaExceeded", undefined, "account"],
  ["AccountOverdueError", 403, "account"],
  // Not "no such endpoint": the account has not activated the model (82379/1299023: HTTP 404).
  ["ModelNotOpen", 404, "account"],
  ["OperationDenied.ServiceNotOpen", 403, "account"],
  ["OperationDenied.ServiceOverdue", 403, "account"],
  ["SignatureDoesNotMatch", 401, "auth"],
  ["InvalidAccessKey", 401, "auth"],
  ["MissingAuthenticationToken", 401, "auth"],
  ["InvalidAuthorization", 400, "auth"],
  ["InvalidCredential", 400, "auth"],
  ["InvalidTimestamp", 400, "auth"],
  ["AccessDenied", 403, "auth"],
  ["LackPolicy", 403, "auth"],
  [undefined, 401, "auth"],
  ["SomethingNew", 403, "auth"],
  ["OperationDenied.InvalidState", 403, "invalid"],
  ["OperationDenied.EndpointStatus", 403, "invalid"],
  ["NotFound.Endpoint", 404, "not_found"],
  ["NotFound", 404, "not_found"],
  ["ResourceNotFound", 404, "not_found"],
  ["ServiceNotFound", 404, "invalid"],
  ["InvalidActionOrVersion", 404, "invalid"],
  ["InternalError", 500, "server"],
  ["InternalServiceTimeout", 504, "server"],
  ["ServiceUnavailableTemp", 503, "server"],
  ["FailToConnect", 502, "server"],
  [undefined, 502, "server"],
  ["SomethingNew", 500, "server"],
  ["MissingParameter", 400, "invalid"],
  ["InvalidParameter.RateLimit", 400, "invalid"],
  ["MethodNotAllowed", 405, "invalid"],
  ["SomethingNew", 200, "invalid"],
  ["SomethingNew", undefined, "invalid"],
];

test("classification table: Ark code first, HTTP status second", () => {
  for (const [code, status, expected] of classification) {
    assert.is(classifyArkCode(code, status), expected, `${code} / HTTP ${status}`);
  }
});

test("retryable categories: throttled, server, network; never auth, account, not_found, invalid", () => {
  const categories = ["auth", "account", "throttled", "not_found", "invalid", "server", "network"] as const;
  const retryable = categories.filter(isRetryableCategory);
  assert.equal(retryable, ["throttled", "server", "network"]);
});

test("network errors: socket codes are recognised, anything else is not", () => {
  const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });
  assert.is(networkErrorCode(withCode("ECONNRESET", "socket hang up")), "ECONNRESET");
  assert.is(networkErrorCode(withCode("ECONNREFUSED")), "ECONNREFUSED");
  assert.is(networkErrorCode(withCode("ECONNABORTED", "timeout of 10000ms exceeded")), "ECONNABORTED");
  assert.is(networkErrorCode(withCode("ETIMEDOUT")), "ETIMEDOUT");
  assert.is(networkErrorCode(withCode("ERR_BAD_OPTION")), undefined);
  assert.is(networkErrorCode(new Error("plain")), undefined);
  assert.is(networkErrorCode("ECONNRESET"), undefined);
});

function networkError(code: string): ArkApiError {
  return new ArkApiError({
    category: "network",
    action: "CreateEndpoint",
    arkCode: code,
    arkMessage: "x",
    requestId: undefined,
    httpStatus: undefined,
  });
}

test("outcome unknown: 5xx, resets and timeouts; not refused connections or throttling", () => {
  assert.ok(isOutcomeUnknown(networkError("ECONNRESET")));
  assert.ok(isOutcomeUnknown(networkError("ECONNABORTED")));
  assert.not.ok(isOutcomeUnknown(networkError("ECONNREFUSED")));
  assert.not.ok(isOutcomeUnknown(networkError("ENOTFOUND")));
  const answer = (text: string, status: number) => {
    try {
      readReply("CreateEndpoint", { status, text }, keep);
    } catch (error) {
      return error as ArkApiError;
    }
    throw new Error("no error");
  };
  assert.ok(isOutcomeUnknown(answer(envelopeError("InternalError", "boom"), 500)));
  assert.not.ok(isOutcomeUnknown(answer(envelopeError("FlowLimitExceeded", "slow down"), 429)));
  assert.not.ok(isOutcomeUnknown(answer(envelopeError("InvalidParameter", "bad"), 400)));
});

function envelopeError(code: string, message: string): string {
  return JSON.stringify({
    ResponseMetadata: { RequestId: "req-1", Action: "GetEndpoint", Error: { Code: code, Message: message } },
  });
}

function replyError(text: string, status: number | undefined): ArkApiError {
  try {
    readReply("GetEndpoint", { status, text }, keep);
  } catch (error) {
    if (error instanceof ArkApiError) return error;
    throw error;
  }
  throw new Error("readReply accepted an error answer");
}

test("reply: Result of a successful envelope; {} when it has none", () => {
  const ok = JSON.stringify({ ResponseMetadata: { RequestId: "r" }, Result: { Id: "ep-1" } });
  assert.equal(readReply("GetEndpoint", { status: 200, text: ok }, keep), { Id: "ep-1" });
  assert.equal(readReply("DeleteEndpoint", { status: 200, text: '{"ResponseMetadata":{}}' }, keep), {});
});

test("reply: an Error in ResponseMetadata fails even on HTTP 200, keeping Code, RequestId, action", () => {
  const error = replyError(
    envelopeError("NotFound.Endpoint", "The specified endpoint ep-9 is not found."),
    200,
  );
  assert.is(error.category, "not_found");
  assert.is(error.arkCode, "NotFound.Endpoint");
  assert.is(error.requestId, "req-1");
  assert.is(error.action, "GetEndpoint");
  assert.is(error.kind, "external");
  assert.ok(error instanceof ArkSyncError);
  assert.match(error.message, "GetEndpoint");
  assert.match(error.message, "NotFound.Endpoint");
  assert.match(error.message, "The specified endpoint ep-9 is not found.");
  assert.match(error.message, "req-1");
  assert.equal(JSON.parse(JSON.stringify(error)).requestId, "req-1");
});

test("AccountOverdueError: the account is overdue, not the credentials; not retried", () => {
  const error = replyError(
    envelopeError("AccountOverdueError", "The account is overdue and cannot use this service."),
    403,
  );
  assert.is(error.category, "account");
  assert.is(error.code, "ark_account");
  assert.not.ok(isRetryableCategory(error.category));
  assert.match(error.message, "AccountOverdueError: The account is overdue and cannot use this service.");
  assert.match(error.hint ?? "", "overdue");
  assert.match(error.hint ?? "", "Volcengine console");
  assert.not.match(error.hint ?? "", "VOLC_ACCESSKEY");
});

test("QuotaExceeded on HTTP 429 is not throttling: not retried, and the hint says waiting won't help", () => {
  const error = replyError(envelopeError("QuotaExceeded", "The free trial quota is used up."), 429);
  assert.is(error.category, "account");
  assert.not.ok(isRetryableCategory(error.category));
  assert.match(error.hint ?? "", "waiting does not restore it");
  assert.not.match(error.hint ?? "", "--parallelism");
});

test("ModelNotOpen: activate the model the request names in the Ark console; not retried, not 'gone'", () => {
  const text = envelopeError("ModelNotOpen", "Your account 2100000001 has not activated the model x.");
  const named = (model?: string) => {
    try {
      readReply("CreateEndpoint", { status: 404, text }, keep, model);
    } catch (error) {
      return error as ArkApiError;
    }
    throw new Error("no error");
  };
  const error = named("doubao-1-5-pro-32k 250115");
  assert.is(error.category, "account");
  assert.not.ok(isRetryableCategory(error.category));
  assert.match(error.hint ?? "", "has not activated the model doubao-1-5-pro-32k 250115");
  assert.match(error.hint ?? "", "activate it in the Ark console");
  assert.not.match(error.hint ?? "", "deleted outside");
  assert.match(named().hint ?? "", "the model the request names");
});

test("ServiceNotOpen and ServiceOverdue: the account's hints, not the manifest's or the credentials'", () => {
  const notOpen = replyError(
    envelopeError("OperationDenied.ServiceNotOpen", "model service is unavailable"),
    403,
  );
  assert.is(notOpen.category, "account");
  assert.match(
    notOpen.hint ?? "",
    "not open for this Volcengine account: open (activate) it in the Ark console",
  );
  const overdue = replyError(
    envelopeError("OperationDenied.ServiceOverdue", "account balance is overdue"),
    403,
  );
  assert.is(overdue.category, "account");
  assert.match(overdue.hint ?? "", "The Volcengine account is overdue");
  assert.match(overdue.hint ?? "", "billing center");
  for (const error of [notOpen, overdue]) {
    assert.not.match(error.hint ?? "", "manifest");
    assert.not.match(error.hint ?? "", "VOLC_ACCESSKEY");
    assert.match(error.hint ?? "", "The credentials are fine.");
  }
});

test("a delete refused for the endpoint's status is recognised; other refusals are not", () => {
  const refusal = (action: "DeleteEndpoint" | "UpdateEndpoint", code: string) =>
    new ArkApiError({
      category: classifyArkCode(code, 403),
      action,
      arkCode: code,
      arkMessage: "x",
      requestId: "r",
      httpStatus: 403,
    });
  const refused = refusal("DeleteEndpoint", "OperationDenied.EndpointStatus");
  assert.ok(isDeleteRefusedWhileRunning(refused));
  assert.match(refused.hint ?? "", "current status");
  assert.not.ok(isDeleteRefusedWhileRunning(refusal("UpdateEndpoint", "OperationDenied.EndpointStatus")));
  assert.not.ok(isDeleteRefusedWhileRunning(refusal("DeleteEndpoint", "AccessDenied")));
  assert.not.ok(isDeleteRefusedWhileRunning(new Error("OperationDenied.EndpointStatus")));
});

test("reply: HTTP 429 without envelope is throttled", () => {
  const error = replyError("Too Many Requests", 429);
  assert.is(error.category, "throttled");
  assert.is(error.httpStatus, 429);
  assert.is(replyError("", 429).category, "throttled");
});

test("reply: HTML, empty and non-JSON bodies are server errors", () => {
  assert.is(replyError("<html><body>502 Bad Gateway</body></html>", 502).category, "server");
  assert.is(replyError("", 200).category, "server");
  assert.is(replyError("not json", undefined).category, "server");
  assert.is(replyError('"a string"', 200).category, "server");
  assert.is(replyError('{"Result":{}}', 200).category, "server");
  assert.match(replyError("", 200).message, "empty body");
});

test("reply: an envelope on an error status without Error is classified by status", () => {
  assert.is(replyError('{"ResponseMetadata":{"RequestId":"r"}}', 503).category, "server");
});

test("reply: Ark's message is scrubbed before it reaches the error", () => {
  const scrub = (text: string) => text.replaceAll("AKLTsecretid", "[REDACTED]");
  try {
    readReply(
      "GetEndpoint",
      { status: 401, text: envelopeError("InvalidAccessKey", "key AKLTsecretid unknown") },
      scrub,
    );
    assert.unreachable();
  } catch (error) {
    assert.ok(error instanceof ArkApiError);
    assert.not.match(error.message, "AKLTsecretid");
    assert.not.match(JSON.stringify(error), "AKLTsecretid");
  }
});

test.run();
