// The GitHub Actions job's OIDC ID token (docs/credentials.md, OIDC federation): requested from
// ACTIONS_ID_TOKEN_REQUEST_URL with ACTIONS_ID_TOKEN_REQUEST_TOKEN as a bearer token and the audience
// as a query parameter; GitHub answers {"value": "<JWT>"}. The runner sets both variables only in jobs
// with `permissions: id-token: write`. Neither the request token nor the ID token is ever printed.
import type { Environment } from "../core/environment.js";
import { ArkSyncError } from "../core/errors.js";

const urlVariable = "ACTIONS_ID_TOKEN_REQUEST_URL";
const tokenVariable = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
const hint =
  "Give the job `permissions: id-token: write` (GitHub sets ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN only then), or hold an IAM user's keys in VOLC_ACCESSKEY/VOLC_SECRETKEY to assume the role with instead.";

/** Whether this job may ask GitHub for an OIDC token. */
export function hasGitHubOidc(env: Environment): boolean {
  return Boolean(env[urlVariable] && env[tokenVariable]);
}

export async function requestGitHubIdToken(
  env: Environment,
  audience: string,
  fetch: typeof globalThis.fetch,
  timeoutMs = 10_000,
): Promise<string> {
  const requestUrl = env[urlVariable];
  const requestToken = env[tokenVariable];
  if (!requestUrl || !requestToken) {
    throw failure(`${urlVariable} and ${tokenVariable} are not both set`);
  }
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    throw failure(`${urlVariable} is not a URL`);
  }
  url.searchParams.set("audience", audience);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${requestToken}`, accept: "application/json" },
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const reason =
      error instanceof Error && error.name === "TimeoutError" ? "timed out" : "could not be sent";
    throw failure(`the request to ${urlVariable} ${reason}`);
  }
  const text = await response.text();
  if (!response.ok) throw failure(`${urlVariable} answered HTTP ${response.status}`);
  let value: unknown;
  try {
    value = (JSON.parse(text) as { value?: unknown }).value;
  } catch {
    value = undefined;
  }
  if (typeof value !== "string" || value === "") throw failure(`${urlVariable} answered without a token`);
  return value;
}

function failure(reason: string): ArkSyncError {
  return new ArkSyncError(
    "external",
    "oidc_token_failed",
    `GitHub did not give this job an OIDC token: ${reason}.`,
    {
      hint,
    },
  );
}
