// The data file: separate emulator instances share one "cloud", provisioning resumes on the clock,
// writes are atomic and a broken file is refused.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isArkSyncError } from "../../src/core/errors.js";
import { arkClient, foundationModel, ok, startTestEmulator, withTempDir } from "./helpers.js";

test("a second emulator on the same file sees the first one's endpoints", () =>
  withTempDir(async (dir) => {
    const dataFile = join(dir, "cloud.json");
    const first = await startTestEmulator({ dataFile });
    const ark = arkClient(first);
    const { Id: kept } = await ok(
      ark.call("CreateEndpoint", { Name: "kept", ModelReference: foundationModel }),
    );
    const { Id: gone } = await ok(
      ark.call("CreateEndpoint", { Name: "gone", ModelReference: foundationModel }),
    );
    await ok(ark.call("UpdateEndpoint", { Id: kept, Description: "updated", RateLimit: { Rpm: 5 } }));
    await ok(ark.call("StopEndpoint", { Id: gone }));
    await ok(ark.call("DeleteEndpoint", { Id: gone }));
    first.injectFault({ action: "StopEndpoint", kind: "lost-reply" });
    await ark.call("StopEndpoint", { Id: kept }).catch(() => undefined);
    const before = first.getEndpoint(kept);
    await first.close();

    assert.equal(await readdir(dir), ["cloud.json"]);
    const second = await startTestEmulator({ dataFile });
    try {
      const after = await ok(arkClient(second).call("GetEndpoint", { Id: kept }));
      assert.equal(after, before);
      assert.equal([after.Description, after.RateLimit, after.Status], ["updated", { Rpm: 5 }, "Stopped"]);
      assert.is(second.getEndpoint(gone), undefined);
    } finally {
      await second.close();
    }
  }));

test("an endpoint still Scheduling when saved is Running once its deadline has passed", () =>
  withTempDir(async (dir) => {
    const dataFile = join(dir, "cloud.json");
    const t0 = Date.now();
    const first = await startTestEmulator({ dataFile, provisioningDelayMs: 10_000, now: () => t0 });
    const { Id } = await ok(
      arkClient(first).call("CreateEndpoint", { Name: "slow", ModelReference: foundationModel }),
    );
    await first.close();

    const early = await startTestEmulator({ dataFile, now: () => t0 + 5_000 });
    assert.is(early.getEndpoint(Id)?.Status, "Scheduling");
    await early.close();

    const late = await startTestEmulator({ dataFile, now: () => t0 + 20_000 });
    try {
      const endpoint = await ok(arkClient(late).call("GetEndpoint", { Id }));
      assert.is(endpoint.Status, "Running");
      assert.is(Date.parse(endpoint.UpdateTime) - Date.parse(endpoint.CreateTime), 10_000);
    } finally {
      await late.close();
    }
  }));

test("a provisioning made to fail Failed still ends Failed after a restart", () =>
  withTempDir(async (dir) => {
    const dataFile = join(dir, "cloud.json");
    const t0 = Date.now();
    const first = await startTestEmulator({ dataFile, provisioningDelayMs: 10_000, now: () => t0 });
    first.injectFault({ action: "CreateEndpoint", kind: "failed", reason: "ImagePullBackOff" });
    const { Id } = await ok(
      arkClient(first).call("CreateEndpoint", { Name: "doomed", ModelReference: foundationModel }),
    );
    await first.close();

    const late = await startTestEmulator({ dataFile, now: () => t0 + 20_000 });
    try {
      const endpoint = await ok(arkClient(late).call("GetEndpoint", { Id }));
      assert.equal([endpoint.Status, endpoint.StatusReason], ["Failed", "ImagePullBackOff"]);
    } finally {
      await late.close();
    }
  }));

