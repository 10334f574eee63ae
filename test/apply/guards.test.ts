// What apply refuses or reports, in this process against the emulator: confirmation, plan errors,
// endpoints that end Abnormal or Failed, Ark errors with their Code and RequestId, and bad option combinations.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { resolveStateBackend } from "../../src/state/resolve-backend.js";
import { quietState } from "../state/helpers.js";
import { applyHere, cloudSuite, endpointYaml, nextPlan, recordIo, type Workspace } from "./helpers.js";

const guards = cloudSuite("apply guards");

const lockFile = (ws: Workspace) => join(ws.manifests, ".ark-sync", "state.json.lock");

guards("without a terminal, apply needs --auto-approve and does nothing", async ({ cloud, ws }) => {
  await ws.write("chat.yaml", endpointYaml("chat"));
  cloud.resetStats();
  const run = await applyHere(cloud, ws.manifests, { autoApprove: false });
  assert.is(run.code, null);
  assert.is((run.error as { code?: string }).code, "apply_needs_approval");
  assert.match(String(run.error), "--auto-approve");
  assert.is(cloud.stats().requests, 0);
  assert.not.ok(existsSync(join(ws.manifests, ".ark-sync")));
});

guards("on a terminal, anything but `yes` cancels; `yes` applies", async ({ cloud, ws }) => {
  await ws.write("chat.yaml", endpointYaml("chat"));
  const questions: string[] = [];
  const declined = await applyHere(
    cloud,
    ws.manifests,
    { autoApprove: false },
    {
      io: recordIo(true),
      confirm: async (question) => {
        questions.push(question);
        return false;
      },
    },
  );
  assert.is(declined.code, 1);
  assert.match(declined.io.stdout, "Plan: 1 to add, 0 to change, 0 to destroy.");
  assert.match(declined.io.stdout, /\nApply cancelled\.\n$/);
  assert.match(questions[0] ?? "", "Do you want to perform these actions?");
  assert.match(questions[0] ?? "", "Only 'yes' will be accepted to approve.");
  assert.is(cloud.listEndpoints().length, 0);
  assert.not.ok(existsSync(lockFile(ws)), "the lock is released");

  const approved = await applyHere(
    cloud,
    ws.manifests,
    { autoApprove: false },
    { io: recordIo(true), confirm: async () => true },
  );
  assert.is(approved.code, 0);
  assert.is(cloud.listEndpoints().length, 1);
});

guards(
  "--lock-timeout waits for a live holder's lock, and gives up with its details",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat"));
    const backend = await resolveStateBackend(undefined, ws.manifests, ws.root, quietState);
    const held = await backend.lock({ operation: "state rm" });
    const refused = await applyHere(cloud, ws.manifests, { lockTimeoutMs: 300 });
    assert.is((refused.error as { code?: string }).code, "state_locked");
    assert.match(refused.io.stderr, "waiting up to 0.3s for it (--lock-timeout)");
    assert.is(cloud.listEndpoints().length, 0);

    setTimeout(() => void held.release(), 400);
    const waited = await applyHere(cloud, ws.manifests, { lockTimeoutMs: 10_000 });
    assert.is(waited.code, 0, String(waited.error));
    assert.match(waited.io.stderr, "The state is locked; waiting up to 10s for it (--lock-timeout)...");
    assert.is(cloud.listEndpoints().length, 1);
  },
);

guards("nothing to change: no question, and the contract line with zeros", async ({ cloud, ws }) => {
  await ws.write("chat.yaml", endpointYaml("chat"));
  assert.is((await applyHere(cloud, ws.manifests)).code, 0);
  const serial = (await ws.state())?.serial;
  const run = await applyHere(
    cloud,
    ws.manifests,
    { autoApprove: false },
    {
      io: recordIo(true),
      confirm: async () => {
        throw new Error("must not ask");
      },
    },
  );
  assert.is(run.code, 0, String(run.error));
  assert.match(run.io.stdout, /^No changes\./m);
  assert.match(run.io.stdout, /\nApply complete! Resources: 0 added, 0 changed, 0 destroyed\.\n$/);
  assert.is((await ws.state())?.serial, serial, "no write when nothing changed");
});

guards("prevent_destroy refuses a plan that would replace the endpoint", async ({ cloud, ws }) => {
  await ws.write(
    "chat.yaml",
    endpointYaml("chat", { tags: { env: "a" }, lifecycle: { prevent_destroy: true } }),
  );
  assert.is((await applyHere(cloud, ws.manifests)).code, 0);
  const before = cloud.listEndpoints();
  await ws.write(
    "chat.yaml",
    endpointYaml("chat", { tags: { env: "b" }, lifecycle: { prevent_destroy: true } }),
  );
  cloud.resetStats();
  const run = await applyHere(cloud, ws.manifests);
  assert.is((run.error as { code?: string }).code, "plan_has_errors");
  assert.match(run.io.stdout, "prevent_destroy");
  assert.equal(cloud.listEndpoints(), before);
  assert.is(cloud.stats().byAction.DeleteEndpoint, undefined);
  assert.not.ok(existsSync(lockFile(ws)));
});

