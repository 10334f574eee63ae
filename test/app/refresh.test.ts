// `ark-sync refresh` in this process against the emulator: drift is shown, then accepted into
// the last-applied record; endpoints deleted outside ark-sync are forgotten; Ark is never changed.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as plan from "../../src/app/plan.js";
import * as refresh from "../../src/app/refresh.js";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { planOptionsFor, runLikeCli, testContext } from "./context.js";

const accessKey = "AKLTrefreshAccessKey01";
const secretKey = "refresh/Secret+Key==01";

const manifest = `apiVersion: ark-sync/v1
kind: Endpoint
name: chat
model_reference:
  custom_model_id: cm-1
rate_limit:
  rpm: 5
`;

test("refresh shows drift, needs approval, accepts it, forgets deleted endpoints and leaves Ark alone", async () => {
  const emulator = await startEmulator({ accessKey, secretKey, provisioningDelayMs: 0 });
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-refresh-"));
  try {
    const chat = await emulator.seedEndpoint({
      Name: "chat",
      Status: "Running",
      ModelReference: { CustomModelId: "cm-1" },
      RateLimit: { Rpm: 50 },
    });
    await writeFile(join(dir, "chat.yaml"), manifest);
    await mkdir(join(dir, ".ark-sync"));
    const statePath = join(dir, ".ark-sync", "state.json");
    const lastApplied = {
      name: "chat",
      project_name: "default",
      model_reference: { custom_model_id: "cm-1" },
    };
    await writeFile(
      statePath,
      JSON.stringify({
        version: 1,
        lineage: "9d5f0b7e-3f7e-4c0a-8d35-5d0f3f0b1a11",
        serial: 3,
        resources: {
          "default/chat": {
            endpoint_id: chat.Id,
            last_applied: { ...lastApplied, rate_limit: { rpm: 5 } },
            applied_at: null,
          },
          "default/gone": {
            endpoint_id: "ep-20250101000000-gone1",
            last_applied: { ...lastApplied, name: "gone" },
            applied_at: null,
          },
        },
      }),
    );
    const env = { VOLC_ACCESSKEY: accessKey, VOLC_SECRETKEY: secretKey };
    const ark = { apiUrl: emulator.url, region: "cn-beijing", parallelism: 10 };
    const runRefresh = (autoApprove: boolean) =>
      runLikeCli(refresh.run, { dir, ark, autoApprove }, testContext({ env }));

    const refused = await runRefresh(false);
    assert.is(refused.code, 1);
    assert.match(refused.stderr, "--auto-approve");

    const before = emulator.stats().requests;
    const accepted = await runRefresh(true);
    assert.is(accepted.code, 0, accepted.stderr);
    assert.match(accepted.stdout, "# default/chat has changed");
    assert.match(accepted.stdout, "# default/gone has been deleted");
    assert.match(accepted.stdout, "Refresh complete! Accepted drift on 1 endpoint; forgot 1 endpoint");
    assert.equal(
      Object.keys(emulator.stats().byAction).sort(),
      ["GetEndpoint", "ListEndpoints"],
      "Ark is only read: listed, and default/gone confirmed gone",
    );
    assert.ok(emulator.stats().requests > before);

    const state = JSON.parse(await readFile(statePath, "utf8"));
    assert.is(state.serial, 4);
    assert.equal(Object.keys(state.resources), ["default/chat"]);
    assert.equal(state.resources["default/chat"].last_applied.rate_limit, { rpm: 50 });

    const again = await runRefresh(true);
    assert.match(again.stdout, "No changes.");
    const planOptions = planOptionsFor(dir, ark);
    const next = await runLikeCli(plan.run, planOptions, testContext({ env }));
    assert.not.match(next.stdout, "changed outside", "the drift was accepted");
    assert.match(next.stdout, "~ rpm = 50 -> 5", "the manifest still differs from live: a plain change");
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
