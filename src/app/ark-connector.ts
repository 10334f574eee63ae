// How a context makes Ark clients: the real client over @volcengine/openapi, signed with the
// credentials of the context's environment (or ~/.volc/config). The SDK is loaded on first use only,
// so commands that never call Ark (validate, plan --refresh=false, --help) never load it.
import type { ArkClient } from "../ark/client.js";
import type { ArkSettings, Environment } from "./context.js";

export function arkConnector(
  env: Environment,
  homeDir: string | undefined,
  debug?: (line: string) => void,
): (settings: ArkSettings) => Promise<ArkClient> {
  return async (settings) => {
    const [{ createArkClient }, { resolveCredentials }] = await Promise.all([
      import("../ark/client.js"),
      import("../ark/credentials.js"),
    ]);
    return createArkClient({
      ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}),
      region: settings.region,
      credentials: resolveCredentials(env, homeDir),
      parallelism: settings.parallelism,
      ...(settings.sleep ? { sleep: settings.sleep } : {}),
      ...(debug ? { debug } : {}),
    });
  };
}
