import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createArkClient } from "../../src/ark/client.js";
import { parseApiUrl } from "../../src/ark/sdk-transport.js";
import { isArkSyncError } from "../../src/core/errors.js";

const test = suite("ark client configuration");

function usageCode(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isArkSyncError(error) && error.kind === "usage") return error.code;
    throw error;
  }
  throw new Error("accepted");
}

test("--api-url: default host, emulator URLs, and what is refused", () => {
  assert.equal(parseApiUrl(undefined), { host: "open.volcengineapi.com", protocol: "https:" });
  assert.equal(parseApiUrl(""), { host: "open.volcengineapi.com", protocol: "https:" });
  assert.equal(parseApiUrl("http://127.0.0.1:8787"), { host: "127.0.0.1:8787", protocol: "http:" });
  assert.equal(parseApiUrl("https://ark.cn-beijing.volcengineapi.com/"), {
    host: "ark.cn-beijing.volcengineapi.com",
    protocol: "https:",
  });
  for (const url of [
    "127.0.0.1:8787",
    "ftp://host",
    "http://host/api",
    "http://host/?x=1",
    "http://u:p@host",
    "nope",
  ]) {
    assert.is(
      usageCode(() => parseApiUrl(url)),
      "invalid_api_url",
      url,
    );
  }
});

test("a refused --api-url is echoed without its user and password", () => {
  for (const url of [
    "http://user:SECRET@host",
    "http://user:SECRET@host:notaport",
    "https://SECRET@host/x",
  ]) {
    let message = "";
    try {
      parseApiUrl(url);
    } catch (error) {
      message = (error as Error).message;
    }
    assert.match(message, "--api-url", url);
    assert.not.match(message, "SECRET", message);
    assert.match(message, "***@host");
  }
});

test("createArkClient refuses a bad URL or parallelism at once, before any request", () => {
  const credentials = { accessKeyId: "AKLTx", secretKey: "s" };
  assert.is(
    usageCode(() => createArkClient({ credentials, apiUrl: "http://host/path" })),
    "invalid_api_url",
  );
  assert.is(
    usageCode(() => createArkClient({ credentials, parallelism: 0 })),
    "invalid_parallelism",
  );
  assert.is(
    usageCode(() => createArkClient({ credentials, parallelism: 2.5 })),
    "invalid_parallelism",
  );
});

test.run();
