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

test("a data file that is not the emulator's is refused", () =>
  withTempDir(async (dir) => {
    for (const [name, text] of [
      ["broken.json", "{not json"],
      ["other.json", '{"version": 1, "endpoints": []}'],
      ["bad-records.json", '{"format":"ark-sync-emulator","version":1,"endpoints":[{"Id":"ep-1"}]}'],
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
