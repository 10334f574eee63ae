// The verifier on hand-built requests: the canonical request written out by hand from ark-api.md §6,
// a signature computed here with node:crypto, and each way a request can be refused.
import { createHash, createHmac } from "node:crypto";
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ApiError } from "../../src/emulator/api-error.js";
import { buildCanonicalQuery, buildCanonicalRequest } from "../../src/emulator/signing.js";
import {
  type AcceptedCredentials,
  type SignedRequest,
  type VerifyOptions,
  verifySignature,
} from "../../src/emulator/verify-signature.js";

const require = createRequire(import.meta.url);
const { queryParamsToString } = require("@volcengine/openapi/lib/base/sign.js") as {
  queryParamsToString: (params: Record<string, string | string[]>) => string;
};

const secretKey = "hand-built-secret";
const accessKey = "AKLThand";
const xDate = "20250101T120000Z";
const now = Date.UTC(2025, 0, 1, 12, 0, 0);
const body = '{"PageSize":100}';
const bodyHash = createHash("sha256").update(body).digest("hex");

const expectedCanonicalRequest = [
  "POST",
  "/",
  "Action=ListEndpoints&Version=2024-01-01",
  `x-content-sha256:${bodyHash}`,
  `x-date:${xDate}`,
  "",
  "x-content-sha256;x-date",
  bodyHash,
].join("\n");

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

/** §6 steps 7–10, written independently of src/emulator/signing.ts. */
function sign(canonicalRequest: string, secret: string, region = "cn-beijing", date = xDate): string {
  const scope = `${date.slice(0, 8)}/${region}/ark/request`;
  const hashed = createHash("sha256").update(canonicalRequest).digest("hex");
  const stringToSign = `HMAC-SHA256\n${date}\n${scope}\n${hashed}`;
  const key = hmac(hmac(hmac(hmac(secret, date.slice(0, 8)), region), "ark"), "request");
  return createHmac("sha256", key).update(stringToSign).digest("hex");
}

function request(
  overrides: { headers?: Record<string, string>; body?: string; region?: string } = {},
): SignedRequest {
  const region = overrides.region ?? "cn-beijing";
  const signature = sign(expectedCanonicalRequest, secretKey, region);
  return {
    method: "POST",
    path: "/",
    query: new URLSearchParams("Version=2024-01-01&Action=ListEndpoints"),
    headers: {
      "content-type": "application/json; charset=utf-8",
      "x-date": xDate,
      "x-content-sha256": bodyHash,
      authorization: `HMAC-SHA256 Credential=${accessKey}/20250101/${region}/ark/request, SignedHeaders=x-content-sha256;x-date, Signature=${signature}`,
      ...overrides.headers,
    },
    body: Buffer.from(overrides.body ?? body),
  };
}

/** A lookup that knows one access key. */
const only =
  (credentials: AcceptedCredentials) =>
  (key: string): AcceptedCredentials | undefined =>
    key === credentials.accessKey ? credentials : undefined;

const options: VerifyOptions<AcceptedCredentials> = {
  lookup: only({ accessKey, secretKey }),
  region: "cn-beijing",
  service: "ark",
  maxSkewSeconds: 900,
  now,
};

function rejection(
  req: SignedRequest,
  opts: VerifyOptions<AcceptedCredentials> = options,
): { code: string; status: number } {
  try {
    verifySignature(req, opts);
  } catch (error) {
    if (error instanceof ApiError) return { code: error.code, status: error.status };
    throw error;
  }
  throw new Error("the request was accepted");
}

test("the canonical request matches the one written out by hand", () => {
  const canonical = buildCanonicalRequest({
    method: "post",
    path: "/",
    canonicalQuery: buildCanonicalQuery(new URLSearchParams("Version=2024-01-01&Action=ListEndpoints")),
    headers: [
      ["x-content-sha256", bodyHash],
      ["x-date", xDate],
    ],
    payloadHash: bodyHash,
  });
  assert.is(canonical, expectedCanonicalRequest);
});

test("a request signed by hand is accepted", () => {
  verifySignature(request(), options);
});

test("the canonical query escapes and sorts like the SDK's signer", () => {
  const params = { Version: "2024-01-01", Action: "List", "b key": "x*y (z)!'~", a: ["2", "1", "é"] };
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, item);
  }
  const sdkSorted = Object.fromEntries(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1)));
  assert.is(buildCanonicalQuery(search), queryParamsToString(sdkSorted));
  assert.is(
    buildCanonicalQuery(search),
    "Action=List&Version=2024-01-01&a=%C3%A9&a=1&a=2&b%20key=x%2Ay%20%28z%29%21%27~",
  );
});

