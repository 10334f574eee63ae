// One HTTP exchange with Ark through @volcengine/openapi's Service (signing, POST + JSON). The SDK is
// loaded on the first call, so importing ark-sync's modules costs nothing. Axios options passed
// through the SDK give us the HTTP status and the raw body (the SDK itself returns neither), and the
// final request headers for --debug, redacted.

import { debuglog } from "node:util";
import debug from "debug";
import { ArkSyncError } from "../core/errors.js";
import { withoutUrlCredentials } from "../core/url-credentials.js";
import type { ArkAction } from "./actions.js";
import type { ArkCredentials } from "./credentials.js";
import { ArkApiError, networkErrorCode } from "./errors.js";
import type { RawReply } from "./read-reply.js";
import { redactHeaders } from "./redact.js";

export interface TransportOptions {
  /** e.g. `http://127.0.0.1:8787`; default `https://ark.<region>.volcengineapi.com`. */
  apiUrl: string | undefined;
  region: string;
  credentials: ArkCredentials;
  timeoutMs: number;
  /** Receives lines that may still contain credentials: the caller scrubs them. */
  debug: ((line: string) => void) | undefined;
  /** Removes credentials from texts that end up in errors. */
  scrub: (text: string) => string;
}

/** Sends one request; resolves with whatever HTTP answer came back, rejects with a network ArkApiError. */
export type ArkTransport = (action: ArkAction, body: Record<string, unknown>) => Promise<RawReply>;

const serviceName = "ark";
const apiVersion = "2024-01-01";

type SdkService = InstanceType<typeof import("@volcengine/openapi/lib/base/service.js")["default"]>;
type ApiCall = ReturnType<SdkService["createJSONAPI"]>;

export function createSdkTransport(options: TransportOptions): ArkTransport {
  const { host, protocol } = parseApiUrl(options.apiUrl, options.region);
  refuseLeakingDebugLogs(options.credentials);
  let loading: Promise<(action: ArkAction) => ApiCall> | undefined;
  const load = async () => {
    const module = await import("@volcengine/openapi/lib/base/service.js");
    silenceSdkDebugLog();
    const Service = module.default.default;
    const { accessKeyId, secretKey, sessionToken } = options.credentials;
    const service = new Service({
      serviceName,
      defaultVersion: apiVersion,
      region: options.region,
      host,
      protocol,
      accessKeyId,
      secretKey,
      sessionToken,
    });
    return (action: ArkAction): ApiCall => service.createJSONAPI(action);
  };

  return async (action, body) => {
    loading ??= load();
    const api = (await loading)(action);
    const debug = options.debug;
    const started = Date.now();
    const params: NonNullable<Parameters<ApiCall>[1]> = {
      Action: action,
      ...rawReplyParams(options.timeoutMs),
      transformRequest: [
        function logRequest(data, headers) {
          const text = JSON.stringify(data);
          debug?.(
            `ark -> ${action} ${this.url ?? ""} ${JSON.stringify(redactHeaders(headers.toJSON()))} ${text}`,
          );
          return text;
        },
      ],
    };
    let reply: RawReply;
    try {
      // transformResponse made the SDK's "body" our RawReply.
      reply = (await api(body, params)) as unknown as RawReply;
    } catch (error) {
      throw toTransportError(action, error, options.scrub);
    }
    debug?.(
      `ark <- ${action} HTTP ${reply.status ?? "?"} in ${Date.now() - started} ms: ${reply.text.slice(0, 300)}`,
    );
    return reply;
  };
}

/** `--api-url` → the SDK's host (with port) and protocol; without it, the region's Ark host
 * (docs/ark-api.md, Transport). */
export function parseApiUrl(
  apiUrl: string | undefined,
  region: string,
): { host: string; protocol: "http:" | "https:" } {
  if (apiUrl === undefined || apiUrl === "") return { host: defaultHost(region), protocol: "https:" };
  return parseBaseUrl(apiUrl, "--api-url");
}

