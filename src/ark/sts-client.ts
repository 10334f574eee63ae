// Temporary keys for a role from Volcengine STS (docs/ark-api.md, STS; docs/credentials.md):
// AssumeRole, signed with an IAM user's keys through @volcengine/openapi's own StsService (an HTTP
// GET, version 2018-01-01, scope sts/cn-north-1), and AssumeRoleWithOIDC, an unsigned form POST
// that an OIDC token authenticates. Network failures, throttling and 5xx are tried again twice; a
// refusal names the role, the action and what to check. No key, token or answer body is ever logged.
import { ArkSyncError } from "../core/errors.js";
import { type ArkCredentials, hideFromOutput } from "./credentials.js";
import { classifyArkCode, isRetryableCategory, networkErrorCode } from "./errors.js";
import type { RawReply } from "./read-reply.js";
import { createScrubber } from "./redact.js";
import type { RoleSettings } from "./role-settings.js";
import { rawReplyParams, refuseLeakingDebugLogs, silenceSdkDebugLog } from "./sdk-transport.js";

export type StsAction = "AssumeRole" | "AssumeRoleWithOIDC";

export interface StsSession {
  credentials: ArkCredentials;
  /** When the keys stop working (RFC 3339, as STS says it). */
  expiration: string;
  /** The assumed role's session, as STS names it (`trn:sts::…:assumed-role/<role>/<session>`). */
  assumedRoleTrn: string | undefined;
}

export interface StsOptions {
  timeoutMs?: number;
  /** Receives what is sent where and what came back, never a key. */
  debug?: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** The region the Volcengine SDKs sign STS requests for (docs/ark-api.md, STS). */
const stsRegion = "cn-north-1";
const stsVersion = "2018-01-01";
const attempts = 3;

/** AssumeRole with `base` (an IAM user's keys; the account's main keys cannot assume a role). */
export async function assumeRole(
  base: ArkCredentials,
  role: RoleSettings,
  options: StsOptions = {},
): Promise<StsSession> {
  refuseLeakingDebugLogs(base);
  const module = await import("@volcengine/openapi/lib/services/sts/index.js");
  silenceSdkDebugLog();
  const service = new module.default.StsService({
    serviceName: "sts",
    host: role.sts.host,
    protocol: role.sts.protocol,
    region: stsRegion,
    accessKeyId: base.accessKeyId,
    secretKey: base.secretKey,
    ...(base.sessionToken ? { sessionToken: base.sessionToken } : {}),
  });
  const params = {
    RoleTrn: role.roleTrn,
    RoleSessionName: role.sessionName,
    DurationSeconds: role.durationSeconds,
    ...(role.policy ? { Policy: role.policy } : {}),
  };
  const timeoutMs = options.timeoutMs ?? 10_000;
  // transformResponse (rawReplyParams) made the SDK's "body" our RawReply.
  const send = async () =>
    (await service.AssumeRole(params, {
      Action: "AssumeRole",
      ...rawReplyParams(timeoutMs),
    })) as unknown as RawReply;
  return callSts("AssumeRole", role, send, createScrubber(base), options);
}

/** AssumeRoleWithOIDC with an OIDC ID token (a GitHub Actions job's, say), sent as the SDKs send it. */
export async function assumeRoleWithOidc(
  token: string,
  role: RoleSettings,
  fetch: typeof globalThis.fetch,
  options: StsOptions = {},
): Promise<StsSession> {
  const url = `${role.sts.protocol}//${role.sts.host}/?Action=AssumeRoleWithOIDC&Version=${stsVersion}`;
  const body = new URLSearchParams({
    RoleTrn: role.roleTrn,
    RoleSessionName: role.sessionName,
    DurationSeconds: String(role.durationSeconds),
    OIDCToken: token,
    ...(role.policy ? { Policy: role.policy } : {}),
  }).toString();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const send = async (): Promise<RawReply> => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, text: await response.text() };
  };
  return callSts("AssumeRoleWithOIDC", role, send, (text) => text.split(token).join("[REDACTED]"), options);
}