test("signed headers are taken from the request's list (host and content-type, as the Go signer does)", () => {
  const contentType = "application/json; charset=utf-8";
  const authorizationFor = (signedHost: string) => {
    const canonical = [
      "POST",
      "/",
      "Action=ListEndpoints&Version=2024-01-01",
      `content-type:${contentType}\nhost:${signedHost}\nx-content-sha256:${bodyHash}\nx-date:${xDate}\n`,
      "content-type;host;x-content-sha256;x-date",
      bodyHash,
    ].join("\n");
    return `HMAC-SHA256 Credential=${accessKey}/20250101/cn-beijing/ark/request, SignedHeaders=content-type;host;x-content-sha256;x-date, Signature=${sign(canonical, secretKey)}`;
  };
  const authorization = authorizationFor("127.0.0.1:8787");
  verifySignature(request({ headers: { host: "127.0.0.1:8787", authorization } }), options);
  assert.equal(
    rejection(request({ headers: { host: "127.0.0.1:9999", authorization } })).code,
    "SignatureDoesNotMatch",
  );
  // The Go signer signs the host without a default port.
  const withoutPort = authorizationFor("open.volcengineapi.com");
  verifySignature(
    request({ headers: { host: "open.volcengineapi.com:443", authorization: withoutPort } }),
    options,
  );
});

test("refusals map to Ark's codes and HTTP statuses", () => {
  const base = request();
  const auth = base.headers.authorization as string;
  const cases: Array<[string, SignedRequest, VerifyOptions<AcceptedCredentials>, string, number]> = [
    [
      "no Authorization",
      request({ headers: { authorization: "" } }),
      options,
      "MissingAuthenticationToken",
      401,
    ],
    [
      "wrong algorithm",
      request({ headers: { authorization: auth.replace("HMAC-SHA256", "AWS4-HMAC-SHA256") } }),
      options,
      "InvalidAuthorization",
      400,
    ],
    [
      "no Signature",
      request({ headers: { authorization: auth.replace(/, Signature=.*/, "") } }),
      options,
      "InvalidAuthorization",
      400,
    ],
    [
      "short Credential",
      request({ headers: { authorization: auth.replace("/ark/request", "/ark") } }),
      options,
      "InvalidCredential",
      400,
    ],
    [
      "unknown access key",
      request({ headers: { authorization: auth.replace(accessKey, "AKLTother") } }),
      options,
      "InvalidAccessKey",
      401,
    ],
    [
      "wrong secret",
      request(),
      { ...options, lookup: only({ accessKey, secretKey: "other" }) },
      "SignatureDoesNotMatch",
      401,
    ],
    ["X-Date 16 minutes off", request(), { ...options, now: now + 16 * 60_000 }, "InvalidTimestamp", 400],
    [
      "X-Date malformed",
      request({ headers: { "x-date": "2025-01-01T12:00:00Z" } }),
      options,
      "InvalidTimestamp",
      400,
    ],
    ["scope region", request({ region: "cn-north-1" }), options, "InvalidCredential", 400],
    ["body changed", request({ body: '{"PageSize":1}' }), options, "SignatureDoesNotMatch", 401],
    [
      "x-date unsigned",
      request({
        headers: {
          authorization: auth.replace(
            "SignedHeaders=x-content-sha256;x-date",
            "SignedHeaders=x-content-sha256",
          ),
        },
      }),
      options,
      "InvalidAuthorization",
      400,
    ],
    [
      "unsigned token",
      request({ headers: { "x-security-token": "STS2token" } }),
      options,
      "InvalidAuthorization",
      400,
    ],
    [
      "token required",
      request(),
      { ...options, lookup: only({ accessKey, secretKey, sessionToken: "STS2token" }) },
      "InvalidSecretToken",
      401,
    ],
  ];
  for (const [name, req, opts, code, status] of cases) {
    assert.equal(rejection(req, opts), { code, status }, name);
  }
});

test("a skew within the window is accepted", () => {
  verifySignature(request(), { ...options, now: now - 14 * 60_000 });
  verifySignature(request(), { ...options, now: now + 14 * 60_000 });
});

test.run();
