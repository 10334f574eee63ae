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

test("without --api-url the host is the region's Ark host (82379/1298459)", () => {
  assert.equal(parseApiUrl(undefined, "cn-beijing"), {
    host: "ark.cn-beijing.volcengineapi.com",
    protocol: "https:",
  });
  assert.equal(parseApiUrl("", "cn-shanghai"), {
    host: "ark.cn-shanghai.volcengineapi.com",
    protocol: "https:",
  });
  assert.equal(parseApiUrl(undefined, "ap-southeast-1"), {
    host: "ark.ap-southeast-1.volcengineapi.com",
    protocol: "https:",
  });
  for (const region of ["", "cn beijing", "CN-BEIJING", "cn-beijing.evil.example", "x/y", "-cn"]) {
    assert.is(
      usageCode(() => parseApiUrl(undefined, region)),
      "invalid_region",
      region,
    );
  }
});

test("--api-url: replaces the host whatever the region; what is refused", () => {
  assert.equal(parseApiUrl("http://127.0.0.1:8787", "cn-beijing"), {
    host: "127.0.0.1:8787",
    protocol: "http:",
  });
  assert.equal(parseApiUrl("https://open.volcengineapi.com/", "cn-shanghai"), {
    host: "open.volcengineapi.com",
    protocol: "https:",
  });
  assert.equal(parseApiUrl("http://127.0.0.1:8787", "not a region"), {
    host: "127.0.0.1:8787",
    protocol: "http:",
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
      usageCode(() => parseApiUrl(url, "cn-beijing")),
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
      parseApiUrl(url, "cn-beijing");
    } catch (error) {
      message = (error as Error).message;
    }
    assert.match(message, "--api-url", url);
    assert.not.match(message, "SECRET", message);
    assert.match(message, "***@host");
  }
});

test("createArkClient refuses a bad URL, region or parallelism at once, before any request", () => {
  const credentials = { accessKeyId: "AKLTx", secretKey: "s" };
  assert.is(
    usageCode(() => createArkClient({ credentials, apiUrl: "http://host/path" })),
    "invalid_api_url",
  );
  assert.is(
    usageCode(() => createArkClient({ credentials, region: "cn beijing" })),
    "invalid_region",
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
