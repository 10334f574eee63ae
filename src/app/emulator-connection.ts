// How the console commands (`ark-sync emulator endpoint …`) reach the emulator, and nothing else: they
// create and delete endpoints, so a URL that might be a real account is refused before anything is
// sent. The host must be this machine (loopback), and what answers there must be the emulator: its
// answer to a request that carries no credentials has the emulator's marker header. Only then are
// calls signed, with the keys the emulator accepts by default (docs/emulator.md, The console).
import type { ArkClient } from "../ark/client.js";
import { ArkSyncError } from "../core/errors.js";
import { withoutUrlCredentials } from "../core/url-credentials.js";
import { emulatorMarkerHeader } from "../emulator/marker.js";
import { arkConnector } from "./ark-connector.js";
import type { AppContext } from "./context.js";
import { DEFAULT_REGION } from "./directory-connection.js";
import { defaultEmulatorKeys } from "./emulator.js";

export const defaultEmulatorUrl = "http://127.0.0.1:8787";

/** Where the emulator is: `--api-url` (or ARK_SYNC_API_URL), else its default address; the region
 * only goes into the signature. */
export interface EmulatorSettings {
  apiUrl?: string;
  region?: string;
}

export async function connectEmulator(settings: EmulatorSettings, ctx: AppContext): Promise<ArkClient> {
  const url = settings.apiUrl ?? defaultEmulatorUrl;
  requireLoopback(url);
  await requireMarker(url, ctx);
  const keys = defaultEmulatorKeys(ctx.env);
  const env = {
    ...ctx.env,
    VOLC_ACCESSKEY: keys.accessKey,
    VOLC_SECRETKEY: keys.secretKey,
    VOLC_SESSIONTOKEN: undefined,
    VOLC_ROLE_TRN: undefined,
  };
  // No home directory: ~/.volc/config holds a real account's keys, never the emulator's.
  const connect = arkConnector(env, undefined, {
    fetch: ctx.fetch,
    ...(ctx.io.debug ? { debug: ctx.io.debug } : {}),
  });
  return connect({ apiUrl: url, region: settings.region ?? DEFAULT_REGION, parallelism: 4 });
}

function requireLoopback(url: string): void {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw new ArkSyncError(
      "usage",
      "emulator_refused_url",
      `--api-url ${withoutUrlCredentials(url)} is not a URL.`,
      {
        hint: `The emulator listens on ${defaultEmulatorUrl} unless started with --port.`,
      },
    );
  }
  if (host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return;
  throw refusal(url, `its host ${host} is not this machine (127.0.0.1, ::1 or localhost)`);
}

async function requireMarker(url: string, ctx: AppContext): Promise<void> {
  let answer: Response;
  try {
    answer = await ctx.fetch(url, { method: "GET", signal: AbortSignal.timeout(5000) });
    await answer.body?.cancel();
  } catch {
    throw new ArkSyncError(
      "external",
      "emulator_not_running",
      `Nothing answers at ${withoutUrlCredentials(url)}.`,
      {
        hint: "Start the emulator first, e.g. `ark-sync emulator --data emulator.json` in another terminal, or give its URL with --api-url.",
      },
    );
  }
  if (answer.headers.get(emulatorMarkerHeader) === null) {
    throw refusal(url, `what answers there is not ark-sync's emulator (no ${emulatorMarkerHeader} header)`);
  }
}

function refusal(url: string, reason: string): ArkSyncError {
  return new ArkSyncError(
    "usage",
    "emulator_refused_url",
    `Refusing to act on ${withoutUrlCredentials(url)}: ${reason}. The console commands act on the bundled emulator only.`,
    {
      hint: "On a real account, change endpoints with manifests (plan, apply) or in the Ark console.",
    },
  );
}
