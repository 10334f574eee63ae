// Which role a run assumes, and how (docs/credentials.md, Short-lived sessions): VOLC_ROLE_TRN and
// its companions, read from the environment and checked before anything is sent to STS.
import type { Environment } from "../core/environment.js";
import { ArkSyncError } from "../core/errors.js";
import { parseIamPolicyText } from "../core/iam-policy.js";
import { parseBaseUrl } from "./sdk-transport.js";

export interface RoleSettings {
  /** `trn:iam::<account id>:role/<name>` */
  roleTrn: string;
  /** RoleSessionName: who holds the session, in Volcengine's audit trail. */
  sessionName: string;
  durationSeconds: number;
  /** The inline session policy (JSON text, checked), narrowing the role; absent: the role's permissions. */
  policy: string | undefined;
  sts: { host: string; protocol: "http:" | "https:" };
  /** The audience of the GitHub Actions OIDC token, for AssumeRoleWithOIDC. */
  oidcAudience: string;
}

export const roleEnv = {
  roleTrn: "VOLC_ROLE_TRN",
  sessionName: "VOLC_ROLE_SESSION_NAME",
  durationSeconds: "VOLC_ROLE_DURATION_SECONDS",
  policy: "VOLC_ROLE_POLICY",
  stsUrl: "VOLC_STS_URL",
  oidcAudience: "VOLC_OIDC_AUDIENCE",
} as const;

/** STS's address on Volcengine (docs/ark-api.md, STS). */
export const defaultStsUrl = "https://sts.volcengineapi.com";
export const defaultOidcAudience = "sts.volcengineapi.com";

/** The role settings, or undefined when VOLC_ROLE_TRN is not set (the keys are used as they are). */
export function readRoleSettings(env: Environment): RoleSettings | undefined {
  const roleTrn = value(env, roleEnv.roleTrn);
  if (roleTrn === undefined) return undefined;
  if (!/^trn:iam::\d+:role\/\S+$/.test(roleTrn)) {
    throw invalid(
      `${roleEnv.roleTrn} "${roleTrn}" is not a role TRN.`,
      "Write trn:iam::<account id>:role/<role name>.",
    );
  }
  const runId = value(env, "GITHUB_RUN_ID");
  const sessionName = value(env, roleEnv.sessionName) ?? (runId ? `ark-sync-${runId}` : "ark-sync");
  if (sessionName.length > 64) {
    throw invalid(`${roleEnv.sessionName} is longer than 64 characters.`, "Use a shorter session name.");
  }
  return {
    roleTrn,
    sessionName,
    durationSeconds: readDuration(value(env, roleEnv.durationSeconds)),
    policy: readPolicy(value(env, roleEnv.policy)),
    sts: parseBaseUrl(value(env, roleEnv.stsUrl) ?? defaultStsUrl, roleEnv.stsUrl),
    oidcAudience: value(env, roleEnv.oidcAudience) ?? defaultOidcAudience,
  };
}

/** 900 to 43,200 seconds, STS's bounds (docs/credentials.md, Variables); default 3,600. STS would
 * quietly round a value outside them, so one is refused here instead. */
function readDuration(text: string | undefined): number {
  if (text === undefined) return 3600;
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || seconds < 900 || seconds > 43_200) {
    throw invalid(
      `${roleEnv.durationSeconds} must be a whole number of seconds from 900 to 43200, not "${text}".`,
      "A session must outlast the run: apply waits up to --wait-timeout (1800 s by default) per endpoint.",
    );
  }
  return seconds;
}

function readPolicy(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const parsed = parseIamPolicyText(text);
  if (parsed.ok) return text;
  throw invalid(
    `${roleEnv.policy} is not an IAM policy: ${parsed.problems.join("; ")}.`,
    'Write {"Statement": [{"Effect": "Allow", "Action": ["ark:ListEndpoints", ...]}]} (docs/credentials.md).',
  );
}

function value(env: Environment, name: string): string | undefined {
  const text = env[name]?.trim();
  return text ? text : undefined;
}

function invalid(message: string, hint: string): ArkSyncError {
  return new ArkSyncError("usage", "invalid_role_settings", message, { hint });
}
