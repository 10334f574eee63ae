// How a context makes Ark clients: the real client over @volcengine/openapi, signed with the
// credentials of the context's environment (or ~/.volc/config), or with a short-lived session of the
// role VOLC_ROLE_TRN names (docs/credentials.md). The SDK is loaded, and the role assumed, on first
// use only, so commands that never call Ark (validate, plan --refresh=false, --help) do neither. One
// session serves the clients the context makes until half its life has passed: then the next client
// assumes the role again, so a long-running `sync --watch` never signs with an expired session.
import type { ArkClient } from "../ark/client.js";
import type { SigningKeys } from "../ark/session-credentials.js";
import type { ArkSettings, Environment } from "./context.js";

export interface ConnectorOptions {
  /** For the GitHub Actions OIDC token and STS AssumeRoleWithOIDC. */
  fetch: typeof globalThis.fetch;
  /** Where the line naming an assumed session goes (stderr). */
  notice?: (line: string) => void;
  debug?: (line: string) => void;
  /** The clock a session's age is measured by (default: the system's). */
  now?: () => number;
}

export function arkConnector(
  env: Environment,
  homeDir: string | undefined,
  options: ConnectorOptions,
): (settings: ArkSettings) => Promise<ArkClient> {
  const now = options.now ?? Date.now;
  let keys: Promise<SigningKeys> | undefined;
  let renewAt = Number.POSITIVE_INFINITY;
  return async (settings) => {
    const [{ createArkClient }, { resolveSessionCredentials }] = await Promise.all([
      import("../ark/client.js"),
      import("../ark/session-credentials.js"),
    ]);
    if (keys === undefined || now() >= renewAt) {
      const obtainedAt = now();
      const pending = resolveSessionCredentials({ env, homeDir, ...options });
      keys = pending;
      pending.then(
        ({ expiresAt }) => {
          if (expiresAt === undefined) renewAt = Number.POSITIVE_INFINITY;
          // An end STS gave unreadably: assume the role again for every client.
          else if (Number.isNaN(expiresAt)) renewAt = obtainedAt;
          else renewAt = obtainedAt + (expiresAt - obtainedAt) / 2;
        },
        () => {
          if (keys === pending) keys = undefined;
        },
      );
    }
    const { credentials } = await keys;
    return createArkClient({
      ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}),
      region: settings.region,
      credentials,
      parallelism: settings.parallelism,
      ...(settings.sleep ? { sleep: settings.sleep } : {}),
      ...(settings.onCall ? { onCall: settings.onCall } : {}),
      ...(options.debug ? { debug: options.debug } : {}),
    });
  };
}
