import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { resolveCredentials } from "../../src/ark/credentials.js";
import { createScrubber, redactHeaders } from "../../src/ark/redact.js";
import { isArkSyncError } from "../../src/core/errors.js";

const test = suite("ark credentials");

const accessKey = "AKLTfakeaccesskey0001";
const secretKey = "fakeSecretKey/with+chars==";
let home = "";

test.before.each(() => {
  home = mkdtempSync(path.join(os.tmpdir(), "ark-sync-home-"));
});
test.after.each(() => {
  rmSync(home, { recursive: true, force: true });
});

function writeConfig(content: string): string {
  mkdirSync(path.join(home, ".volc"));
  const file = path.join(home, ".volc", "config");
  writeFileSync(file, content);
  return file;
}

function usageError(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (isArkSyncError(error) && error.kind === "usage") return error;
    throw error;
  }
  throw new Error("no error thrown");
}

test("from the environment, session token included", () => {
  const credentials = resolveCredentials(
    { VOLC_ACCESSKEY: accessKey, VOLC_SECRETKEY: secretKey, VOLC_SESSIONTOKEN: "STS2token" },
    home,
  );
  assert.is(credentials.accessKeyId, accessKey);
  assert.is(credentials.secretKey, secretKey);
  assert.is(credentials.sessionToken, "STS2token");
});

test("the environment wins over ~/.volc/config", () => {
  writeConfig(JSON.stringify({ VOLC_ACCESSKEY: "other", VOLC_SECRETKEY: "other" }));
  const credentials = resolveCredentials({ VOLC_ACCESSKEY: accessKey, VOLC_SECRETKEY: secretKey }, home);
  assert.is(credentials.accessKeyId, accessKey);
  assert.is(credentials.sessionToken, undefined);
});

test("from ~/.volc/config in the SDK's format", () => {
  writeConfig(JSON.stringify({ VOLC_ACCESSKEY: accessKey, VOLC_SECRETKEY: secretKey }));
  const credentials = resolveCredentials({}, home);
  assert.is(credentials.accessKeyId, accessKey);
  assert.is(credentials.secretKey, secretKey);
});

test("none found: a usage error naming the variables", () => {
  const error = usageError(() => resolveCredentials({ VOLC_ACCESSKEY: "" }, home));
  assert.is(error.code, "missing_credentials");
  assert.match(error.message, "VOLC_ACCESSKEY");
  assert.match(error.message, "VOLC_SECRETKEY");
  assert.match(error.message, path.join(home, ".volc", "config"));
  assert.match(error.hint ?? "", "VOLC_SESSIONTOKEN");
  assert.is(usageError(() => resolveCredentials({}, undefined)).code, "missing_credentials");
});

test("half a pair is an error naming the missing half, never its value", () => {
  const error = usageError(() => resolveCredentials({ VOLC_ACCESSKEY: accessKey }, home));
  assert.is(error.code, "incomplete_credentials");
  assert.match(error.message, "VOLC_SECRETKEY");
  assert.not.match(error.message, accessKey);
  writeConfig(JSON.stringify({ VOLC_SECRETKEY: secretKey }));
  const fromFile = usageError(() => resolveCredentials({}, home));
  assert.match(fromFile.message, "VOLC_ACCESSKEY");
  assert.not.match(fromFile.message, secretKey);
});

test("an unreadable config never quotes its content", () => {
  writeConfig(`{"VOLC_ACCESSKEY": "${accessKey}", "VOLC_SECRETKEY": ${secretKey}}`);
  const error = usageError(() => resolveCredentials({}, home));
  assert.is(error.code, "unreadable_credentials");
  assert.not.match(error.message, accessKey);
  assert.not.match(error.message, secretKey);
});

test("printing or serialising credentials shows a placeholder", () => {
  const credentials = resolveCredentials({ VOLC_ACCESSKEY: accessKey, VOLC_SECRETKEY: secretKey }, home);
  for (const text of [JSON.stringify(credentials), inspect(credentials), JSON.stringify({ credentials })]) {
    assert.not.match(text, accessKey);
    assert.not.match(text, secretKey);
  }
});

test("redaction: signed headers are replaced; credential values are scrubbed anywhere", () => {
  assert.equal(
    redactHeaders({
      Authorization: `HMAC-SHA256 Credential=${accessKey}/20250101/cn-beijing/ark/request, Signature=abc`,
      "x-security-token": "STS2token",
      "X-Date": "20250101T000000Z",
      skipped: undefined,
    }),
    { Authorization: "[REDACTED]", "x-security-token": "[REDACTED]", "X-Date": "20250101T000000Z" },
  );
  const scrub = createScrubber({ accessKeyId: accessKey, secretKey, sessionToken: "STS2token" });
  assert.is(scrub(`a ${accessKey} b ${secretKey} c STS2token`), "a [REDACTED] b [REDACTED] c [REDACTED]");
});

test.run();
