// Endpoint lifecycle through the real client: create → Scheduling → Running, stop/start, delete,
// Abnormal, Failed, DryRun, and the shape GetEndpoint returns.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  arkClient,
  errorCode,
  foundationModel,
  ok,
  sendSigned,
  startTestEmulator,
  waitFor,
} from "./helpers.js";

const getEndpointKeys = [
  "BatchOnly",
  "CreateTime",
  "Description",
  "EndpointModelType",
  "Id",
  "ModelReference",
  "ModelUnitId",
  "Moderation",
  "Name",
  "ProjectName",
  "RateLimit",
  "RollingId",
  "ScaleTierId",
  "Status",
  "StatusReason",
  "SupportRolling",
  "SupportScaleTier",
  "Tags",
  "UpdateTime",
];

test("create → Scheduling → Running on the emulator's clock; stop, start, delete", async () => {
  let now = Date.now();
  const emulator = await startTestEmulator({ provisioningDelayMs: 30_000, now: () => now });
  const ark = arkClient(emulator);
  try {
    const created = await ok(
      ark.call("CreateEndpoint", {
        Name: "chat-prod",
        Description: "chat",
        ProjectName: "team-a",
        ModelReference: foundationModel,
        RateLimit: { Rpm: 100 },
        Tags: [
          { Key: "env", Value: "prod" },
          { Key: "ark-sync:address", Value: "team-a/chat-prod" },
          { Key: "volc:billing", Value: "x" },
        ],
      }),
    );
    assert.equal(Object.keys(created), ["Id"]);
    assert.match(created.Id, /^ep-\d{14}-[a-z0-9]{5}$/);
    const id: string = created.Id;

    const scheduling = await ok(ark.call("GetEndpoint", { Id: id }));
    assert.equal(Object.keys(scheduling).sort(), getEndpointKeys.sort());
    assert.is(scheduling.Status, "Scheduling");
    assert.is(scheduling.EndpointModelType, "FoundationModel");
    assert.equal([scheduling.SupportRolling, scheduling.RollingId], [true, ""]);
    assert.equal(scheduling.ModelReference, foundationModel);
    assert.equal(scheduling.RateLimit, { Rpm: 100 });
    assert.equal(scheduling.Moderation, { Strategy: "Default" });
    assert.equal(scheduling.Tags, [
      { Key: "ark-sync:address", Value: "team-a/chat-prod" },
      { Key: "env", Value: "prod" },
      { Key: "sys:created-by", Value: "ark-emulator" },
      { Key: "volc:billing", Value: "x" },
    ]);
    assert.match(scheduling.CreateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    now += 29_000;
    assert.is((await ok(ark.call("GetEndpoint", { Id: id }))).Status, "Scheduling");
    now += 1_000;
    const running = await ok(ark.call("GetEndpoint", { Id: id }));
    assert.is(running.Status, "Running");
    assert.is(Date.parse(running.UpdateTime) - Date.parse(running.CreateTime), 30_000);

    await ok(ark.call("StopEndpoint", { Id: id }));
    assert.is((await ok(ark.call("GetEndpoint", { Id: id }))).Status, "Stopped");
    await ok(ark.call("StopEndpoint", { Id: id }));
    assert.is((await ok(ark.call("GetEndpoint", { Id: id }))).Status, "Stopped");

    assert.equal(await ok(ark.call("StartEndpoint", { Id: id })), {});
    assert.is((await ok(ark.call("GetEndpoint", { Id: id }))).Status, "Scheduling");
    now += 30_000;
    assert.is((await ok(ark.call("GetEndpoint", { Id: id }))).Status, "Running");

    const refused = await sendSigned(emulator, "DeleteEndpoint", { Id: id });
    assert.equal([refused.status, errorCode(refused.body)], [403, "OperationDenied.EndpointStatus"]);
    assert.is((await ok(ark.call("GetEndpoint", { Id: id }))).Status, "Running");
    await ok(ark.call("StopEndpoint", { Id: id }));
    assert.equal(await ok(ark.call("DeleteEndpoint", { Id: id })), {});
    const gone = await sendSigned(emulator, "GetEndpoint", { Id: id });
    assert.equal([gone.status, errorCode(gone.body)], [404, "NotFound.Endpoint"]);
    assert.match(gone.body.ResponseMetadata.Error?.Message ?? "", id);
    assert.is(errorCode(await ark.call("DeleteEndpoint", { Id: id })), "NotFound.Endpoint");
  } finally {
    await emulator.close();
  }
});

test("with a real delay, polling GetEndpoint sees Running", async () => {
  const emulator = await startTestEmulator({ provisioningDelayMs: 50 });
  const ark = arkClient(emulator);
  try {
    const { Id } = await ok(
      ark.call("CreateEndpoint", { Name: "poll", ModelReference: { CustomModelId: "cm-7" } }),
    );
    const endpoint = await waitFor(async () => {
      const result = await ok(ark.call("GetEndpoint", { Id }));
      return result.Status === "Running" ? result : undefined;
    });
    assert.is(endpoint.EndpointModelType, "CustomModel");
    assert.is(endpoint.SupportRolling, false, "a custom model cannot switch");
    assert.is(endpoint.ProjectName, "default");
  } finally {
    await emulator.close();
  }
});

test("markAbnormal shows Abnormal with its reason; start brings it back", async () => {
  let now = Date.now();
  const emulator = await startTestEmulator({ provisioningDelayMs: 1000, now: () => now });
  const ark = arkClient(emulator);
  try {
    const seeded = await emulator.seedEndpoint({ Name: "ab", ModelReference: foundationModel });
    assert.is(seeded.Status, "Running");
    await emulator.markAbnormal(seeded.Id, "GPU quota exhausted");
    const abnormal = await ok(ark.call("GetEndpoint", { Id: seeded.Id }));
    assert.equal([abnormal.Status, abnormal.StatusReason], ["Abnormal", "GPU quota exhausted"]);
    await ok(ark.call("StartEndpoint", { Id: seeded.Id }));
    now += 1000;
    const back = await ok(ark.call("GetEndpoint", { Id: seeded.Id }));
    assert.equal([back.Status, back.StatusReason], ["Running", ""]);
  } finally {
    await emulator.close();
  }
});

test("an abnormal fault makes the next create end Abnormal after provisioning", async () => {
  let now = Date.now();
  const emulator = await startTestEmulator({ provisioningDelayMs: 1000, now: () => now });
  const ark = arkClient(emulator);
  try {
    emulator.injectFault({
      action: "CreateEndpoint",
      kind: "abnormal",
      reason: "no capacity in cn-beijing-a",
    });
    const { Id } = await ok(ark.call("CreateEndpoint", { Name: "doomed", ModelReference: foundationModel }));
    const next = await ok(ark.call("CreateEndpoint", { Name: "fine", ModelReference: foundationModel }));
    assert.is((await ok(ark.call("GetEndpoint", { Id }))).Status, "Scheduling");
    now += 1000;
    const failed = await ok(ark.call("GetEndpoint", { Id }));
    assert.equal([failed.Status, failed.StatusReason], ["Abnormal", "no capacity in cn-beijing-a"]);
    assert.is((await ok(ark.call("GetEndpoint", { Id: next.Id }))).Status, "Running");
  } finally {
    await emulator.close();
  }
});

test("a failed fault makes the next create end Failed; markFailed; start brings it back", async () => {
  let now = Date.now();
  const emulator = await startTestEmulator({ provisioningDelayMs: 1000, now: () => now });
  const ark = arkClient(emulator);
  try {
    emulator.injectFault({ action: "CreateEndpoint", kind: "failed", reason: "ImagePullBackOff" });
    const { Id } = await ok(ark.call("CreateEndpoint", { Name: "doomed", ModelReference: foundationModel }));
    assert.is((await ok(ark.call("GetEndpoint", { Id }))).Status, "Scheduling");
    now += 1000;
    const failed = await ok(ark.call("GetEndpoint", { Id }));
    assert.equal([failed.Status, failed.StatusReason], ["Failed", "ImagePullBackOff"]);
    const listed = await ok(ark.call("ListEndpoints", { Filter: { Statuses: ["Failed"] } }));
    assert.equal(
      listed.Items.map((item: { Id: string }) => item.Id),
      [Id],
    );

    await ok(ark.call("StartEndpoint", { Id }));
    now += 1000;
    const back = await ok(ark.call("GetEndpoint", { Id }));
    assert.equal([back.Status, back.StatusReason], ["Running", ""]);

    await emulator.markFailed(Id, "OOMKilled");
    const marked = await ok(ark.call("GetEndpoint", { Id }));
    assert.equal([marked.Status, marked.StatusReason], ["Failed", "OOMKilled"]);
  } finally {
    await emulator.close();
  }
});

test("DryRun answers DryRunOperation after every check and creates nothing; duplicate names are allowed", async () => {
  const emulator = await startTestEmulator();
  const ark = arkClient(emulator);
  try {
    const body = { Name: "same", ModelReference: foundationModel };
    const passed = await sendSigned(emulator, "CreateEndpoint", { ...body, DryRun: true });
    assert.equal([passed.status, errorCode(passed.body)], [400, "DryRunOperation"]);
    assert.is(passed.body.Result, undefined);
    assert.is(emulator.listEndpoints().length, 0);
    assert.is(errorCode(await ark.call("CreateEndpoint", { Name: "x", DryRun: true })), "MissingParameter");
    const unknownModel = { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "991231" } };
    const refused = await sendSigned(emulator, "CreateEndpoint", {
      Name: "x",
      ModelReference: unknownModel,
      DryRun: true,
    });
    assert.equal([refused.status, errorCode(refused.body)], [400, "InvalidParameter.ModelReference"]);
    assert.match(refused.body.ResponseMetadata.Error?.Message ?? "", /no version 991231; it has 250115/);
    const first = await ok(ark.call("CreateEndpoint", body));
    const second = await ok(ark.call("CreateEndpoint", body));
    assert.is.not(first.Id, second.Id);
    assert.is(emulator.listEndpoints().length, 2);
  } finally {
    await emulator.close();
  }
});