type Attempt = { ok: true; session: StsSession } | { ok: false; retry: boolean; error: ArkSyncError };

async function callSts(
  action: StsAction,
  role: RoleSettings,
  send: () => Promise<RawReply>,
  scrub: (text: string) => string,
  options: StsOptions,
): Promise<StsSession> {
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const where = `${role.sts.protocol}//${role.sts.host}`;
  options.debug?.(
    `sts -> ${action} ${role.roleTrn} as ${role.sessionName} for ${role.durationSeconds} s at ${where}${role.policy ? " with an inline policy" : ""}`,
  );
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    let outcome: Attempt;
    try {
      outcome = readAnswer(action, role, await send(), scrub);
    } catch (error) {
      outcome = networkFailure(action, role, error, scrub);
    }
    if (outcome.ok) {
      options.debug?.(
        `sts <- ${action} in ${Date.now() - started} ms: ${outcome.session.assumedRoleTrn ?? "a session"} until ${outcome.session.expiration}`,
      );
      return outcome.session;
    }
    options.debug?.(`sts <- ${action} attempt ${attempt}: ${outcome.error.message}`);
    if (!outcome.retry || attempt === attempts) throw outcome.error;
    await sleep(250 * 2 ** (attempt - 1));
  }
}

interface Envelope {
  ResponseMetadata?: { RequestId?: unknown; Error?: { Code?: unknown; Message?: unknown } | null };
  Result?: { Credentials?: Record<string, unknown>; AssumedRoleUser?: { Trn?: unknown } };
}

function readAnswer(
  action: StsAction,
  role: RoleSettings,
  reply: RawReply,
  scrub: (text: string) => string,
): Attempt {
  let envelope: Envelope | undefined;
  try {
    envelope = JSON.parse(reply.text) as Envelope;
  } catch {
    envelope = undefined;
  }
  const metadata = envelope?.ResponseMetadata;
  const status = reply.status === undefined ? "" : `HTTP ${reply.status}, `;
  if (typeof metadata !== "object" || metadata === null) {
    const retry = reply.status === undefined || reply.status === 429 || reply.status >= 500;
    const error = failed(
      action,
      role,
      `answered without Volcengine's envelope${reply.status === undefined ? "" : ` (HTTP ${reply.status})`}`,
    );
    return { ok: false, retry, error };
  }
  const requestId =
    typeof metadata.RequestId === "string" && metadata.RequestId ? metadata.RequestId : undefined;
  const code =
    typeof metadata.Error?.Code === "string" && metadata.Error.Code ? metadata.Error.Code : undefined;
  if (metadata.Error || (reply.status !== undefined && reply.status >= 400)) {
    const category = classifyArkCode(code, reply.status);
    const message =
      typeof metadata.Error?.Message === "string" ? scrub(metadata.Error.Message) : "no message";
    const said = `${code ? `${code}: ` : ""}${message} (${status}${requestId ? `RequestId ${requestId}` : "no RequestId"})`;
    if (isRetryableCategory(category)) {
      return { ok: false, retry: true, error: failed(action, role, `failed: ${said}`) };
    }
    return { ok: false, retry: false, error: refused(action, role, said, code) };
  }
  const credentials = envelope?.Result?.Credentials ?? {};
  const text = (name: string) => (typeof credentials[name] === "string" ? (credentials[name] as string) : "");
  // AssumeRole says ExpiredTime; AssumeRoleWithOIDC, Expiration (docs/ark-api.md, STS).
  const expiration = text(action === "AssumeRole" ? "ExpiredTime" : "Expiration");
  if (!text("AccessKeyId") || !text("SecretAccessKey") || !text("SessionToken") || !expiration) {
    const error = new ArkSyncError(
      "external",
      "sts_bad_answer",
      `STS ${action} of ${role.roleTrn} answered without AccessKeyId, SecretAccessKey, SessionToken and ${action === "AssumeRole" ? "ExpiredTime" : "Expiration"} (${status}${requestId ? `RequestId ${requestId}` : "no RequestId"}).`,
    );
    return { ok: false, retry: false, error };
  }
  const trn = envelope?.Result?.AssumedRoleUser?.Trn;
  return {
    ok: true,
    session: {
      credentials: hideFromOutput({
        accessKeyId: text("AccessKeyId"),
        secretKey: text("SecretAccessKey"),
        sessionToken: text("SessionToken"),
      }),
      expiration,
      assumedRoleTrn: typeof trn === "string" ? trn : undefined,
    },
  };
}

