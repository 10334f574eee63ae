// Model switches and moderation changes in place, end to end against the emulator over HTTP: a version
// bump keeps its endpoint_id and shows its progress, a failed switch is rolled back (or cancelled) and
// the old model recorded, an interrupt undoes the switch, a switch someone else started is left alone.
import { EventEmitter } from "node:events";
import * as assert from "uvu/assert";
import type { Emulator } from "../../src/emulator/start-emulator.js";
import {
  applyHere,
  cloudSuite,
  endpointYaml,
  nextPlan,
  recordIo,
  startCli,
  type Workspace,
} from "./helpers.js";

const switches = cloudSuite("model switches");

const v2 = { name: "doubao-1-5-pro-32k", version: "250415" };

/** Applies chat on the first model and returns its endpoint id. */
async function applyChat(cloud: Emulator, ws: Workspace): Promise<string> {
  await ws.write("chat.yaml", endpointYaml("chat"));
  const run = await applyHere(cloud, ws.manifests);
  assert.is(run.code, 0, run.io.stderr);
  const id = (await ws.state())?.resources["default/chat"]?.endpoint_id;
  if (!id) throw new Error("default/chat is not in state");
  return id;
}

function modelOf(cloud: Emulator, id: string) {
  return cloud.getEndpoint(id)?.ModelReference.FoundationModel;
}

