// Debug output without credentials: signed headers are replaced, and every line is scrubbed of the
// credential values themselves before it reaches the sink, whatever produced it.
import type { ArkCredentials } from "./credentials.js";

export type DebugSink = (line: string) => void;

const redacted = "[REDACTED]";
const secretHeaders = new Set(["authorization", "x-security-token"]);

/** A copy of request headers fit for a log: Authorization and X-Security-Token replaced. */
export function redactHeaders(headers: Record<string, unknown>): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null || typeof value === "function") continue;
    copy[name] = secretHeaders.has(name.toLowerCase()) ? redacted : String(value);
  }
  return copy;
}

/** Replaces every occurrence of the access key, secret key and session token in a text. */
export function createScrubber(credentials: ArkCredentials): (text: string) => string {
  const secrets = [credentials.secretKey, credentials.sessionToken, credentials.accessKeyId]
    .filter((value): value is string => typeof value === "string" && value !== "")
    .sort((a, b) => b.length - a.length);
  return (text) => secrets.reduce((result, secret) => result.split(secret).join(redacted), text);
}
