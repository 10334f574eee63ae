// The SDK logs request headers through `debug` (DEBUG=...) and the string it signs through
// util.debuglog (NODE_DEBUG=signer). Both are read at process start, so each case runs a child
// process: a real call against an emulator with DEBUG=*, and a client refused under NODE_DEBUG=signer
// (with a session token) or NODE_DEBUG=http, https, net or tls (which print the signed headers).
import { spawnSync } from "node:child_process";
import { suite } from "uvu";
import * as assert from "uvu/assert";

const test = suite("SDK debug logging leaks no credentials");

const accessKey = "AKLTleakCheckAccessKey01";
const secretKey = "leakCheck/Secret+Key==01";
const sessionToken = "STS2leakCheckSessionToken01";
const moduleUrl = (path: string) => new URL(path, import.meta.url).href;

const script = `
const { startEmulator } = await import(${JSON.stringify(moduleUrl("../../src/emulator/start-emulator.js"))});
const { createArkClient } = await import(${JSON.stringify(moduleUrl("../../src/ark/client.js"))});
const credentials = { accessKeyId: ${JSON.stringify(accessKey)}, secretKey: ${JSON.stringify(secretKey)}, sessionToken: ${JSON.stringify(sessionToken)} };
const emulator = await startEmulator({ accessKey: credentials.accessKeyId, secretKey: credentials.secretKey, sessionToken: credentials.sessionToken });
try {
  const client = createArkClient({ apiUrl: emulator.url, credentials, debug: (line) => console.error(line) });
  const endpoints = await client.listEndpoints({ projectName: "default" });
  console.log("listed " + endpoints.length);
} catch (error) {
  console.log("failed " + error.code);
} finally {
  await emulator.close();
}
`;

function run(env: Record<string, string>) {
  return spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
}

test("DEBUG=* shows no SDK request log and no credential, and the call works", () => {
  const result = run({ DEBUG: "*", DEBUG_COLORS: "0" });
  assert.is(result.status, 0, result.stderr);
  assert.is(result.stdout.trim(), "listed 0");
  assert.match(result.stderr, "ark -> ListEndpoints", "ark-sync's own debug lines are there");
  assert.not.match(result.stderr, "@volcengine/openapi:fetch");
  for (const secret of [accessKey, secretKey, sessionToken]) {
    assert.not.ok(result.stderr.includes(secret) || result.stdout.includes(secret), "a credential leaked");
  }
});

test("NODE_DEBUG=signer with a session token is refused before any request", () => {
  const result = run({ NODE_DEBUG: "signer" });
  assert.is(result.status, 0, result.stderr);
  assert.is(result.stdout.trim(), "failed unsafe_debug");
  assert.not.ok(result.stderr.includes(sessionToken));
});

for (const section of ["http", "https", "net", "tls"]) {
  test(`NODE_DEBUG=${section} is refused before any request`, () => {
    const result = run({ NODE_DEBUG: section });
    assert.is(result.status, 0, result.stderr);
    assert.is(result.stdout.trim(), "failed unsafe_debug");
    for (const secret of [accessKey, secretKey, sessionToken]) {
      assert.not.ok(result.stderr.includes(secret), `${section} leaked a credential`);
    }
  });
}

test.run();