switches(
  "a version bump keeps the endpoint_id, shows progress, and the next plan is No changes",
  async ({ cloud, ws }) => {
    const id = await applyChat(cloud, ws);
    await ws.write("chat.yaml", endpointYaml("chat", { model: v2 }));

    const run = await applyHere(cloud, ws.manifests);
    assert.is(run.code, 0, run.io.stderr);
    assert.match(run.io.stdout, "the model is switched in place by Ark's rolling switch");
    assert.match(run.io.stdout, "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.");
    assert.match(run.io.stderr, /default\/chat: Switching model\.\.\. \d+% \[id=/);
    assert.match(run.io.stderr, "default/chat: Switching model... 100%");
    assert.equal(
      cloud.listEndpoints().map((endpoint) => endpoint.Id),
      [id],
      "the same endpoint, no other",
    );
    assert.equal(modelOf(cloud, id), { Name: v2.name, ModelVersion: v2.version });
    assert.is(cloud.getEndpoint(id)?.RollingId, "");
    assert.equal((await ws.state())?.resources["default/chat"]?.last_applied?.model_reference, {
      foundation_model: { name: v2.name, model_version: v2.version },
    });
    assert.is(cloud.stats().byAction.DeleteEndpoint ?? 0, 0);
    const next = await nextPlan(cloud, ws.manifests);
    assert.equal(next.plan.summary, { add: 0, change: 0, destroy: 0 });
    assert.match(next.text, "No changes.");
  },
);

switches(
  "a switch that fails is rolled back: the old model stays live and recorded",
  async ({ cloud, ws }) => {
    const id = await applyChat(cloud, ws);
    await ws.write("chat.yaml", endpointYaml("chat", { model: v2 }));
    cloud.failNextModelSwitch({ atPercent: 40, reason: "new replicas failed health checks" });

    const run = await applyHere(cloud, ws.manifests, { switchUndo: "rollback" });
    assert.is(run.code, 1);
    assert.match(run.io.stderr, /the model switch eprol-\S+ of ep-\S+ failed: the switch is Failed at 40%/);
    assert.match(run.io.stderr, /was rolled back; doubao-1-5-pro-32k 250115 is live and recorded in state/);
    assert.is(cloud.stats().byAction.RollbackEndpointRolling, 1);
    assert.equal(modelOf(cloud, id), { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" });
    assert.is(cloud.getEndpoint(id)?.RollingId, "", "the rollback has finished");
    assert.equal((await ws.state())?.resources["default/chat"]?.last_applied?.model_reference, {
      foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250115" },
    });
    const next = await nextPlan(cloud, ws.manifests);
    assert.equal(next.plan.resource_changes[0]?.model_switch, { method: "rolling" }, "planned again");
  },
);

switches("--on-switch-failure cancel cancels instead", async ({ cloud, ws }) => {
  const id = await applyChat(cloud, ws);
  await ws.write("chat.yaml", endpointYaml("chat", { model: v2 }));
  cloud.failNextModelSwitch({ atPercent: 20, reason: "out of capacity" });

  const run = await applyHere(cloud, ws.manifests, { switchUndo: "cancel" });
  assert.is(run.code, 1);
  assert.match(run.io.stderr, /was cancelled; doubao-1-5-pro-32k 250115 is live and recorded in state/);
  assert.is(cloud.stats().byAction.CancelEndpointRolling, 1);
  assert.is(cloud.stats().byAction.RollbackEndpointRolling ?? 0, 0);
  assert.equal(modelOf(cloud, id), { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" });
});

switches("without --on-switch-failure, the CLI cancels a failed switch", async ({ cloud, ws }) => {
  const id = await applyChat(cloud, ws);
  await ws.write("chat.yaml", endpointYaml("chat", { model: v2 }));
  cloud.failNextModelSwitch({ atPercent: 20, reason: "out of capacity" });

  const cli = startCli(["apply", "manifests", "--auto-approve", "--api-url", cloud.url], ws.root);
  const { code } = await cli.exit;
  assert.is(code, 1, cli.stderr());
  assert.equal(
    [cloud.stats().byAction.CancelEndpointRolling, cloud.stats().byAction.RollbackEndpointRolling ?? 0],
    [1, 0],
  );
  assert.equal(modelOf(cloud, id), { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" });
});

switches("an interrupt during a switch undoes it and records the old model", async ({ cloud, ws }) => {
  const id = await applyChat(cloud, ws);
  await ws.write("chat.yaml", endpointYaml("chat", { model: v2 }));
  const io = recordIo();
  const signals = new EventEmitter();
  const write = io.err;
  io.err = (text) => {
    write(text);
    if (text.includes("Switching model... 0%")) signals.emit("SIGINT");
  };
  const run = await applyHere(cloud, ws.manifests, {}, { io, signals });
  assert.is(run.code, 1);
  assert.is(cloud.stats().byAction.CancelEndpointRolling, 1);
  assert.match(
    io.stderr,
    /was cancelled when apply was interrupted, and was not waited for; the state keeps doubao-1-5-pro-32k 250115/,
  );
  assert.equal((await ws.state())?.resources["default/chat"]?.last_applied?.model_reference, {
    foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250115" },
  });
  assert.not.equal(modelOf(cloud, id), { Name: v2.name, ModelVersion: v2.version });
});

switches(
  "a switch Ark will not start fails, and the update sent before it is still recorded",
  async ({ cloud, ws }) => {
    const id = await applyChat(cloud, ws);
    await ws.write("chat.yaml", endpointYaml("chat", { model: v2, rateLimit: { rpm: 7 } }));
    cloud.injectFault({ action: "CreateEndpointRolling", kind: "internal-error", count: 10 });

    const run = await applyHere(cloud, ws.manifests);
    assert.is(run.code, 1);
    assert.is(cloud.getEndpoint(id)?.RateLimit.Rpm, 7, "the in-place update went through");
    const recorded = (await ws.state())?.resources["default/chat"]?.last_applied;
    assert.equal(recorded?.rate_limit, { rpm: 7 });
    assert.equal(recorded?.model_reference, {
      foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250115" },
    });
  },
);

switches("a switch someone else started is left alone: nothing is sent", async ({ cloud, ws }) => {
  const id = await applyChat(cloud, ws);
  await ws.write("chat.yaml", endpointYaml("chat", { model: v2, rateLimit: { rpm: 5 } }));
  cloud.startModelSwitchOutside(id, { Name: "doubao-1-5-pro-32k", ModelVersion: "250415" });

  const run = await applyHere(cloud, ws.manifests);
  assert.is(run.code, 0, run.io.stderr);
  assert.match(run.io.stdout, "Model switch in progress");
  assert.is(cloud.stats().byAction.UpdateEndpoint ?? 0, 0);
  assert.is(cloud.stats().byAction.CreateEndpointRolling ?? 0, 0);
});

switches(
  "Ark cannot switch (SupportRolling false): a replacement, and the plan says why",
  async ({ cloud, ws }) => {
    const id = await applyChat(cloud, ws);
    await cloud.changeEndpoint(id, { SupportRolling: false });
    await ws.write("chat.yaml", endpointYaml("chat", { model: v2 }));
    const next = await nextPlan(cloud, ws.manifests);
    assert.equal(next.plan.resource_changes[0]?.change.actions, ["delete", "create"]);
    assert.match(next.text, `Ark reports SupportRolling false for ${id}`);
  },
);

switches("moderation changes in place: same endpoint, one UpdateEndpoint", async ({ cloud, ws }) => {
  await ws.write("chat.yaml", endpointYaml("chat", { moderation: "Default" }));
  assert.is((await applyHere(cloud, ws.manifests)).code, 0);
  const id = (await ws.state())?.resources["default/chat"]?.endpoint_id as string;
  await ws.write("chat.yaml", endpointYaml("chat", { moderation: "Basic" }));

  const run = await applyHere(cloud, ws.manifests);
  assert.is(run.code, 0, run.io.stderr);
  assert.match(run.io.stdout, "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.");
  assert.is(cloud.getEndpoint(id)?.Moderation.Strategy, "Basic");
  assert.is(cloud.listEndpoints().length, 1);
  assert.equal((await nextPlan(cloud, ws.manifests)).plan.summary, { add: 0, change: 0, destroy: 0 });
});

switches.run();
