// Signature checks over HTTP against requests made by the real @volcengine/openapi client.
import { createHash } from "node:crypto";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { arkClient, errorCode, ok, sendSigned, startTestEmulator, testCredentials } from "./helpers.js";

test("the SDK's signed requests are accepted, and the envelope is Ark's", async () => {
  const emulator = await startTestEmulator();
  try {
    const answer = await arkClient(emulator).call("ListEndpoints", { PageSize: 100 });
    assert.is(answer.ResponseMetadata.Error, undefined);
    const { RequestId, ...metadata } = answer.ResponseMetadata;
    assert.equal(metadata, {
      Action: "ListEndpoints",
      Version: "2024-01-01",
      Service: "ark",
      Region: "cn-beijing",
    });
    assert.match(RequestId, /^\d{14}[0-9A-F]{18}$/);
    assert.equal(answer.Result, { TotalCount: 0, PageNumber: 1, PageSize: 100, Items: [] });
  } finally {
    await emulator.close();
  }
});

test("a session token is signed and accepted; a required one is checked", async () => {
  const open = await startTestEmulator();
  const strict = await startTestEmulator({ sessionToken: "STS2session-token" });
  try {
    await ok(arkClient(open, { sessionToken: "STS2any-token" }).call("ListEndpoints"));
    await ok(arkClient(strict, { sessionToken: "STS2session-token" }).call("ListEndpoints"));
    assert.is(
      errorCode(await arkClient(strict, { sessionToken: "STS2other" }).call("ListEndpoints")),
      "InvalidSecretToken",
    );
    assert.is(errorCode(await arkClient(strict).call("ListEndpoints")), "InvalidSecretToken");
  } finally {
    await open.close();
    await strict.close();
  }
});

test("wrong secret, unknown access key and wrong region are refused with Ark's codes", async () => {
  const emulator = await startTestEmulator();
  try {
    const wrongSecret = await arkClient(emulator, { secretKey: "not-the-secret" }).call("ListEndpoints");
    assert.is(errorCode(wrongSecret), "SignatureDoesNotMatch");
    assert.is(wrongSecret.ResponseMetadata.Error?.CodeN, 100010);
    assert.is(wrongSecret.Result, undefined);
    assert.is((await sendSigned(emulator, "ListEndpoints", {}, { secretKey: "not-the-secret" })).status, 401);

    const unknownKey = await sendSigned(emulator, "ListEndpoints", {}, { accessKeyId: "AKLTnobody" });
    assert.equal([unknownKey.status, errorCode(unknownKey.body)], [401, "InvalidAccessKey"]);
    assert.not.match(JSON.stringify(unknownKey.body), "AKLTnobody");

    // The SDK's default region is cn-north-1: the scope must name the emulator's region.
    const wrongRegion = await arkClient(emulator, { region: "cn-north-1" }).call("ListEndpoints");
    assert.is(errorCode(wrongRegion), "InvalidCredential");
    assert.match(wrongRegion.ResponseMetadata.Error?.Message ?? "", /cn-north-1.*cn-beijing/);
  } finally {
    await emulator.close();
  }
});

test("a body changed after signing, a missing Authorization and a stale X-Date are refused", async () => {
  const emulator = await startTestEmulator();
  try {
    const body = { Name: "chat", ModelReference: { CustomModelId: "cm-1" } };
    const signed = await sendSigned(emulator, "ListEndpoints", { PageSize: 5 });
    assert.is(signed.status, 200);

    const bodyOnly = await sendSigned(emulator, "CreateEndpoint", body, {
      tamper: (request) => {
        request.body = JSON.stringify({ ...body, Name: "evil" });
      },
    });
    assert.equal([bodyOnly.status, errorCode(bodyOnly.body)], [401, "SignatureDoesNotMatch"]);

    const bodyAndHash = await sendSigned(emulator, "CreateEndpoint", body, {
      tamper: (request) => {
        request.body = JSON.stringify({ ...body, Name: "evil" });
        request.headers["X-Content-Sha256"] = createHash("sha256").update(request.body).digest("hex");
      },
    });
    assert.equal([bodyAndHash.status, errorCode(bodyAndHash.body)], [401, "SignatureDoesNotMatch"]);
    assert.is(emulator.listEndpoints().length, 0);

    const unsigned = await sendSigned(
      emulator,
      "ListEndpoints",
      {},
      {
        tamper: (request) => {
          delete request.headers.Authorization;
        },
      },
    );
    assert.equal([unsigned.status, errorCode(unsigned.body)], [401, "MissingAuthenticationToken"]);

    const stale = await sendSigned(emulator, "ListEndpoints", {}, { date: new Date(Date.now() - 3600_000) });
    assert.equal([stale.status, errorCode(stale.body)], [400, "InvalidTimestamp"]);

    for (const answer of [bodyOnly, bodyAndHash, unsigned, stale]) {
      assert.not.match(JSON.stringify(answer.body), testCredentials.secretKey);
    }
  } finally {
    await emulator.close();
  }
});

test.run();
