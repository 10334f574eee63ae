// Where the Ark access keys come from: the SDK's conventions (docs/ark-api.md, Credentials), resolved by
// ark-sync itself so that errors can name what is missing and the SDK never reads them at import.
import { readFileSync } from "node:fs";
import path from "node:path";
import { inspect } from "node:util";
import type { Environment } from "../core/environment.js";
import { ArkSyncError } from "../core/errors.js";

export interface ArkCredentials {
  readonly accessKeyId: string;
  readonly secretKey: string;
  readonly sessionToken?: string;
}

const envNames = {
  accessKeyId: "VOLC_ACCESSKEY",
  secretKey: "VOLC_SECRETKEY",
  sessionToken: "VOLC_SESSIONTOKEN",
};
const hint =
  "Set VOLC_ACCESSKEY and VOLC_SECRETKEY (and VOLC_SESSIONTOKEN for temporary keys), or write them to " +
  '~/.volc/config as {"VOLC_ACCESSKEY": "...", "VOLC_SECRETKEY": "..."}. ' +
  "To plan without reading Ark (no credentials), use plan --refresh=false.";

/**
 * The credentials from the environment (VOLC_ACCESSKEY, VOLC_SECRETKEY, optional VOLC_SESSIONTOKEN),
 * else from `<homeDir>/.volc/config` (a JSON object with the same keys). The environment wins when it
 * sets both keys; a half-set pair is an error rather than mixed with the file. Messages never quote
 * a value or the file's content.
 */
export function resolveCredentials(env: Environment, homeDir: string | undefined): ArkCredentials {
  const found = findCredentials(env, homeDir);
  if (found) return found;
  const configPath = homeDir ? configFile(homeDir) : undefined;
  throw new ArkSyncError(
    "usage",
    "missing_credentials",
    `No Ark credentials: VOLC_ACCESSKEY and VOLC_SECRETKEY are not set${configPath ? ` and ${configPath} does not hold them` : ""}.`,
    { hint },
  );
}

/** As resolveCredentials, but undefined when neither source has any keys. */
export function findCredentials(env: Environment, homeDir: string | undefined): ArkCredentials | undefined {
  const fromEnv = pickCredentials((name) => env[name], "the environment");
  if (fromEnv) return fromEnv;
  const configPath = homeDir ? configFile(homeDir) : undefined;
  const config = configPath ? readConfig(configPath) : undefined;
  return config && configPath ? pickCredentials((name) => config[name], configPath) : undefined;
}

function configFile(homeDir: string): string {
  return path.join(homeDir, ".volc", "config");
}

function pickCredentials(read: (name: string) => unknown, source: string): ArkCredentials | undefined {
  const accessKeyId = nonEmptyString(read(envNames.accessKeyId));
  const secretKey = nonEmptyString(read(envNames.secretKey));
  if (!accessKeyId && !secretKey) return undefined;
  if (!accessKeyId || !secretKey) {
    const missing = accessKeyId ? envNames.secretKey : envNames.accessKeyId;
    throw new ArkSyncError("usage", "incomplete_credentials", `${missing} is missing from ${source}.`, {
      hint,
    });
  }
  return hideFromOutput({
    accessKeyId,
    secretKey,
    sessionToken: nonEmptyString(read(envNames.sessionToken)),
  });
}

function readConfig(configPath: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(configPath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ArkSyncError("usage", "unreadable_credentials", `Cannot read ${configPath}.`, { hint });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the input, which holds the keys: never pass it on.
    throw new ArkSyncError("usage", "unreadable_credentials", `${configPath} is not valid JSON.`, { hint });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ArkSyncError("usage", "unreadable_credentials", `${configPath} is not a JSON object.`, {
      hint,
    });
  }
  return parsed as Record<string, unknown>;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** Accidental `console.log(credentials)` or JSON.stringify prints a placeholder, not the keys. */
export function hideFromOutput(credentials: ArkCredentials): ArkCredentials {
  const placeholder = () => "[credentials redacted]";
  return Object.defineProperties(
    { ...credentials },
    {
      toJSON: { value: placeholder },
      [inspect.custom]: { value: placeholder },
    },
  );
}