/** A base URL named by `name` (a flag or variable): scheme http or https, a host, an optional port, no path. */
export function parseBaseUrl(value: string, name: string): { host: string; protocol: "http:" | "https:" } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ArkSyncError(
      "usage",
      "invalid_api_url",
      `${name} ${JSON.stringify(withoutUrlCredentials(value))} is not a URL.`,
      {
        hint: "Use scheme://host[:port], e.g. http://127.0.0.1:8787.",
      },
    );
  }
  const protocol = url.protocol;
  if ((protocol !== "http:" && protocol !== "https:") || url.pathname !== "/" || url.search || url.username) {
    throw new ArkSyncError(
      "usage",
      "invalid_api_url",
      `${name} ${JSON.stringify(withoutUrlCredentials(value))} is not supported.`,
      {
        hint: "Use http:// or https:// with a host and optional port, no path, e.g. http://127.0.0.1:8787.",
      },
    );
  }
  return { host: url.host, protocol };
}

/** `ark.<region>.volcengineapi.com`, for a region that can be part of a host name. */
function defaultHost(region: string): string {
  if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(region)) return `ark.${region}.volcengineapi.com`;
  throw new ArkSyncError(
    "usage",
    "invalid_region",
    `--region ${JSON.stringify(region)} is not a region name, so it names no Ark host.`,
    { hint: "Use a region such as cn-beijing, or --api-url to name the host." },
  );
}

/**
 * Axios options, passed through the SDK, that make its answer our RawReply (the HTTP status and the
 * body text, which the SDK itself does not return), with the SDK's timeout and no redirects.
 */
export function rawReplyParams(timeoutMs: number) {
  return {
    timeout: timeoutMs,
    responseType: "text" as const,
    // Plain node:http instead of follow-redirects, whose `debug` log prints request headers. A
    // signed request has no business being redirected anyway.
    maxRedirects: 0,
    transformResponse: [(text: unknown, _headers: unknown, status?: number) => toRawReply(text, status)],
  };
}

function toRawReply(text: unknown, status: number | undefined): RawReply {
  return {
    status,
    text: typeof text === "string" ? text : Buffer.isBuffer(text) ? text.toString("utf8") : "",
  };
}

/**
 * A thrown transport error as an ArkApiError (network), or an internal error. The original error is
 * not kept as a cause: axios errors hold the request config, signed headers included.
 */
function toTransportError(action: ArkAction, error: unknown, scrub: (text: string) => string): ArkSyncError {
  const message = scrub(error instanceof Error ? error.message : String(error));
  const code = networkErrorCode(error);
  if (code === undefined) return new ArkSyncError("internal", "ark_transport", `Ark ${action}: ${message}`);
  return new ArkApiError({
    category: "network",
    action,
    arkCode: code,
    arkMessage: message,
    requestId: undefined,
    httpStatus: undefined,
  });
}

/**
 * The SDK logs each request's options, signed headers included, through the `debug` package when
 * DEBUG matches its namespace. ark-sync never wants that: turn the namespace off when it is on.
 */
export function silenceSdkDebugLog(): void {
  // The SDK logs through the same (deduplicated) `debug` package; a direct dependency keeps this
  // working inside the Action's bundle, which has no node_modules to resolve through.
  if (debug.enabled("@volcengine/openapi:fetch")) {
    debug.enable(`${(debug as { namespaces?: string }).namespaces ?? ""},-@volcengine/openapi:*`);
  }
}

/** NODE_DEBUG sections under which Node prints what a request carries: its signed headers. */
const headerLoggingSections = ["http", "https", "http2", "net", "tls"];

/** Refuses NODE_DEBUG settings that would print the Authorization header or the session token. */
export function refuseLeakingDebugLogs(credentials: ArkCredentials): void {
  const sections = headerLoggingSections.filter((section) => debuglog(section).enabled);
  // The SDK's signer logs the signed headers, which carry a session token when there is one.
  if (credentials.sessionToken && debuglog("signer").enabled) sections.unshift("signer");
  if (sections.length === 0) return;
  throw new ArkSyncError(
    "usage",
    "unsafe_debug",
    `NODE_DEBUG=${sections.join(",")} makes Node or the Volcengine SDK print signed request headers, which carry credentials.`,
    { hint: "Unset NODE_DEBUG (use --debug for ark-sync's redacted request log)." },
  );
}