guards(
  "an endpoint that ends Failed fails the apply at once with its reason, not at the wait timeout",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat"));
    cloud.injectFault({ kind: "failed", action: "CreateEndpoint", count: 1, reason: "ImagePullBackOff" });
    const started = performance.now();
    const run = await applyHere(cloud, ws.manifests, { waitTimeoutSeconds: 600 });
    const seconds = (performance.now() - started) / 1000;
    assert.is(run.code, 1);
    assert.ok(seconds < 30, `took ${seconds.toFixed(1)} s`);
    assert.match(
      run.io.stderr,
      /Creation errored after \d+s \[id=ep-[^\]]+\]: ep-\S+ is Failed: ImagePullBackOff/,
    );
    assert.match(run.io.stderr, "is recorded in state");
    assert.not.match(run.io.stderr, "wait_timeout");
    const id = cloud.listEndpoints()[0]?.Id ?? "";
    assert.equal(
      Object.values((await ws.state())?.resources ?? {}).map((resource) => resource.endpoint_id),
      [id],
    );
    const next = await nextPlan(cloud, ws.manifests);
    assert.ok(
      next.plan.warnings.some(
        (warning) =>
          warning.code === "endpoint_status" && warning.message.includes("is Failed: ImagePullBackOff"),
      ),
      next.text,
    );
  },
);

guards(
  "an endpoint that ends Abnormal fails with its reason; the others succeed and are recorded",
  async ({ cloud, ws }) => {
    for (const name of ["a", "b", "c"]) await ws.write(`${name}.yaml`, endpointYaml(name));
    cloud.injectFault({ kind: "abnormal", action: "CreateEndpoint", count: 1, reason: "no GPU quota left" });
    const run = await applyHere(cloud, ws.manifests);
    assert.is(run.code, 1);
    assert.match(
      run.io.stderr,
      /Creation errored after \d+s \[id=ep-[^\]]+\]: ep-\S+ is Abnormal: no GPU quota left/,
    );
    assert.match(run.io.stderr, "Error: apply did not finish: 1 failed.");
    assert.not.match(run.io.stdout, "Apply complete!");
    const abnormal = cloud.listEndpoints().filter((endpoint) => endpoint.Status === "Abnormal");
    assert.is(abnormal.length, 1);
    const state = await ws.state();
    assert.equal(Object.keys(state?.resources ?? {}).sort(), ["default/a", "default/b", "default/c"]);
    for (const endpoint of cloud.listEndpoints()) {
      assert.ok(
        Object.values(state?.resources ?? {}).some((resource) => resource.endpoint_id === endpoint.Id),
      );
    }
    assert.match(run.io.stderr, "is recorded in state");
  },
);

guards(
  "a failing call names Ark's code and request id; destroys wait for a clean run",
  async ({ cloud, ws }) => {
    await ws.write("keep.yaml", endpointYaml("keep"));
    await ws.write("old.yaml", endpointYaml("old"));
    assert.is((await applyHere(cloud, ws.manifests)).code, 0);
    await ws.remove("old.yaml");
    await ws.write("new.yaml", endpointYaml("new"));
    await ws.write("fine.yaml", endpointYaml("fine"));
    cloud.injectFault({ kind: "internal-error", action: "CreateEndpoint", count: 50 });
    const run = await applyHere(cloud, ws.manifests);
    cloud.clearFaults();
    assert.is(run.code, 1);
    assert.match(
      run.io.stderr,
      // A 5xx leaves open whether Ark made the endpoint: an unknown outcome, never a plain failure.
      /default\/new: outcome unknown: CreateEndpoint may have made the endpoint.*\(Ark CreateEndpoint failed \(server\): InternalError: .*RequestId \S+/,
    );
    assert.match(run.io.stderr, "Not started: default/old");
    assert.ok(
      cloud.listEndpoints().some((endpoint) => endpoint.Name === "old"),
      "the destroy did not run",
    );
    assert.ok((await ws.state())?.resources["default/old"]);
  },
);

guards("a state write that fails stops the run and names the errored-state file", async ({ cloud, ws }) => {
  for (const name of ["a", "b", "c"]) await ws.write(`${name}.yaml`, endpointYaml(name));
  const io = recordIo();
  const write = io.err;
  const statePath = join(ws.manifests, ".ark-sync", "state.json");
  let trapped = false;
  io.err = (text) => {
    // Once the first create is under way, make the state file unwritable (a directory in its place).
    if (text.includes("Creating...") && !trapped) {
      trapped = true;
      rmSync(statePath, { force: true });
      mkdirSync(statePath);
    }
    write(text);
  };
  const run = await applyHere(
    cloud,
    ws.manifests,
    { ark: { apiUrl: cloud.url, region: "cn-beijing", parallelism: 1 } },
    { io },
  );
  assert.is(run.code, 1);
  assert.match(io.stderr, "Error: could not write the state");
  assert.match(io.stderr, "Stopping: nothing new is started.");
  assert.match(io.stderr, "ark-sync-errored-state.json");
  // Everything that exists on Ark is in the errored-state file: nothing is forgotten.
  const errored = JSON.parse(await readFile(join(ws.root, "ark-sync-errored-state.json"), "utf8"));
  const recorded = Object.values(errored.resources).map(
    (resource) => (resource as { endpoint_id: string }).endpoint_id,
  );
  assert.ok(cloud.listEndpoints().length > 0);
  assert.equal(
    recorded.sort(),
    cloud
      .listEndpoints()
      .map((endpoint) => endpoint.Id)
      .sort(),
  );
});

guards(
  "a saved plan cannot be combined with --target or --allow-empty, and a missing path is named",
  async ({ cloud, ws }) => {
    await ws.write("plan.json", "{}");
    const planFile = join(ws.manifests, "plan.json");
    const targeted = await applyHere(cloud, planFile, { targets: ["default/x"] });
    assert.is((targeted.error as { code?: string }).code, "apply_plan_options");
    const missing = await applyHere(cloud, join(ws.root, "nowhere"));
    assert.is((missing.error as { code?: string }).code, "apply_source_missing");
    const badParallelism = await applyHere(cloud, ws.manifests, {
      ark: { apiUrl: cloud.url, region: "cn-beijing", parallelism: 0 },
    });
    assert.is((badParallelism.error as { code?: string }).code, "invalid_parallelism");
  },
);

guards.run();
