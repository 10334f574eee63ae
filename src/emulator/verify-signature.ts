// Server-side check of a signed Ark request (docs/ark-api.md, Signing). It rebuilds the canonical
// request from the SignedHeaders the client listed, since SDKs sign different header sets.
import { timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { ApiError } from "./api-error.js";
import {
  buildCanonicalQuery,
  buildCanonicalRequest,
  buildStringToSign,
  type CredentialScope,
  canonicalHeaderValue,
  computeSignature,
  deriveSigningKey,
  sha256Hex,
  signingAlgorithm,
} from "./signing.js";

export interface AcceptedCredentials {
  accessKey: string;
  secretKey: string;
  /** When set, requests must carry this X-Security-Token; otherwise any signed token is accepted. */
  sessionToken?: string;
  /** When set (temporary keys from STS), requests are refused from this time on (ms since the epoch). */
  expiresAt?: number;
}

export interface VerifyOptions<C extends AcceptedCredentials> {
  /** The credentials of an access key, if it is known. */
  lookup: (accessKey: string) => C | undefined;
  region: string;
  service: string;
  /** Largest accepted difference between X-Date and `now`, either way. */
  maxSkewSeconds: number;
  /** Milliseconds since the epoch. */
  now: number;
}

export interface SignedRequest {
  method: string;
  /** The URL path without the query, e.g. `/`. */
  path: string;
  query: URLSearchParams;
  /** Node's headers: lower-case names. */
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface ParsedAuthorization {
  accessKey: string;
  scope: CredentialScope;
  signedHeaders: string[];
  signature: string;
}

/** Throws the ApiError Ark would answer with; returns the caller's credentials when the signature is valid. */
export function verifySignature<C extends AcceptedCredentials>(
  request: SignedRequest,
  options: VerifyOptions<C>,
): C {
  const authorization = headerValue(request.headers, "authorization");
  if (authorization === undefined || authorization.trim() === "") {
    throw new ApiError("MissingAuthenticationToken", "The request has no Authorization header.");
  }
  const parsed = parseAuthorization(authorization);
  const credentials = options.lookup(parsed.accessKey);
  if (credentials === undefined) {
    throw new ApiError("InvalidAccessKey", "The access key id in the request is not known.");
  }
  const xDate = checkTimestamp(headerValue(request.headers, "x-date"), options);
  checkScope(parsed.scope, xDate, options);
  checkSignedHeaderList(parsed.signedHeaders, request.headers);
  checkSessionToken(request.headers, credentials, options.now);

  const bodyHash = sha256Hex(request.body);
  const declaredHash = headerValue(request.headers, "x-content-sha256");
  if (declaredHash !== undefined && declaredHash.trim().toLowerCase() !== bodyHash) {
    throw new ApiError(
      "SignatureDoesNotMatch",
      "X-Content-Sha256 does not match the SHA-256 of the request body.",
    );
  }
  const canonicalRequest = buildCanonicalRequest({
    method: request.method,
    path: request.path,
    canonicalQuery: buildCanonicalQuery(request.query),
    headers: parsed.signedHeaders.map((name) => [name, canonicalSignedValue(name, request.headers)] as const),
    payloadHash: declaredHash?.trim() ?? bodyHash,
  });
  const stringToSign = buildStringToSign(xDate, parsed.scope, canonicalRequest);
  const expected = computeSignature(deriveSigningKey(credentials.secretKey, parsed.scope), stringToSign);
  if (!equalInConstantTime(expected, parsed.signature)) {
    throw new ApiError(
      "SignatureDoesNotMatch",
      "The request signature does not match the one computed with the secret key for this access key.",
    );
  }
  return credentials;
}

function parseAuthorization(authorization: string): ParsedAuthorization {
  const match = /^(\S+)\s+(.*)$/s.exec(authorization.trim());
  if (!match || match[1] !== signingAlgorithm) {
    throw new ApiError(
      "InvalidAuthorization",
      `The Authorization header must start with "${signingAlgorithm} ".`,
    );
  }
  const fields = new Map<string, string>();
  for (const part of (match[2] ?? "").split(",")) {
    const separator = part.indexOf("=");
    if (separator > 0) fields.set(part.slice(0, separator).trim(), part.slice(separator + 1).trim());
  }
  const credential = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!credential || !signedHeaders || !signature) {
    throw new ApiError(
      "InvalidAuthorization",
      "The Authorization header must carry Credential, SignedHeaders and Signature.",
    );
  }
  const [accessKey, date, region, service, terminator, ...rest] = credential.split("/");
  if (!accessKey || !date || !region || !service || terminator !== "request" || rest.length > 0) {
    throw new ApiError(
      "InvalidCredential",
      "The Credential must be AccessKeyId/YYYYMMDD/region/service/request.",
    );
  }
  return { accessKey, scope: { date, region, service }, signedHeaders: signedHeaders.split(";"), signature };
}

function checkTimestamp(
  xDate: string | undefined,
  options: Pick<VerifyOptions<never>, "now" | "maxSkewSeconds">,
): string {
  const match =
    xDate === undefined ? null : /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(xDate.trim());
  if (!match)
    throw new ApiError("InvalidTimestamp", "X-Date must be present and formatted YYYYMMDDTHHMMSSZ.");
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const time = Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second);
  if (Math.abs(time - options.now) > options.maxSkewSeconds * 1000) {
    throw new ApiError(
      "InvalidTimestamp",
      `X-Date is more than ${options.maxSkewSeconds} seconds away from the server time ${new Date(options.now).toISOString()}.`,
    );
  }
  return match[0];
}