test("CreateEndpoint names the bad parameter", async () => {
  const emulator = await startTestEmulator();
  try {
    const cases: Array<[object, string, RegExp]> = [
      [{ ModelReference: foundationModel }, "MissingParameter", /\bName\b/],
      [{ Name: "", ModelReference: foundationModel }, "MissingParameter", /\bName\b/],
      [{ Name: "a" }, "MissingParameter", /\bModelReference\b/],
      [
        { Name: "a", ModelReference: { ...foundationModel, CustomModelId: "cm" } },
        "InvalidParameter",
        /ModelReference.*exactly one/,
      ],
      [{ Name: "a", ModelReference: {} }, "InvalidParameter", /ModelReference/],
      [
        { Name: "a", ModelReference: { FoundationModel: { Name: "m" } } },
        "MissingParameter",
        /ModelReference\.FoundationModel\.ModelVersion/,
      ],
      [{ Name: "a", ModelReference: foundationModel, Colour: "red" }, "InvalidParameter", /\bColour\b/],
      [
        {
          Name: "a",
          ModelReference: foundationModel,
          Tags: [
            { Key: "k", Value: "1" },
            { Key: "k", Value: "2" },
          ],
        },
        "InvalidParameter",
        /Tags\[1\]\.Key/,
      ],
      [
        { Name: "a", ModelReference: foundationModel, Moderation: { Strategy: "Strict" } },
        "InvalidParameter",
        /Moderation\.Strategy/,
      ],
      [
        { Name: "a", ModelReference: foundationModel, RateLimit: { Rpm: -1 } },
        "InvalidParameter",
        /RateLimit\.Rpm/,
      ],
      [{ Name: 7, ModelReference: foundationModel }, "InvalidParameter", /\bName\b/],
      [
        {
          Name: "a",
          ModelReference: { FoundationModel: { Name: "doubao-pro-typo", ModelVersion: "250115" } },
        },
        "InvalidParameter.ModelReference",
        /doubao-pro-typo does not exist/,
      ],
    ];
    for (const [body, code, message] of cases) {
      const answer = await sendSigned(emulator, "CreateEndpoint", body);
      assert.is(answer.status, 400, JSON.stringify(body));
      assert.is(errorCode(answer.body), code, JSON.stringify(body));
      assert.match(answer.body.ResponseMetadata.Error?.Message ?? "", message);
    }
    assert.is(emulator.listEndpoints().length, 0);
  } finally {
    await emulator.close();
  }
});

test("GetEndpointCertificate returns PEM strings and a validity window", async () => {
  const emulator = await startTestEmulator();
  const ark = arkClient(emulator);
  try {
    const { Id } = await ok(ark.call("CreateEndpoint", { Name: "e2e", ModelReference: foundationModel }));
    const certificate = await ok(ark.call("GetEndpointCertificate", { Id, Type: "AICCv0.1" }));
    for (const key of ["PCAInstanceCertificate", "PCASubCACertificate", "PCARootCACertificate"]) {
      assert.match(
        certificate[key],
        /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE-----\n$/,
      );
    }
    assert.ok(Number.isInteger(certificate.NotBefore) && certificate.NotAfter > certificate.NotBefore);
    assert.is(errorCode(await ark.call("GetEndpointCertificate", { Id: "ep-missing" })), "NotFound.Endpoint");
  } finally {
    await emulator.close();
  }
});

test.run();