function networkFailure(
  action: StsAction,
  role: RoleSettings,
  error: unknown,
  scrub: (text: string) => string,
): Attempt {
  // axios keeps the socket's code; fetch wraps it in its cause, and names its timeout TimeoutError.
  const code =
    networkErrorCode(error) ??
    networkErrorCode((error as { cause?: unknown } | null)?.cause) ??
    (error instanceof Error && error.name === "TimeoutError" ? "ETIMEDOUT" : undefined);
  const reason = scrub(error instanceof Error ? error.message : String(error));
  if (code === undefined && !(error instanceof TypeError)) {
    return {
      ok: false,
      retry: false,
      error: new ArkSyncError("internal", "sts_unavailable", `STS ${action}: ${reason}`),
    };
  }
  return {
    ok: false,
    retry: true,
    error: failed(action, role, `could not be sent (${code ?? reason})`),
  };
}

function failed(action: StsAction, role: RoleSettings, what: string): ArkSyncError {
  return new ArkSyncError("external", "sts_unavailable", `STS ${action} of ${role.roleTrn} ${what}.`, {
    hint: `Check ${role.sts.protocol}//${role.sts.host} (VOLC_STS_URL) and the network, then try again.`,
  });
}

function refused(
  action: StsAction,
  role: RoleSettings,
  said: string,
  code: string | undefined,
): ArkSyncError {
  return new ArkSyncError(
    "external",
    "sts_refused",
    `STS refused ${action} of ${role.roleTrn} as ${role.sessionName}: ${said}.`,
    {
      hint: refusalHint(action, code),
    },
  );
}

/** Refusals of the signing keys themselves, not of the role (docs/ark-api.md, Errors). */
const keyCodes = new Set([
  "InvalidAccessKey",
  "SignatureDoesNotMatch",
  "InvalidCredential",
  "InvalidAuthorization",
  "MissingAuthenticationToken",
  "InvalidTimestamp",
  "InvalidSecretToken",
]);

function refusalHint(action: StsAction, code: string | undefined): string {
  const parameters =
    "VOLC_ROLE_TRN, VOLC_ROLE_SESSION_NAME, VOLC_ROLE_DURATION_SECONDS (at most the role's maximum session duration) or VOLC_ROLE_POLICY";
  if (action === "AssumeRoleWithOIDC") {
    return `Check that VOLC_ROLE_TRN names a role whose trust policy names the IAM OIDC provider of this issuer, that the provider's client IDs include VOLC_OIDC_AUDIENCE, and the parameter Volcengine names among ${parameters} (docs/credentials.md).`;
  }
  if (code?.startsWith("InvalidParameter")) return `Check the parameter Volcengine names: ${parameters}.`;
  if (code !== undefined && keyCodes.has(code)) {
    return "STS did not accept the keys that sign AssumeRole: check VOLC_ACCESSKEY/VOLC_SECRETKEY (and VOLC_SESSIONTOKEN), and the machine's clock.";
  }
  return "Check that VOLC_ROLE_TRN names the role, that its trust policy names the IAM user whose keys are in VOLC_ACCESSKEY/VOLC_SECRETKEY, and that the user's own policy allows sts:AssumeRole on it; the account's main keys cannot assume roles (docs/credentials.md).";
}
