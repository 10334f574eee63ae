// Switches end where apply says they end (issue 18): under lost answers, reads that keep failing, other
// people's switches, a rollback that steps back one step only and a switch that stalls, apply reports
// where the switch stands (which model, what share of traffic) and records only a model Ark serves.
// Each test runs apply in this process against the emulator over HTTP.
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { run as runPlan } from "../../src/app/plan.js";
import type { Emulator, EmulatorOptions } from "../../src/emulator/start-emulator.js";
import { planOptionsFor, runHere, testContext } from "../app/context.js";
import {
  applyHere,
  type CloudContext,
  closeCloud,
  cloudEnv,
  endpointYaml,
  makeWorkspace,
  nextPlan,
  recordIo,
  startCloud,
  type Workspace,
} from "./helpers.js";

const v1 = { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" };
const v2 = { name: "doubao-1-5-pro-32k", version: "250415" };
const other = { Name: "doubao-1-5-pro-32k", ModelVersion: "250328" };

/** A fresh emulator with these options, and a workspace, for one test. */
async function inCloud(
  options: Partial<EmulatorOptions>,
  body: (context: CloudContext) => Promise<void>,
): Promise<void> {
  const context: Partial<CloudContext> = {};
  try {
    context.cloud = await startCloud(options);
    context.ws = await makeWorkspace();
    await body(context as CloudContext);
  } finally {
    await closeCloud(context);
  }
}

/** Applies chat on v1, then writes v2 (plus `extra`) to its manifest; returns the endpoint id. */
async function chatToSwitch(cloud: Emulator, ws: Workspace, extra = {}): Promise<string> {
  await ws.write("chat.yaml", endpointYaml("chat"));
  const first = await applyHere(cloud, ws.manifests);
  assert.is(first.code, 0, first.io.stderr);
  await ws.write("chat.yaml", endpointYaml("chat", { model: v2, ...extra }));
  return cloud.listEndpoints()[0]?.Id as string;
}

async function recordedModel(ws: Workspace) {
  return (await ws.state())?.resources["default/chat"]?.last_applied?.model_reference;
}

const onV1 = { foundation_model: { name: v1.Name, model_version: v1.ModelVersion } };

test("a lost CreateEndpointRolling answer and someone else's switch to another model: not adopted, named, and what Ark serves is recorded", async () => {
  const hook: { cloud?: Emulator; id?: string } = {};
  await inCloud(
    {
      // The dropped CreateEndpointRolling did nothing; someone else starts a switch meanwhile.
      onCall: (record) => {
        if (record.fault === "drop" && hook.cloud && hook.id)
          void hook.cloud.startModelSwitchOutside(hook.id, other);
      },
    },
    async ({ cloud, ws }) => {
      hook.id = await chatToSwitch(cloud, ws);
      hook.cloud = cloud;
      cloud.injectFault({ action: "CreateEndpointRolling", kind: "drop" });

      const run = await applyHere(cloud, ws.manifests);
      assert.is(run.code, 1);
      assert.not.match(run.io.stdout, "Apply complete!");
      assert.match(
        run.io.stderr,
        /CreateEndpointRolling's answer was lost, and ep-\S+ is now switching its model in a switch ark-sync did not start: eprol-\S+ to doubao-1-5-pro-32k 250328 \(from doubao-1-5-pro-32k 250115\)/,
      );
      const stats = cloud.stats().byAction;
      assert.equal(
        [stats.CancelEndpointRolling ?? 0, stats.RollbackEndpointRolling ?? 0],
        [0, 0],
        "left alone",
      );
      assert.equal(await recordedModel(ws), onV1, "what GetEndpoint shows, not the model asked for");
    },
  );
});

test("a lost CreateEndpointRolling answer when the switch has already finished: not sent again, recorded as served", async () => {
  await inCloud({ rollingStepMs: 0 }, async ({ cloud, ws }) => {
    const id = await chatToSwitch(cloud, ws);
    cloud.injectFault({ action: "CreateEndpointRolling", kind: "lost-reply" });

    const run = await applyHere(cloud, ws.manifests);
    assert.is(run.code, 0, run.io.stderr);
    assert.match(run.io.stdout, "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.");
    assert.is(cloud.stats().byAction.CreateEndpointRolling, 1);
    assert.equal(cloud.getEndpoint(id)?.ModelReference.FoundationModel, {
      Name: v2.name,
      ModelVersion: v2.version,
    });
    assert.equal(await recordedModel(ws), { foundation_model: { name: v2.name, model_version: v2.version } });
  });
});

test("a lost answer when Ark does not say where a switch goes: the switch is left running, the outcome unknown", async () => {
  await inCloud({ rollingInfoWithoutModels: true }, async ({ cloud, ws }) => {
    const id = await chatToSwitch(cloud, ws);
    cloud.injectFault({ action: "CreateEndpointRolling", kind: "lost-reply" });

    const run = await applyHere(cloud, ws.manifests);
    assert.is(run.code, 1);
    assert.match(run.io.stderr, "apply did not finish: 1 with an unknown outcome.");
    assert.match(
      run.io.stderr,
      /outcome unknown: CreateEndpointRolling's answer was lost, and ep-\S+ now has a model switch in progress, eprol-\S+ \(Ark does not say to which model\)/,
    );
    assert.match(run.io.stderr, /GetEndpointRolling \{"Id":"eprol-/);
    assert.is(cloud.stats().byAction.CancelEndpointRolling ?? 0, 0);
    assert.ok(cloud.getEndpoint(id)?.RollingId, "still running");
    assert.equal(await recordedModel(ws), onV1);
  });
});

test("GetEndpointRolling failing for good: the switch's state is unknown and it may still be running", async () => {
  await inCloud({ rollingStepMs: 60_000 }, async ({ cloud, ws }) => {
    const id = await chatToSwitch(cloud, ws);
    const io = recordIo();
    const write = io.err;
    io.err = (text) => {
      write(text);
      if (text.includes("Switching model... 0%"))
        cloud.injectFault({ action: "GetEndpointRolling", kind: "internal-error", count: 1000 });
    };
    const run = await applyHere(cloud, ws.manifests, {}, { io });
    assert.is(run.code, 1);
    const rollingId = cloud.getEndpoint(id)?.RollingId;
    assert.ok(rollingId);
    assert.match(io.stderr, "apply did not finish: 1 with an unknown outcome.");
    assert.match(
      io.stderr,
      `default/chat: outcome unknown: the model switch ${rollingId} of ${id} to doubao-1-5-pro-32k 250415 may still be running: reading it failed`,
    );
    assert.match(io.stderr, `GetEndpointRolling {"Id":"${rollingId}"}`);
    assert.not.match(io.stderr, "update failed");
    assert.is(cloud.stats().byAction.CancelEndpointRolling ?? 0, 0);
    assert.equal(await recordedModel(ws), onV1);
  });
});

test("a saved plan meeting someone else's switch is refused, naming the switch; nothing is sent", async () => {
  // Steps a minute apart: the foreign switch is still at 0% when apply reads it, however loaded the machine.
  await inCloud({ rollingStepMs: 60_000 }, async ({ cloud, ws }) => {
    const id = await chatToSwitch(cloud, ws, { rateLimit: { rpm: 7 } });
    const planFile = join(ws.root, "plan.json");
    const planned = await runHere(
      runPlan,
      planOptionsFor(
        ws.manifests,
        { apiUrl: cloud.url, parallelism: 10 },
        { out: planFile, arkDryRun: false },
      ),
      testContext({ env: cloudEnv, cwd: ws.root }),
    );
    assert.is(planned.code, 0, planned.io.stderr);
    const foreign = await cloud.startModelSwitchOutside(id, other);
    cloud.resetStats();

    const run = await applyHere(cloud, planFile, { dir: ws.manifests });
    assert.is(run.code, null);
    assert.match(
      String(run.error),
      `${id} is switching its model in a switch this plan did not start: ${foreign.Id} to doubao-1-5-pro-32k 250328 (from doubao-1-5-pro-32k 250115), Running at 0%`,
    );
    const stats = cloud.stats().byAction;
    assert.equal([stats.UpdateEndpoint ?? 0, stats.CreateEndpointRolling ?? 0], [0, 0]);
  });
});

test("someone else's switch started after the plan: the resource fails before anything is sent, never 'updated in place'", async () => {
  await inCloud({}, async ({ cloud, ws }) => {
    const id = await chatToSwitch(cloud, ws, { rateLimit: { rpm: 7 } });
    const io = recordIo();
    const write = io.err;
    io.err = (text) => {
      write(text);
      if (text.includes("Modifying...")) void cloud.startModelSwitchOutside(id, other);
    };
    const run = await applyHere(cloud, ws.manifests, {}, { io });
    assert.is(run.code, 1);
    assert.match(
      io.stderr,
      /default\/chat: update failed: ep-\S+ is switching its model in a switch ark-sync did not start: eprol-\S+ to doubao-1-5-pro-32k 250328/,
    );
    assert.not.match(io.stderr, "updated");
    assert.match(io.stderr, "Changed on Ark in all: 0 added, 0 changed, 0 destroyed.");
    const stats = cloud.stats().byAction;
    assert.equal([stats.UpdateEndpoint ?? 0, stats.CreateEndpointRolling ?? 0], [0, 0]);
  });
});

test("an endpoint that already serves the new model when apply reads it: no switch is sent", async () => {
  await inCloud({}, async ({ cloud, ws }) => {
    const id = await chatToSwitch(cloud, ws);
    const io = recordIo();
    const write = io.err;
    io.err = (text) => {
      write(text);
      if (text.includes("Modifying..."))
        void cloud.changeEndpoint(id, {
          ModelReference: { FoundationModel: { Name: v2.name, ModelVersion: v2.version } },
        });
    };
    const run = await applyHere(cloud, ws.manifests, {}, { io });
    assert.is(run.code, 0, io.stderr);
    assert.is(cloud.stats().byAction.CreateEndpointRolling ?? 0, 0);
    assert.equal(await recordedModel(ws), { foundation_model: { name: v2.name, model_version: v2.version } });
  });
});

test("a lost CancelEndpointRolling answer: read back, Ark did revert, and apply says so", async () => {
  await inCloud({}, async ({ cloud, ws }) => {
    const id = await chatToSwitch(cloud, ws);
    cloud.failNextModelSwitch({ atPercent: 40, reason: "new replicas failed health checks" });
    cloud.injectFault({ action: "CancelEndpointRolling", kind: "lost-reply" });

    const run = await applyHere(cloud, ws.manifests);
    assert.is(run.code, 1);
    assert.match(
      run.io.stderr,
      /was cancelled: CancelEndpointRolling failed \(.+\), but read back, Ark was taking the switch back; doubao-1-5-pro-32k 250115 is live and recorded in state/,
    );
    assert.not.match(run.io.stderr, "could not be");
    assert.equal(cloud.getEndpoint(id)?.ModelReference.FoundationModel, v1);
    assert.equal(await recordedModel(ws), onV1);
  });
});

test("a cancel Ark keeps refusing: never reported as done, and where the switch stands is said", async () => {
  await inCloud({}, async ({ cloud, ws }) => {
    const id = await chatToSwitch(cloud, ws);
    cloud.failNextModelSwitch({ atPercent: 40, reason: "new replicas failed health checks" });
    cloud.injectFault({ action: "CancelEndpointRolling", kind: "internal-error", count: 100 });

    const run = await applyHere(cloud, ws.manifests, { waitTimeoutSeconds: 1 });
    assert.is(run.code, 1);
    const rollingId = cloud.getEndpoint(id)?.RollingId;
    assert.ok(rollingId);
    assert.match(
      run.io.stderr,
      new RegExp(
        `the model switch ${rollingId} could not be cancelled: .*InternalError.*; it did not end: after standing still for 1s, ${rollingId} is Failed with 40% of traffic on doubao-1-5-pro-32k 250415 and 60% on doubao-1-5-pro-32k 250115`,
      ),
    );
    assert.not.match(run.io.stderr, "then cancelled");
    assert.equal(await recordedModel(ws), onV1);
  });
});

test("a rollback that steps back one step only: apply says where it stopped, keeps the old model, and the next plan holds the endpoint", async () => {
  await inCloud({ rollbackOneStep: true }, async ({ cloud, ws }) => {
    const id = await chatToSwitch(cloud, ws);
    cloud.failNextModelSwitch({ atPercent: 40, reason: "new replicas failed health checks" });

    const run = await applyHere(cloud, ws.manifests, { switchUndo: "rollback", waitTimeoutSeconds: 1 });
    assert.is(run.code, 1);
    const rollingId = cloud.getEndpoint(id)?.RollingId;
    assert.ok(rollingId, "the switch still holds the endpoint");
    assert.match(
      run.io.stderr,
      `the model switch ${rollingId} was rolled back; it did not end: after standing still for 1s, ${rollingId} is Reverting with 20% of traffic on doubao-1-5-pro-32k 250415 and 80% on doubao-1-5-pro-32k 250115; the state keeps doubao-1-5-pro-32k 250115`,
    );
    assert.match(run.io.stderr, `CancelEndpointRolling {"Id":"${rollingId}"}`);
    assert.not.match(run.io.stderr, "is live and recorded");
    assert.match(run.io.stderr, "Changed on Ark in all: 0 added, 1 changed, 0 destroyed.");
    assert.equal(await recordedModel(ws), onV1);
    const next = await nextPlan(cloud, ws.manifests);
    assert.match(next.text, "Model switch in progress");
  });
});

test("a switch that stalls is cancelled by default, and ends on the old model", async () => {
  await inCloud({}, async ({ cloud, ws }) => {
    const id = await chatToSwitch(cloud, ws);
    cloud.stallNextModelSwitch({ atPercent: 40 });

    const run = await applyHere(cloud, ws.manifests, { waitTimeoutSeconds: 1 });
    assert.is(run.code, 1);
    assert.match(run.io.stderr, /failed: no progress for 1s \(still at 40%\)/);
    assert.match(run.io.stderr, /was cancelled; doubao-1-5-pro-32k 250115 is live and recorded in state/);
    assert.equal(
      [cloud.stats().byAction.CancelEndpointRolling, cloud.stats().byAction.RollbackEndpointRolling ?? 0],
      [1, 0],
    );
    assert.equal(
      [cloud.getEndpoint(id)?.RollingId, cloud.getEndpoint(id)?.ModelReference.FoundationModel],
      ["", v1],
    );
  });
});

test.run();
