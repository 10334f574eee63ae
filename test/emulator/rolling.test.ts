// Model switches through the real SDK: CreateEndpointRolling, GetEndpointRolling, rollback and cancel
// on the emulator's clock, their refusals, DryRun, and the test hooks (docs/ark-api.md, Emulator choices).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isArkSyncError } from "../../src/core/errors.js";
import type { Emulator, EmulatorOptions } from "../../src/emulator/start-emulator.js";
import { arkClient, errorCode, foundationModel, ok, sendSigned, startTestEmulator } from "./helpers.js";

const newer = { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250415" } };

/** An emulator on a clock the test moves, at 20 % every 200 ms (the defaults), with one Running endpoint. */
async function setUp(options: Partial<EmulatorOptions> = {}) {
  const clock = { now: Date.now() };
  const emulator = await startTestEmulator({ now: () => clock.now, ...options });
  const endpoint = await emulator.seedEndpoint({ Name: "chat", ModelReference: foundationModel });
  return { clock, emulator, ark: arkClient(emulator), id: endpoint.Id };
}

async function refusal(emulator: Emulator, action: string, body: object): Promise<[number, string?]> {
  const answer = await sendSigned(emulator, action, body);
  return [answer.status, errorCode(answer.body)];
}

test("a switch rises 20 % every 200 ms; at 100 % the endpoint serves the new model and RollingId clears", async () => {
  const { clock, emulator, ark, id } = await setUp();
  try {
    const created = await ok(ark.call("CreateEndpointRolling", { EndpointId: id, ModelReference: newer }));
    assert.equal(Object.keys(created), ["Id"]);
    assert.match(created.Id, /^eprol-\d{14}-[a-z0-9]{5}$/);
    const rolling = await ok(ark.call("GetEndpointRolling", { Id: created.Id }));
    assert.equal(rolling, {
      RollingInfo: {
        Id: created.Id,
        EndpointId: id,
        Status: "Running",
        RollingGray: 0,
        RollingStrategy: { Step: 2, WaitDuration: 1 },
        RollingIn: newer.FoundationModel,
        RollingOut: foundationModel.FoundationModel,
      },
    });
    const during = await ok(ark.call("GetEndpoint", { Id: id }));
    assert.equal(
      [during.ModelReference, during.RollingId, during.Status],
      [foundationModel, created.Id, "Running"],
    );
    const listed = await ok(ark.call("ListEndpoints", {}));
    assert.is(listed.Items[0].RollingId, created.Id, "list items carry RollingId");

    const grays: number[] = [];
    for (let step = 0; step < 4; step++) {
      clock.now += 200;
      const info = (await ok(ark.call("GetEndpointRolling", { Id: created.Id }))).RollingInfo;
      assert.is(info.Status, "Running");
      grays.push(info.RollingGray);
    }
    assert.equal(grays, [20, 40, 60, 80]);
    assert.equal((await ok(ark.call("GetEndpoint", { Id: id }))).ModelReference, foundationModel);

    clock.now += 199;
    assert.is((await ok(ark.call("GetEndpointRolling", { Id: created.Id }))).RollingInfo.RollingGray, 80);
    clock.now += 1;
    const done = (await ok(ark.call("GetEndpointRolling", { Id: created.Id }))).RollingInfo;
    assert.equal([done.Status, done.RollingGray], ["Completed", 100]);
    const after = await ok(ark.call("GetEndpoint", { Id: id }));
    assert.equal([after.ModelReference, after.RollingId, after.Id], [newer, "", id]);
    assert.is(Date.parse(after.UpdateTime) - Date.parse(during.UpdateTime), 1000);
  } finally {
    await emulator.close();
  }
});

test("an injected failure stops at its percent; rollback steps back to Reverted on the old model", async () => {
  const { clock, emulator, ark, id } = await setUp();
  try {
    emulator.failNextModelSwitch({ atPercent: 50, reason: "new model unhealthy" });
    const { Id } = await ok(ark.call("CreateEndpointRolling", { EndpointId: id, ModelReference: newer }));
    clock.now += 2000;
    const failed = (await ok(ark.call("GetEndpointRolling", { Id }))).RollingInfo;
    assert.equal([failed.Status, failed.RollingGray], ["Failed", 50]);
    const endpoint = await ok(ark.call("GetEndpoint", { Id: id }));
    assert.equal(
      [endpoint.Status, endpoint.StatusReason, endpoint.RollingId, endpoint.ModelReference],
      ["Running", "new model unhealthy", Id, foundationModel],
    );

    assert.equal(await ok(ark.call("RollbackEndpointRolling", { Id })), {});
    const grays: Array<[string, number]> = [];
    for (let step = 0; step < 3; step++) {
      const info = (await ok(ark.call("GetEndpointRolling", { Id }))).RollingInfo;
      grays.push([info.Status, info.RollingGray]);
      clock.now += 200;
    }
    assert.equal(grays, [
      ["Reverting", 50],
      ["Reverting", 30],
      ["Reverting", 10],
    ]);
    const reverted = (await ok(ark.call("GetEndpointRolling", { Id }))).RollingInfo;
    assert.equal([reverted.Status, reverted.RollingGray], ["Reverted", 0]);
    const back = await ok(ark.call("GetEndpoint", { Id: id }));
    assert.equal([back.ModelReference, back.RollingId, back.StatusReason], [foundationModel, "", ""]);

    const next = await ok(ark.call("CreateEndpointRolling", { EndpointId: id, ModelReference: newer }));
    clock.now += 1000;
    assert.is(
      emulator.getModelSwitch(next.Id)?.Status,
      "Completed",
      "the failure applied to one switch only",
    );
  } finally {
    await emulator.close();
  }
});

test("cancel returns to 0 % at once; rollback of a Reverting switch changes nothing", async () => {
  const { clock, emulator, ark, id } = await setUp();
  try {
    const first = await ok(ark.call("CreateEndpointRolling", { EndpointId: id, ModelReference: newer }));
    clock.now += 400;
    assert.equal(await ok(ark.call("CancelEndpointRolling", { Id: first.Id })), {});
    assert.equal(emulator.getModelSwitch(first.Id), {
      Id: first.Id,
      EndpointId: id,
      Status: "Reverted",
      RollingGray: 0,
      RollingStrategy: { Step: 2, WaitDuration: 1 },
      RollingIn: newer.FoundationModel,
      RollingOut: foundationModel.FoundationModel,
    });
    assert.equal(
      [emulator.getEndpoint(id)?.RollingId, emulator.getEndpoint(id)?.ModelReference],
      ["", foundationModel],
    );

    const second = await ok(ark.call("CreateEndpointRolling", { EndpointId: id, ModelReference: newer }));
    clock.now += 600;
    await ok(ark.call("RollbackEndpointRolling", { Id: second.Id }));
    clock.now += 200;
    await ok(ark.call("RollbackEndpointRolling", { Id: second.Id }));
    assert.equal(
      [emulator.getModelSwitch(second.Id)?.Status, emulator.getModelSwitch(second.Id)?.RollingGray],
      ["Reverting", 40],
    );
    await ok(ark.call("CancelEndpointRolling", { Id: second.Id }));
    assert.is(emulator.getModelSwitch(second.Id)?.Status, "Reverted");
  } finally {
    await emulator.close();
  }
});

test("rollbackOneStep: a rollback steps back one step and holds there, Reverting; each rollback one more", async () => {
  const { clock, emulator, ark, id } = await setUp({ rollbackOneStep: true });
  try {
    const { Id } = await ok(ark.call("CreateEndpointRolling", { EndpointId: id, ModelReference: newer }));
    clock.now += 400;
    await ok(ark.call("RollbackEndpointRolling", { Id }));
    const states: Array<[string, number]> = [];
    for (let step = 0; step < 3; step++) {
      const info = (await ok(ark.call("GetEndpointRolling", { Id }))).RollingInfo;
      states.push([info.Status, info.RollingGray]);
      clock.now += 200;
    }
    assert.equal(states, [
      ["Reverting", 40],
      ["Reverting", 20],
      ["Reverting", 20],
    ]);
    assert.is((await ok(ark.call("GetEndpoint", { Id: id }))).RollingId, Id, "the switch still holds it");
    await ok(ark.call("RollbackEndpointRolling", { Id }));
    clock.now += 200;
    const back = (await ok(ark.call("GetEndpointRolling", { Id }))).RollingInfo;
    assert.equal([back.Status, back.RollingGray], ["Reverted", 0]);
    assert.equal(
      [emulator.getEndpoint(id)?.RollingId, emulator.getEndpoint(id)?.ModelReference],
      ["", foundationModel],
    );
  } finally {
    await emulator.close();
  }
});

test("stallNextModelSwitch: the switch stops rising and stays Running until cancelled", async () => {
  const { clock, emulator, ark, id } = await setUp();
  try {
    emulator.stallNextModelSwitch({ atPercent: 40 });
    const { Id } = await ok(ark.call("CreateEndpointRolling", { EndpointId: id, ModelReference: newer }));
    clock.now += 5000;
    const stalled = (await ok(ark.call("GetEndpointRolling", { Id }))).RollingInfo;
    assert.equal([stalled.Status, stalled.RollingGray], ["Running", 40]);
    assert.equal(emulator.getEndpoint(id)?.ModelReference, foundationModel);
    await ok(ark.call("CancelEndpointRolling", { Id }));
    assert.equal(
      [emulator.getModelSwitch(Id)?.Status, emulator.getEndpoint(id)?.RollingId],
      ["Reverted", ""],
    );
    assert.throws(() => emulator.stallNextModelSwitch({ atPercent: 100 }), /0 to 99/);
  } finally {
    await emulator.close();
  }
});

test("rollingInfoWithoutModels: GetEndpointRolling does not name the models", async () => {
  const { emulator, ark, id } = await setUp({ rollingInfoWithoutModels: true });
  try {
    const { Id } = await ok(ark.call("CreateEndpointRolling", { EndpointId: id, ModelReference: newer }));
    const info = (await ok(ark.call("GetEndpointRolling", { Id }))).RollingInfo;
    assert.equal(Object.keys(info).sort(), ["EndpointId", "Id", "RollingGray", "RollingStrategy", "Status"]);
  } finally {
    await emulator.close();
  }
});

test("refusals: OperationDenied.EndpointStatus for an endpoint that cannot switch now, or a switch that ended", async () => {
  const { clock, emulator, ark, id } = await setUp({ provisioningDelayMs: 60_000 });
  try {
    const custom = await emulator.seedEndpoint({ Name: "custom", ModelReference: { CustomModelId: "cm-1" } });
    const pinned = await emulator.seedEndpoint({
      Name: "pinned",
      ModelReference: foundationModel,
      SupportRolling: false,
    });
    const stopped = await emulator.seedEndpoint({
      Name: "stopped",
      ModelReference: foundationModel,
      Status: "Stopped",
    });
    const scheduling = await emulator.seedEndpoint({
      Name: "new",
      ModelReference: foundationModel,
      Status: "Scheduling",
    });
    const denied = [403, "OperationDenied.EndpointStatus"];
    for (const endpoint of [custom, pinned, stopped, scheduling]) {
      const body = { EndpointId: endpoint.Id, ModelReference: newer };
      assert.equal(await refusal(emulator, "CreateEndpointRolling", body), denied, endpoint.Name);
      assert.equal(
        await refusal(emulator, "CreateEndpointRolling", { ...body, DryRun: true }),
        denied,
        endpoint.Name,
      );
    }

    const running = await ok(ark.call("CreateEndpointRolling", { EndpointId: id, ModelReference: newer }));
    const again = await sendSigned(emulator, "CreateEndpointRolling", {
      EndpointId: id,
      ModelReference: newer,
    });
    assert.equal([again.status, errorCode(again.body)], denied);
    assert.match(again.body.ResponseMetadata.Error?.Message ?? "", `the switch ${running.Id} is in progress`);

    clock.now += 1000;
    assert.is(emulator.getModelSwitch(running.Id)?.Status, "Completed");
    assert.equal(await refusal(emulator, "RollbackEndpointRolling", { Id: running.Id }), denied);
    assert.equal(await refusal(emulator, "CancelEndpointRolling", { Id: running.Id }), denied);
    const cancelled = await ok(
      ark.call("CreateEndpointRolling", { EndpointId: id, ModelReference: foundationModel }),
    );
    await ok(ark.call("CancelEndpointRolling", { Id: cancelled.Id }));
    assert.equal(await refusal(emulator, "RollbackEndpointRolling", { Id: cancelled.Id }), denied);
    assert.equal(await refusal(emulator, "CancelEndpointRolling", { Id: cancelled.Id }), denied);
  } finally {
    await emulator.close();
  }
});

test("parameter errors: unknown ids, models not in the catalogue, the same model, a custom model", async () => {
  const { emulator, id } = await setUp();
  try {
    const cases: Array<[string, object, [number, string]]> = [
      [
        "CreateEndpointRolling",
        { EndpointId: "ep-20250101000000-nope0", ModelReference: newer },
        [404, "NotFound.Endpoint"],
      ],
      [
        "CreateEndpointRolling",
        {
          EndpointId: id,
          ModelReference: { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "991231" } },
        },
        [400, "InvalidParameter.ModelReference"],
      ],
      [
        "CreateEndpointRolling",
        {
          EndpointId: "ep-20250101000000-nope0",
          ModelReference: { FoundationModel: { Name: "nope", ModelVersion: "1" } },
        },
        [400, "InvalidParameter.ModelReference"],
      ],
      [
        "CreateEndpointRolling",
        { EndpointId: id, ModelReference: foundationModel },
        [400, "InvalidParameter.ModelReference"],
      ],
      [
        "CreateEndpointRolling",
        { EndpointId: id, ModelReference: { CustomModelId: "cm-1" } },
        [400, "InvalidParameter"],
      ],
      ["CreateEndpointRolling", { ModelReference: newer }, [400, "MissingParameter"]],
      [
        "CreateEndpointRolling",
        { EndpointId: id, ModelReference: newer, Step: 5 },
        [400, "InvalidParameter"],
      ],
      ["GetEndpointRolling", { Id: "eprol-20250101000000-nope0" }, [404, "NotFound.EndpointRolling"]],
      ["RollbackEndpointRolling", { Id: "eprol-20250101000000-nope0" }, [404, "NotFound.EndpointRolling"]],
      ["CancelEndpointRolling", {}, [400, "MissingParameter"]],
    ];
    for (const [action, body, expected] of cases) {
      assert.equal(await refusal(emulator, action, body), expected, `${action} ${JSON.stringify(body)}`);
    }
    assert.is(emulator.getEndpoint(id)?.RollingId, "");
  } finally {
    await emulator.close();
  }
});

