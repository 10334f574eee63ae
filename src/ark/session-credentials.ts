// The keys a run signs Ark calls with (docs/credentials.md): VOLC_ACCESSKEY/VOLC_SECRETKEY (or
// ~/.volc/config) as they are; or, with VOLC_ROLE_TRN, a short-lived session of that role, assumed
// with those keys (STS AssumeRole) or, when there are none, with the GitHub Actions job's OIDC token
// (STS AssumeRoleWithOIDC).
import type { Environment } from "../core/environment.js";
import { ArkSyncError } from "../core/errors.js";
import { type ArkCredentials, findCredentials, resolveCredentials } from "./credentials.js";
import { hasGitHubOidc, requestGitHubIdToken } from "./github-oidc-token.js";
import { readRoleSettings } from "./role-settings.js";
import { assumeRole, assumeRoleWithOidc, type StsSession } from "./sts-client.js";

export interface CredentialSources {
  env: Environment;
  homeDir: string | undefined;
  /** For the OIDC token and AssumeRoleWithOIDC. */
  fetch: typeof globalThis.fetch;
  /** A line for the run's log (stderr) naming the session; never a key. */
  notice?: (line: string) => void;
  debug?: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** Keys to sign with; a role session's also say when the session ends (milliseconds since the epoch;
 * NaN when STS's answer could not be read as a time). */
export interface SigningKeys {
  credentials: ArkCredentials;
  expiresAt?: number;
}

export async function resolveSessionCredentials(sources: CredentialSources): Promise<SigningKeys> {
  const { env, homeDir } = sources;
  const role = readRoleSettings(env);
  if (role === undefined) return { credentials: await resolveCredentials(env, homeDir) };
  const options = {
    ...(sources.debug ? { debug: sources.debug } : {}),
    ...(sources.sleep ? { sleep: sources.sleep } : {}),
  };
  const base = findCredentials(env, homeDir);
  let session: StsSession;
  let how: string;
  if (base) {
    session = await assumeRole(base, role, options);
    how = "STS AssumeRole";
  } else if (hasGitHubOidc(env)) {
    const token = await requestGitHubIdToken(env, role.oidcAudience, sources.fetch);
    session = await assumeRoleWithOidc(token, role, sources.fetch, options);
    how = "STS AssumeRoleWithOIDC, with the job's GitHub OIDC token";
  } else {
    throw new ArkSyncError(
      "usage",
      "missing_credentials",
      `VOLC_ROLE_TRN is set, but nothing can assume ${role.roleTrn}: no VOLC_ACCESSKEY/VOLC_SECRETKEY (nor ~/.volc/config) for STS AssumeRole, and no GitHub Actions OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL) for AssumeRoleWithOIDC.`,
      {
        hint: "Give the job an IAM user's keys allowed sts:AssumeRole on the role, or `permissions: id-token: write` with a role that trusts GitHub's OIDC provider (docs/credentials.md).",
      },
    );
  }
  sources.notice?.(
    `Assumed ${role.roleTrn} as session ${role.sessionName} (${how}); the session ends at ${session.expiration}.`,
  );
  return { credentials: session.credentials, expiresAt: Date.parse(session.expiration) };
}
