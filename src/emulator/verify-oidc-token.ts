// AssumeRoleWithOIDC's token check (docs/emulator.md, STS): an RS256 JSON Web Token whose `iss` is a
// registered OIDC provider, whose signature that provider's key verifies, whose `aud` the provider
// accepts, and which has not expired by the emulator's clock. Messages never quote the token.
import { verify } from "node:crypto";
import { invalidParameter } from "./api-error.js";
import type { IdentityStore } from "./identities.js";

export interface OidcClaims {
  iss: string;
  sub: string;
  aud: string[];
  /** Seconds since the epoch. */
  exp: number;
}

export function verifyOidcToken(
  token: string,
  identities: IdentityStore,
  now: number,
): { provider: string; claims: OidcClaims } {
  const parts = token.split(".");
  const [header, payload, signature] = parts;
  if (parts.length !== 3 || !header || !payload || signature === undefined) {
    throw invalidToken("it is not a JSON Web Token");
  }
  const alg = readJson(header)?.alg;
  if (alg !== "RS256") throw invalidToken("its algorithm must be RS256");
  const claims = readClaims(readJson(payload));
  const provider = identities.provider(claims.iss);
  if (!provider) throw invalidToken("its issuer is not a registered OIDC provider");
  const signed = Buffer.from(`${header}.${payload}`);
  if (!verify("RSA-SHA256", signed, provider.publicKey, Buffer.from(signature, "base64url"))) {
    throw invalidToken("its signature does not verify with the provider's key");
  }
  if (!claims.aud.some((audience) => provider.audiences.includes(audience))) {
    throw invalidToken("its audience is not one the OIDC provider accepts");
  }
  if (claims.exp * 1000 <= now) throw invalidToken("it has expired");
  return { provider: provider.name, claims };
}

function readJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function readClaims(payload: Record<string, unknown> | undefined): OidcClaims {
  const aud = typeof payload?.aud === "string" ? [payload.aud] : payload?.aud;
  const { iss, sub, exp } = payload ?? {};
  if (
    typeof iss !== "string" ||
    typeof sub !== "string" ||
    typeof exp !== "number" ||
    !Array.isArray(aud) ||
    !aud.every((value) => typeof value === "string")
  ) {
    throw invalidToken("it lacks the claims iss, sub, aud and exp");
  }
  return { iss, sub, aud, exp };
}

function invalidToken(reason: string) {
  return invalidParameter("OIDCToken", reason);
}
