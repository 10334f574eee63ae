// Builds the Ark client from the global options and the environment. Imported lazily: it loads the SDK.
import { homedir } from "node:os";
import { type ArkClient, createArkClient } from "../ark/client.js";
import { resolveCredentials } from "../ark/credentials.js";

export interface ArkConnectionOptions {
  apiUrl?: string;
  region: string;
  parallelism: number;
  /** Debug lines (already free of credentials), or undefined when --debug is off. */
  debug?: (line: string) => void;
}

export function connectArk(options: ArkConnectionOptions): ArkClient {
  return createArkClient({
    ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}),
    region: options.region,
    credentials: resolveCredentials(process.env, homedir()),
    parallelism: options.parallelism,
    ...(options.debug ? { debug: options.debug } : {}),
  });
}
