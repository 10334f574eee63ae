// UpdateEndpoint's allowed fields, routing errors (unknown action, wrong version, method, body), the
// marker header on every answer, and the hooks that change or delete endpoints "outside ark-sync".
import { Service } from "@volcengine/openapi";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  arkClient,
  errorCode,
  foundationModel,
  ok,
  sendSigned,
  startTestEmulator,
  testCredentials,
} from "./helpers.js";

test("UpdateEndpoint changes Name, Description, RateLimit, Moderation and Tags in place and nothing else", async () => {
  let now = Date.now();
  const emulator = await startTestEmulator({ now: () => now });
  const ark = arkClient(emulator);
  try {
    const seeded = await emulator.seedEndpoint({
      Name: "old",
      Description: "before",
      ModelReference: foundationModel,
      RateLimit: { Rpm: 10, Tpm: 1000 },
    });
    now += 5000;
    assert.equal(
      await ok(ark.call("UpdateEndpoint", { Id: seeded.Id, Name: "new", RateLimit: { Tpm: 2000 } })),
      {},
    );
    const updated = await ok(ark.call("GetEndpoint", { Id: seeded.Id }));
    assert.equal(
      [updated.Name, updated.Description, updated.RateLimit, updated.Id],
      ["new", "before", { Tpm: 2000 }, seeded.Id],
    );
    assert.is(Date.parse(updated.UpdateTime) - Date.parse(seeded.UpdateTime), 5000);

    await ok(ark.call("UpdateEndpoint", { Id: seeded.Id, Description: "" }));
    assert.is((await ok(ark.call("GetEndpoint", { Id: seeded.Id }))).Description, "");

    now += 1000;
    await ok(ark.call("UpdateEndpoint", { Id: seeded.Id, Moderation: { Strategy: "Basic" } }));
    const moderated = await ok(ark.call("GetEndpoint", { Id: seeded.Id }));
    assert.equal([moderated.Moderation, moderated.Id], [{ Strategy: "Basic" }, seeded.Id]);
    assert.is(Date.parse(moderated.UpdateTime) - Date.parse(seeded.UpdateTime), 6000);
    const strict = await sendSigned(emulator, "UpdateEndpoint", {
      Id: seeded.Id,
      Moderation: { Strategy: "Strict" },
    });
    assert.equal([strict.status, errorCode(strict.body)], [400, "InvalidParameter"]);
    assert.match(strict.body.ResponseMetadata.Error?.Message ?? "", "Moderation.Strategy");

    for (const field of ["ModelUnitId", "ModelReference", "ProjectName"]) {
      const answer = await sendSigned(emulator, "UpdateEndpoint", { Id: seeded.Id, [field]: "x" });
      assert.equal([answer.status, errorCode(answer.body)], [400, "InvalidParameter"], field);
      assert.match(answer.body.ResponseMetadata.Error?.Message ?? "", field);
    }
    assert.is(errorCode(await ark.call("UpdateEndpoint", { Id: seeded.Id, Name: "" })), "InvalidParameter");
    assert.is(errorCode(await ark.call("UpdateEndpoint", { Name: "x" })), "MissingParameter");
    assert.is(errorCode(await ark.call("UpdateEndpoint", { Id: "ep-nope", Name: "x" })), "NotFound.Endpoint");
  } finally {
    await emulator.close();
  }
});

test("UpdateEndpoint's Tags replace the endpoint's tags, but for Ark's own ones it does not name", async () => {
  const emulator = await startTestEmulator();
  const ark = arkClient(emulator);
  try {
    const { Id } = await ok(
      ark.call("CreateEndpoint", {
        Name: "tagged",
        ModelReference: foundationModel,
        Tags: [
          { Key: "team", Value: "a" },
          { Key: "env", Value: "prod" },
        ],
      }),
    );
    const tagsOf = async () => (await ok(ark.call("GetEndpoint", { Id }))).Tags;
    assert.equal(await tagsOf(), [
      { Key: "env", Value: "prod" },
      { Key: "sys:created-by", Value: "ark-emulator" },
      { Key: "team", Value: "a" },
    ]);
    await ok(ark.call("UpdateEndpoint", { Id, Tags: [{ Key: "team", Value: "b" }] }));
    assert.equal(await tagsOf(), [
      { Key: "sys:created-by", Value: "ark-emulator" },
      { Key: "team", Value: "b" },
    ]);
    await ok(ark.call("UpdateEndpoint", { Id, Tags: [] }));
    assert.equal(await tagsOf(), [{ Key: "sys:created-by", Value: "ark-emulator" }]);
    const repeated = await ark.call("UpdateEndpoint", {
      Id,
      Tags: [
        { Key: "k", Value: "1" },
        { Key: "k", Value: "2" },
      ],
    });
    assert.is(errorCode(repeated), "InvalidParameter");
    assert.is(errorCode(await ark.call("UpdateEndpoint", { Id, Tags: "x" })), "InvalidParameter");
  } finally {
    await emulator.close();
  }
});

test("every answer carries the emulator's marker header, a refusal of an unsigned call too", async () => {
  const emulator = await startTestEmulator();
  try {
    const unsigned = await fetch(emulator.url);
    assert.is(unsigned.status, 405);
    assert.is(unsigned.headers.get("x-ark-sync-emulator"), "1");
    const signed = await sendSigned(emulator, "ListEndpoints", {});
    assert.is(signed.status, 200);
    assert.is(signed.headers.get("x-ark-sync-emulator"), "1");
  } finally {
    await emulator.close();
  }
});

