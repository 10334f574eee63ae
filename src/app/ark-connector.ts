// How a context makes Ark clients: the real client over @volcengine/openapi, signed with the
// credentials of the context's environment (or ~/.volc/config), or with a short-lived session of the
// role VOLC_ROLE_TRN names (docs/credentials.md). The SDK is loaded, and the role assumed, on first
// use only, so commands that never call Ark (validate, plan --refresh=false, --help) do neither; one
// session serves every client the context makes.
import type { ArkClient } from "../ark/client.js";
import type { ArkCredentials } from "../ark/credentials.js";
import type { ArkSettings, Environment } from "./context.js";

export interface ConnectorOptions {
  /** For the GitHub Actions OIDC token and STS AssumeRoleWithOIDC. */
  fetch: typeof globalThis.fetch;
  /** Where the line naming an assumed session goes (stderr). */
  notice?: (line: string) => void;
  debug?: (line: string) => void;
}

export function arkConnector(
  env: Environment,
  homeDir: string | undefined,
  options: ConnectorOptions,
): (settings: ArkSettings) => Promise<ArkClient> {
  let credentials: Promise<ArkCredentials> | undefined;
  return async (settings) => {
    const [{ createArkClient }, { resolveSessionCredentials }] = await Promise.all([
      import("../ark/client.js"),
      import("../ark/session-credentials.js"),
    ]);
    credentials ??= resolveSessionCredentials({ env, homeDir, ...options });
    return createArkClient({
      ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}),
      region: settings.region,
      credentials: await credentials,
      parallelism: settings.parallelism,
      ...(settings.sleep ? { sleep: settings.sleep } : {}),
      ...(settings.onCall ? { onCall: settings.onCall } : {}),
      ...(options.debug ? { debug: options.debug } : {}),
    });
  };
}