test("DryRun answers DryRunOperation after every check, starts nothing and keeps an injected failure", async () => {
  const { clock, emulator, ark, id } = await setUp();
  try {
    emulator.failNextModelSwitch({ atPercent: 20, reason: "bad" });
    const passed = await sendSigned(emulator, "CreateEndpointRolling", {
      EndpointId: id,
      ModelReference: newer,
      DryRun: true,
    });
    assert.equal([passed.status, errorCode(passed.body)], [400, "DryRunOperation"]);
    assert.is(emulator.getEndpoint(id)?.RollingId, "");
    const { Id } = await ok(
      ark.call("CreateEndpointRolling", { EndpointId: id, ModelReference: newer, DryRun: false }),
    );
    clock.now += 1000;
    assert.is(emulator.getModelSwitch(Id)?.Status, "Failed");
  } finally {
    await emulator.close();
  }
});

test("hooks: a switch started outside shows on the endpoint; refusals throw; bad options are refused", async () => {
  const { clock, emulator, ark, id } = await setUp();
  try {
    const rolling = await emulator.startModelSwitchOutside(id, newer.FoundationModel);
    assert.equal([rolling.Status, rolling.RollingGray, rolling.EndpointId], ["Running", 0, id]);
    assert.is((await ok(ark.call("GetEndpoint", { Id: id }))).RollingId, rolling.Id);
    const refused = await emulator
      .startModelSwitchOutside(id, newer.FoundationModel)
      .catch((error: Error) => error);
    assert.match(String(refused), /OperationDenied\.EndpointStatus|in progress/);
    clock.now += 1000;
    assert.equal(emulator.getEndpoint(id)?.ModelReference, newer);
    assert.is(emulator.getModelSwitch("eprol-none"), undefined);
    assert.throws(() => emulator.failNextModelSwitch({ atPercent: 100, reason: "x" }), /0 to 99/);
  } finally {
    await emulator.close();
  }
  for (const options of [{ rollingStepPercent: 0 }, { rollingStepPercent: 101 }, { rollingStepMs: -1 }]) {
    const error = await startTestEmulator(options).then(
      async (started) => {
        await started.close();
        return undefined;
      },
      (thrown: unknown) => thrown,
    );
    assert.ok(isArkSyncError(error) && error.code === "emulator_bad_option", JSON.stringify(options));
  }
});

test.run();