function checkScope(
  scope: CredentialScope,
  xDate: string,
  options: Pick<VerifyOptions<never>, "region" | "service">,
): void {
  if (scope.date !== xDate.slice(0, 8)) {
    throw new ApiError("InvalidCredential", "The Credential date must be the date of X-Date.");
  }
  if (scope.service !== options.service) {
    throw new ApiError(
      "InvalidCredential",
      `The Credential service "${scope.service}" must be "${options.service}".`,
    );
  }
  if (scope.region !== options.region) {
    throw new ApiError(
      "InvalidCredential",
      `The Credential region "${scope.region}" does not match this endpoint's region "${options.region}".`,
    );
  }
}

function checkSignedHeaderList(names: string[], headers: IncomingHttpHeaders): void {
  for (const name of names) {
    if (name === "" || name !== name.toLowerCase()) {
      throw new ApiError(
        "InvalidAuthorization",
        "SignedHeaders must list lower-case header names separated by ';'.",
      );
    }
    if (headerValue(headers, name) === undefined) {
      throw new ApiError("InvalidAuthorization", `The signed header ${name} is missing from the request.`);
    }
  }
  if (!names.includes("x-date")) {
    throw new ApiError("InvalidAuthorization", "SignedHeaders must include x-date.");
  }
  if (headerValue(headers, "x-security-token") !== undefined && !names.includes("x-security-token")) {
    throw new ApiError(
      "InvalidAuthorization",
      "SignedHeaders must include x-security-token when it is sent.",
    );
  }
}

function checkSessionToken(
  headers: IncomingHttpHeaders,
  credentials: AcceptedCredentials,
  now: number,
): void {
  if (credentials.sessionToken === undefined) return;
  const token = headerValue(headers, "x-security-token");
  if (token === undefined || !equalInConstantTime(token, credentials.sessionToken)) {
    throw new ApiError(
      "InvalidSecretToken",
      "The X-Security-Token is missing or not valid for this access key.",
    );
  }
  if (credentials.expiresAt !== undefined && now >= credentials.expiresAt) {
    throw new ApiError(
      "InvalidSecretToken",
      `The security token expired at ${new Date(credentials.expiresAt).toISOString()}; assume the role again.`,
    );
  }
}

function canonicalSignedValue(name: string, headers: IncomingHttpHeaders): string {
  const value = canonicalHeaderValue(headerValue(headers, name) ?? "");
  // Volcengine's Go signer signs the host without a default port.
  return name === "host" ? value.replace(/:(80|443)$/, "") : value;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

function equalInConstantTime(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}
