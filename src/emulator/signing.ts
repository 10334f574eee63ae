// Volcengine's HMAC-SHA256 request signature (docs/ark-api.md, Signing), the primitives shared by the
// verifier: canonical request, string to sign, signing key chain.
import { createHash, createHmac } from "node:crypto";

export const signingAlgorithm = "HMAC-SHA256";
const scopeTerminator = "request";

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/** Percent-encodes everything except `A-Za-z0-9-_.~` (space is `%20`, `*` is `%2A`). */
function escapeUriComponent(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Every key sorted, keys and values escaped; the values of a repeated key sorted too. */
export function buildCanonicalQuery(params: URLSearchParams): string {
  const byKey = new Map<string, string[]>();
  for (const [key, value] of params) {
    const escapedKey = escapeUriComponent(key);
    const values = byKey.get(escapedKey) ?? [];
    values.push(escapeUriComponent(value));
    byKey.set(escapedKey, values);
  }
  return [...byKey.keys()]
    .sort()
    .flatMap((key) => (byKey.get(key) ?? []).sort().map((value) => `${key}=${value}`))
    .join("&");
}

/** Trimmed, with runs of whitespace collapsed to one space. */
export function canonicalHeaderValue(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}

export interface CanonicalRequestParts {
  method: string;
  path: string;
  canonicalQuery: string;
  /** Signed headers in signing order: lower-case name and canonical value. */
  headers: ReadonlyArray<readonly [string, string]>;
  payloadHash: string;
}

export function buildCanonicalRequest(parts: CanonicalRequestParts): string {
  const headerLines = parts.headers.map(([name, value]) => `${name}:${value}\n`).join("");
  const signedHeaders = parts.headers.map(([name]) => name).join(";");
  return [
    parts.method.toUpperCase(),
    parts.path,
    parts.canonicalQuery,
    headerLines,
    signedHeaders,
    parts.payloadHash,
  ].join("\n");
}

export interface CredentialScope {
  /** `YYYYMMDD` */
  date: string;
  region: string;
  service: string;
}

function formatScope(scope: CredentialScope): string {
  return `${scope.date}/${scope.region}/${scope.service}/${scopeTerminator}`;
}

export function buildStringToSign(xDate: string, scope: CredentialScope, canonicalRequest: string): string {
  return [signingAlgorithm, xDate, formatScope(scope), sha256Hex(canonicalRequest)].join("\n");
}

/** kDate = HMAC(secret, date) with no prefix, then region, service and "request". */
export function deriveSigningKey(secretKey: string, scope: CredentialScope): Buffer {
  const kDate = hmac(secretKey, scope.date);
  const kRegion = hmac(kDate, scope.region);
  const kService = hmac(kRegion, scope.service);
  return hmac(kService, scopeTerminator);
}

/** Lower-case hex. */
export function computeSignature(signingKey: Buffer, stringToSign: string): string {
  return createHmac("sha256", signingKey).update(stringToSign, "utf8").digest("hex");
}