test("RateLimit members other than Rpm and Tpm are stored and returned; an update replaces the whole", async () => {
  const emulator = await startTestEmulator();
  const ark = arkClient(emulator);
  try {
    const created = await ok(
      ark.call("CreateEndpoint", {
        Name: "images",
        ModelReference: foundationModel,
        RateLimit: { Rpm: 10, Ipm: 50 },
      }),
    );
    assert.equal((await ok(ark.call("GetEndpoint", { Id: created.Id }))).RateLimit, { Rpm: 10, Ipm: 50 });
    await ok(ark.call("UpdateEndpoint", { Id: created.Id, RateLimit: { Rpm: 20, Ipm: 60 } }));
    assert.equal((await ok(ark.call("GetEndpoint", { Id: created.Id }))).RateLimit, { Rpm: 20, Ipm: 60 });
    await ok(ark.call("UpdateEndpoint", { Id: created.Id, RateLimit: { Rpm: 30 } }));
    assert.equal((await ok(ark.call("GetEndpoint", { Id: created.Id }))).RateLimit, { Rpm: 30 });
    const negative = await ark.call("UpdateEndpoint", { Id: created.Id, RateLimit: { Ipm: -1 } });
    assert.is(errorCode(negative), "InvalidParameter");
  } finally {
    await emulator.close();
  }
});

test("UpdateEndpoint is refused while the endpoint is Scheduling", async () => {
  const emulator = await startTestEmulator({ provisioningDelayMs: 60_000 });
  const ark = arkClient(emulator);
  try {
    const { Id } = await ok(ark.call("CreateEndpoint", { Name: "busy", ModelReference: foundationModel }));
    const answer = await sendSigned(emulator, "UpdateEndpoint", { Id, Name: "renamed" });
    assert.equal([answer.status, errorCode(answer.body)], [403, "OperationDenied.EndpointStatus"]);
    assert.is(emulator.getEndpoint(Id)?.Name, "busy");
  } finally {
    await emulator.close();
  }
});

test("unknown action, wrong version and GET are refused", async () => {
  const emulator = await startTestEmulator();
  const ark = arkClient(emulator);
  try {
    const unknown = await sendSigned(emulator, "TagResources", {});
    assert.equal([unknown.status, errorCode(unknown.body)], [404, "InvalidActionOrVersion"]);
    assert.is(unknown.body.ResponseMetadata.Error?.CodeN, 100008);
    assert.is(unknown.body.ResponseMetadata.Action, "TagResources");
    assert.is(errorCode(await ark.call("ListEndpoints", {}, "2023-01-01")), "InvalidActionOrVersion");
    const oldVersion = await sendSigned(emulator, "ListEndpoints", {}, { version: "2025-06-01" });
    assert.is(oldVersion.status, 404);

    const get = await fetch(`${emulator.url}/?Action=ListEndpoints&Version=2024-01-01`);
    assert.is(get.status, 405);
    assert.is(
      ((await get.json()) as { ResponseMetadata: { Error: { Code: string } } }).ResponseMetadata.Error.Code,
      "MethodNotAllowed",
    );
  } finally {
    await emulator.close();
  }
});

test("a signed body that is not a JSON object is InvalidParameter", async () => {
  const emulator = await startTestEmulator();
  try {
    for (const text of ["[1,2]", "PageSize=10", '"text"']) {
      const service = new Service({
        serviceName: "ark",
        region: "cn-beijing",
        host: `127.0.0.1:${emulator.port}`,
        protocol: "http:",
        defaultVersion: "2024-01-01",
        accessKeyId: testCredentials.accessKey,
        secretKey: testCredentials.secretKey,
      });
      // A string body is signed and sent as it is.
      const answer = (await service.fetchOpenAPI({
        Action: "ListEndpoints",
        method: "POST",
        data: text,
      })) as {
        ResponseMetadata: { Error?: { Code: string } };
      };
      assert.is(answer.ResponseMetadata.Error?.Code, "InvalidParameter", text);
    }
  } finally {
    await emulator.close();
  }
});

test("changes and deletions outside ark-sync are visible through the API", async () => {
  const emulator = await startTestEmulator();
  const ark = arkClient(emulator);
  try {
    const seeded = await emulator.seedEndpoint({
      Name: "drifty",
      ModelReference: foundationModel,
      Tags: [{ Key: "env", Value: "prod" }],
    });
    await emulator.changeEndpoint(seeded.Id, {
      Description: "edited in the console",
      Tags: [
        { Key: "owner", Value: "ops" },
        { Key: "env", Value: "staging" },
      ],
      ModelReference: { CustomModelId: "cm-2" },
    });
    const live = await ok(ark.call("GetEndpoint", { Id: seeded.Id }));
    assert.is(live.Description, "edited in the console");
    assert.equal(live.Tags, [
      { Key: "env", Value: "staging" },
      { Key: "owner", Value: "ops" },
    ]);
    assert.is(live.EndpointModelType, "CustomModel");
    await emulator.deleteEndpoint(seeded.Id);
    assert.is(errorCode(await ark.call("GetEndpoint", { Id: seeded.Id })), "NotFound.Endpoint");
    const refused = await emulator.markAbnormal(seeded.Id, "x").then(
      () => "accepted",
      (error: Error) => error.message,
    );
    assert.match(refused, `no endpoint ${seeded.Id}`);
  } finally {
    await emulator.close();
  }
});

test.run();
