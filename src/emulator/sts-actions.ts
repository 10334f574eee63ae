// STS on the emulator's server (docs/emulator.md, STS; docs/ark-api.md, STS): AssumeRole, signed by
// an IAM user's key, and AssumeRoleWithOIDC, authenticated by its token alone, each answering
// temporary keys for a role in Volcengine's answer shape.
import { parseIamPolicyText } from "../core/iam-policy.js";
import { ApiError, accessDenied, invalidParameter, missingParameter } from "./api-error.js";
import { formatTime } from "./endpoint-store.js";
import type { EmulatorRole, IdentityStore, Principal, SessionCredentials } from "./identities.js";
import { verifyOidcToken } from "./verify-oidc-token.js";

export const stsService = "sts";
export const stsVersion = "2018-01-01";
/** The region the Volcengine SDKs sign STS requests for (docs/ark-api.md, STS). */
export const stsRegion = "cn-north-1";
export const stsActions = ["AssumeRole", "AssumeRoleWithOIDC"] as const;
export type StsAction = (typeof stsActions)[number];

export function isStsAction(action: string): action is StsAction {
  return (stsActions as readonly string[]).includes(action);
}

/** Query and form parameters, Action and Version left out. */
export type StsParams = ReadonlyMap<string, string>;

export function answerSts(
  action: StsAction,
  params: StsParams,
  caller: Principal | null,
  identities: IdentityStore,
  now: number,
): object {
  switch (action) {
    case "AssumeRole":
      return assumeRole(params, caller as Principal, identities, now);
    case "AssumeRoleWithOIDC":
      return assumeRoleWithOidc(params, identities, now);
  }
}

function assumeRole(params: StsParams, caller: Principal, identities: IdentityStore, now: number): object {
  const request = readRequest(params, ["RoleTrn", "RoleSessionName", "DurationSeconds", "Policy"]);
  if (caller.kind === "account") {
    throw accessDenied(caller.name, "sts:AssumeRole", ": a role is assumed with an IAM user's key");
  }
  const role = identities.role(request.roleTrn);
  if (!role || caller.kind !== "user" || !(role.trustedUsers ?? [caller.name]).includes(caller.name)) {
    throw accessDenied(caller.name, "sts:AssumeRole", ` on ${request.roleTrn}: no such role trusts it`);
  }
  const session = identities.issueSession(role, request, now);
  return {
    Credentials: { ...credentialsAnswer(session, now), ExpiredTime: formatTime(session.expiresAt) },
    AssumedRoleUser: assumedRoleUser(session),
  };
}

function assumeRoleWithOidc(params: StsParams, identities: IdentityStore, now: number): object {
  const request = readRequest(params, [
    "RoleTrn",
    "OIDCToken",
    "RoleSessionName",
    "DurationSeconds",
    "Policy",
  ]);
  const token = params.get("OIDCToken");
  if (!token) throw missingParameter("OIDCToken");
  const { provider, claims } = verifyOidcToken(token, identities, now);
  const role: EmulatorRole | undefined = identities.role(request.roleTrn);
  if (!role?.trustedOidcProviders?.includes(provider)) {
    throw accessDenied(
      `The OIDC subject ${claims.sub} of ${provider}`,
      "sts:AssumeRoleWithOIDC",
      ` on ${request.roleTrn}: no such role trusts that provider`,
    );
  }
  const session = identities.issueSession(role, request, now);
  return {
    Credentials: { ...credentialsAnswer(session, now), Expiration: formatTime(session.expiresAt) },
    OIDCTokenInfo: {
      Subject: claims.sub,
      Issuer: claims.iss,
      ClientIds: claims.aud,
      ExpirationTime: formatTime(claims.exp * 1000),
    },
    AssumedRoleUser: assumedRoleUser(session),
  };
}

interface RoleRequest {
  roleTrn: string;
  name: string;
  durationSeconds: number;
  policy: ReturnType<typeof readPolicy>;
}

function readRequest(params: StsParams, accepted: readonly string[]): RoleRequest {
  for (const key of params.keys()) {
    if (!accepted.includes(key)) throw invalidParameter(key, "this parameter is not accepted here");
  }
  const roleTrn = params.get("RoleTrn");
  if (!roleTrn) throw missingParameter("RoleTrn");
  const name = params.get("RoleSessionName");
  if (!name) throw missingParameter("RoleSessionName");
  if (name.length > 64) throw invalidParameter("RoleSessionName", "must be at most 64 characters");
  return {
    roleTrn,
    name,
    durationSeconds: readDuration(params.get("DurationSeconds")),
    policy: readPolicy(params.get("Policy")),
  };
}

/** 900 to 43,200 seconds; absent or under 900 means 3,600, over 43,200 means 43,200 (docs/emulator.md, STS). */
function readDuration(text: string | undefined): number {
  if (text === undefined || text === "") return 3600;
  if (!/^\d+$/.test(text)) throw invalidParameter("DurationSeconds", "must be an integer");
  const seconds = Number(text);
  if (seconds < 900) return 3600;
  return Math.min(seconds, 43_200);
}

function readPolicy(text: string | undefined) {
  if (text === undefined || text === "") return undefined;
  const parsed = parseIamPolicyText(text);
  if (!parsed.ok) throw invalidParameter("Policy", parsed.problems.join("; "));
  return parsed.policy;
}

function credentialsAnswer(session: SessionCredentials, now: number) {
  return {
    CurrentTime: formatTime(now),
    AccessKeyId: session.accessKey,
    SecretAccessKey: session.secretKey,
    SessionToken: session.sessionToken,
  };
}

function assumedRoleUser(session: SessionCredentials) {
  return { Trn: session.assumedRoleTrn, AssumedRoleId: session.assumedRoleId };
}

/** STS parameters: the query's, then a form body's; any other body is refused. */
export function readStsParams(
  query: URLSearchParams,
  contentType: string | undefined,
  body: Buffer,
): StsParams {
  const params = new Map<string, string>();
  const add = (source: URLSearchParams) => {
    for (const [key, value] of source) if (key !== "Action" && key !== "Version") params.set(key, value);
  };
  add(query);
  if (body.length > 0) {
    if (!/^application\/x-www-form-urlencoded\b/i.test(contentType ?? "")) {
      throw new ApiError(
        "InvalidParameter",
        "An STS request carries its parameters in the query or a form body.",
      );
    }
    add(new URLSearchParams(body.toString("utf8")));
  }
  return params;
}