test("many concurrent changes end in one consistent file with no temporary files left", () =>
  withTempDir(async (dir) => {
    const dataFile = join(dir, "cloud.json");
    const emulator = await startTestEmulator({ dataFile });
    const ark = arkClient(emulator);
    await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        ok(ark.call("CreateEndpoint", { Name: `n${index}`, ModelReference: foundationModel })),
      ),
    );
    await emulator.seedEndpoint({ Id: "ep-seeded", Name: "seeded", ModelReference: { CustomModelId: "cm" } });
    await emulator.close();
    assert.equal(await readdir(dir), ["cloud.json"]);
    const document = JSON.parse(await readFile(dataFile, "utf8"));
    assert.is(document.format, "ark-sync-emulator");
    assert.is(document.endpoints.length, 31);
  }));

test("model switches are kept: a second emulator resumes them on its clock", () =>
  withTempDir(async (dir) => {
    const dataFile = join(dir, "cloud.json");
    const t0 = Date.now();
    const newer = { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250415" } };
    const first = await startTestEmulator({ dataFile, now: () => t0 });
    const ark = arkClient(first);
    const switching = await first.seedEndpoint({ Name: "switching", ModelReference: foundationModel });
    const failing = await first.seedEndpoint({ Name: "failing", ModelReference: foundationModel });
    const completes = await ok(
      ark.call("CreateEndpointRolling", { EndpointId: switching.Id, ModelReference: newer }),
    );
    first.failNextModelSwitch({ atPercent: 60, reason: "unhealthy" });
    const fails = await first.startModelSwitchOutside(failing.Id, newer.FoundationModel);
    await first.close();
    const document = JSON.parse(await readFile(dataFile, "utf8"));
    assert.equal(
      document.rollings.map((record: { info: { Id: string } }) => record.info.Id),
      [completes.Id, fails.Id],
    );

    const second = await startTestEmulator({ dataFile, now: () => t0 + 400 });
    const during = await ok(arkClient(second).call("GetEndpointRolling", { Id: completes.Id }));
    assert.equal([during.RollingInfo.Status, during.RollingInfo.RollingGray], ["Running", 40]);
    assert.is(second.getEndpoint(switching.Id)?.RollingId, completes.Id);
    await second.close();

    const third = await startTestEmulator({ dataFile, now: () => t0 + 5_000 });
    try {
      assert.is(third.getModelSwitch(completes.Id)?.Status, "Completed");
      const switched = await ok(arkClient(third).call("GetEndpoint", { Id: switching.Id }));
      assert.equal([switched.ModelReference, switched.RollingId], [newer, ""]);
      assert.equal(
        [third.getModelSwitch(fails.Id)?.Status, third.getModelSwitch(fails.Id)?.RollingGray],
        ["Failed", 60],
      );
      assert.equal(third.getEndpoint(failing.Id)?.ModelReference, foundationModel);
    } finally {
      await third.close();
    }
  }));

test("a data file written before model switches existed loads with none", () =>
  withTempDir(async (dir) => {
    const dataFile = join(dir, "cloud.json");
    await writeFile(dataFile, '{"format":"ark-sync-emulator","version":1,"endpoints":[]}');
    const emulator = await startTestEmulator({ dataFile });
    try {
      assert.equal(emulator.listEndpoints(), []);
    } finally {
      await emulator.close();
    }
  }));

test("a data file that is not the emulator's is refused", () =>
  withTempDir(async (dir) => {
    for (const [name, text] of [
      ["broken.json", "{not json"],
      ["other.json", '{"version": 1, "endpoints": []}'],
      ["bad-records.json", '{"format":"ark-sync-emulator","version":1,"endpoints":[{"Id":"ep-1"}]}'],
      [
        "bad-rollings.json",
        '{"format":"ark-sync-emulator","version":1,"endpoints":[],"rollings":[{"Id":"x"}]}',
      ],
    ] as const) {
      const dataFile = join(dir, name);
      await writeFile(dataFile, text);
      const outcome = await startTestEmulator({ dataFile }).then(
        async (emulator) => {
          await emulator.close();
          return "started";
        },
        (error: unknown) => (isArkSyncError(error) ? error.code : String(error)),
      );
      assert.is(outcome, "emulator_data_invalid", name);
    }
  }));

test.run();
