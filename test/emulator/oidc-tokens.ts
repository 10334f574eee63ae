// OIDC ID tokens for tests: an RSA key pair standing in for an identity provider (GitHub's, in the
// tests of federation), RS256 JSON Web Tokens signed with it, and the provider as the emulator registers it.
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import type { EmulatorOidcProvider } from "../../src/emulator/start-emulator.js";

export const githubIssuer = "https://token.actions.githubusercontent.com";

export interface TestIdentityProvider {
  provider: EmulatorOidcProvider;
  /** A token with these claims (iss, exp and iat default to the provider's and an hour from `now`). */
  token(claims: Record<string, unknown>, now?: number): string;
}

export function testIdentityProvider(
  name = "github",
  audiences = ["sts.volcengineapi.com"],
): TestIdentityProvider {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    provider: {
      name,
      issuer: githubIssuer,
      audiences,
      publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(),
    },
    token: (claims, now = Date.now()) =>
      signJwt(
        {
          iss: githubIssuer,
          iat: Math.floor(now / 1000),
          exp: Math.floor(now / 1000) + 3600,
          ...claims,
        },
        privateKey,
      ),
  };
}

export function signJwt(payload: Record<string, unknown>, key: KeyObject, alg = "RS256"): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const signed = `${part({ alg, typ: "JWT", kid: "test" })}.${part(payload)}`;
  return `${signed}.${sign("RSA-SHA256", Buffer.from(signed), key).toString("base64url")}`;
}
