// The stories of docs/design.md §1 end to end, apply run in this process against the emulator over HTTP:
// create and converge, in-place update, drift restored, unmanaged tags left alone, removals reset where
// Ark documents the reset and kept live where it does not,
// tag removal replaces, removed manifests destroy, the empty-directory guard, forgetting and adopting,
// and renames with moved_from.
import { execFileSync } from "node:child_process";
import * as assert from "uvu/assert";
import type { Emulator } from "../../src/emulator/start-emulator.js";
import {
  applyHere,
  cloudSuite,
  countByOwner,
  endpointYaml,
  makeWorkspace,
  nextPlan,
  startCli,
  type Workspace,
} from "./helpers.js";

const stories = cloudSuite("apply stories");

async function applyOk(cloud: Emulator, ws: Workspace, extra = {}) {
  const run = await applyHere(cloud, ws.manifests, extra);
  if (run.code !== 0) throw new Error(`apply failed (${run.code}): ${String(run.error)}\n${run.io.stderr}`);
  return run.io;
}

function idOf(state: Awaited<ReturnType<Workspace["state"]>>, address: string): string {
  const id = state?.resources[address]?.endpoint_id;
  if (!id) throw new Error(`${address} is not in state`);
  return id;
}

stories(
  "1: creates, waits for Running, records state, and the next plan has no changes",
  async ({ cloud, ws }) => {
    await ws.write(
      "chat.yaml",
      endpointYaml("chat", { description: "chat", rateLimit: { rpm: 10, tpm: 100 }, tags: { env: "prod" } }),
    );
    await ws.write("other.yaml", endpointYaml("other"));
    const io = await applyOk(cloud, ws);

    assert.match(io.stdout, "+ create");
    assert.match(io.stdout, /\nApply complete! Resources: 2 added, 0 changed, 0 destroyed\.\n$/);
    assert.match(io.stderr, "default/chat: Creating...\n");
    assert.match(io.stderr, /default\/chat: Creation complete after \d+s \[id=ep-[^\]]+\]/);
    assert.not.match(io.stdout, "Creating...");

    const state = await ws.state();
    const id = idOf(state, "default/chat");
    const live = cloud.getEndpoint(id);
    assert.is(live?.Status, "Running");
    assert.equal(
      live?.Tags.find((tag) => tag.Key === "ark-sync:address"),
      { Key: "ark-sync:address", Value: "default/chat" },
    );
    assert.equal(state?.resources["default/chat"]?.last_applied, {
      name: "chat",
      project_name: "default",
      description: "chat",
      model_reference: { foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250115" } },
      rate_limit: { rpm: 10, tpm: 100 },
      tags: [{ key: "env", value: "prod" }],
    });
    assert.ok(!Number.isNaN(Date.parse(state?.resources["default/chat"]?.applied_at ?? "")));
    assert.is(state?.resources["default/chat"]?.commit, undefined, "not a git checkout");

    const next = await nextPlan(cloud, ws.manifests);
    assert.match(next.text, /^No changes\./m);
  },
);

stories("records the git commit of the manifests' checkout", async ({ cloud, ws }) => {
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: ws.root,
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@t",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@t",
      },
    }).trim();
  await ws.write("chat.yaml", endpointYaml("chat"));
  git("init", "-q");
  git("add", ".");
  git("commit", "-q", "-m", "manifests");
  await applyOk(cloud, ws);
  assert.is((await ws.state())?.resources["default/chat"]?.commit, git("rev-parse", "HEAD"));
});

stories("2: an in-place change goes through UpdateEndpoint only", async ({ cloud, ws }) => {
  await ws.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 10 } }));
  await applyOk(cloud, ws);
  const id = idOf(await ws.state(), "default/chat");
  cloud.resetStats();

  await ws.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 20 }, description: "now described" }));
  const io = await applyOk(cloud, ws);
  assert.match(io.stderr, `default/chat: Modifying... [id=${id}]`);
  assert.match(io.stderr, new RegExp(`default/chat: Modifications complete after \\d+s \\[id=${id}\\]`));
  assert.match(io.stdout, "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.");
  const calls = cloud.stats().byAction;
  assert.is(calls.UpdateEndpoint, 1);
  assert.is(calls.CreateEndpoint, undefined);
  assert.is(calls.DeleteEndpoint, undefined);
  assert.equal(cloud.getEndpoint(id)?.RateLimit, { Rpm: 20 }, "no 0 invented for tpm");
  assert.is(cloud.getEndpoint(id)?.Description, "now described");
  assert.equal((await ws.state())?.resources["default/chat"]?.last_applied?.rate_limit, { rpm: 20 });
});

stories(
  "drift is reported as changed outside ark-sync, then apply restores the manifest",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 10, tpm: 100 } }));
    await applyOk(cloud, ws);
    const id = idOf(await ws.state(), "default/chat");
    await cloud.changeEndpoint(id, { RateLimit: { Rpm: 999, Tpm: 100 } });

    const drifted = await nextPlan(cloud, ws.manifests);
    assert.match(drifted.text, "Objects have changed outside of ark-sync");
    assert.equal(drifted.plan.resource_drift[0]?.changes, [
      { path: ["rate_limit", "rpm"], last_applied: 10, live: 999 },
    ]);

    const io = await applyOk(cloud, ws);
    assert.match(io.stdout, "Objects have changed outside of ark-sync");
    assert.equal(cloud.getEndpoint(id)?.RateLimit, { Rpm: 10, Tpm: 100 });
    assert.match((await nextPlan(cloud, ws.manifests)).text, /^No changes\./m);
  },
);

stories("a tag set only on live is left alone by an update", async ({ cloud, ws }) => {
  await ws.write("chat.yaml", endpointYaml("chat", { tags: { env: "prod" } }));
  await applyOk(cloud, ws);
  const id = idOf(await ws.state(), "default/chat");
  const tags = cloud.getEndpoint(id)?.Tags ?? [];
  await cloud.changeEndpoint(id, { Tags: [...tags, { Key: "owner", Value: "console" }] });

  await ws.write("chat.yaml", endpointYaml("chat", { tags: { env: "prod" }, description: "changed" }));
  const io = await applyOk(cloud, ws);
  assert.match(io.stdout, "1 changed");
  const live = cloud.getEndpoint(id);
  assert.ok(live, "same endpoint, not replaced");
  assert.ok(live?.Tags.some((tag) => tag.Key === "owner" && tag.Value === "console"));
  assert.equal((await ws.state())?.resources["default/chat"]?.last_applied?.tags, [
    { key: "env", value: "prod" },
  ]);
  const next = await nextPlan(cloud, ws.manifests);
  assert.match(next.text, /^No changes\./m);
  assert.equal(next.plan.unmanaged, [{ address: "default/chat", path: ["tags", "owner"], value: "console" }]);
});

stories(
  "a description removed from a manifest is reset on live: its reset is documented",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat", { description: "old", rateLimit: { rpm: 10 } }));
    await applyOk(cloud, ws);
    const id = idOf(await ws.state(), "default/chat");

    await ws.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 10 } }));
    await applyOk(cloud, ws);
    assert.is(cloud.getEndpoint(id)?.Description, "");
    assert.is((await ws.state())?.resources["default/chat"]?.last_applied?.description, undefined);
    assert.match((await nextPlan(cloud, ws.manifests)).text, /^No changes\./m);
  },
);

stories(
  "rate_limit and moderation removed from a manifest are kept live and no longer managed: no reset is documented",
  async ({ cloud, ws }) => {
    await ws.write(
      "chat.yaml",
      endpointYaml("chat", { rateLimit: { rpm: 10, tpm: 100 }, moderation: "Basic" }),
    );
    await applyOk(cloud, ws);
    const id = idOf(await ws.state(), "default/chat");
    cloud.resetStats();

    await ws.write("chat.yaml", endpointYaml("chat"));
    const planned = await nextPlan(cloud, ws.manifests);
    assert.equal(planned.plan.resource_changes[0]?.change.actions, ["no-op"]);
    assert.equal(
      planned.plan.no_longer_managed.map(({ path, value }) => [path.join("."), value]),
      [
        ["moderation.strategy", "Basic"],
        ["rate_limit.rpm", 10],
        ["rate_limit.tpm", 100],
      ],
    );
    assert.match(planned.text, "Note: Values no longer managed");

    const io = await applyOk(cloud, ws);
    assert.match(io.stdout, "Note: Values no longer managed");
    assert.is(cloud.stats().byAction.UpdateEndpoint, undefined, "nothing is sent to Ark");
    assert.equal(cloud.getEndpoint(id)?.RateLimit, { Rpm: 10, Tpm: 100 });
    assert.equal(cloud.getEndpoint(id)?.Moderation, { Strategy: "Basic" });
    const recorded = (await ws.state())?.resources["default/chat"]?.last_applied;
    assert.is(recorded?.rate_limit, undefined, "no longer recorded as managed");
    assert.is(recorded?.moderation, undefined);

    const next = await nextPlan(cloud, ws.manifests);
    assert.match(next.text, /^No changes\./m);
    assert.equal(next.plan.no_longer_managed, []);
    assert.equal(
      next.plan.unmanaged.map(({ path }) => path.join(".")),
      ["rate_limit.rpm", "rate_limit.tpm"],
      "a plain unmanaged value from now on (moderation, read from list items, is not read)",
    );
  },
);

stories(
  "one rate_limit member removed: the other changes, the removed one keeps its live value",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 10, tpm: 100 } }));
    await applyOk(cloud, ws);
    const id = idOf(await ws.state(), "default/chat");

    await ws.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 20 } }));
    await applyOk(cloud, ws);
    assert.equal(cloud.getEndpoint(id)?.RateLimit, { Rpm: 20, Tpm: 100 });
    assert.equal((await ws.state())?.resources["default/chat"]?.last_applied?.rate_limit, { rpm: 20 });
  },
);

stories(
  "a RateLimit member ark-sync does not manage (ark-cli's Ipm) survives an update",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 10, tpm: 100 } }));
    await applyOk(cloud, ws);
    const id = idOf(await ws.state(), "default/chat");
    // ark-cli sets an image endpoint's limit: a member no SDK and no manifest has.
    await cloud.changeEndpoint(id, { RateLimit: { Rpm: 10, Tpm: 100, Ipm: 50 } });
    assert.match((await nextPlan(cloud, ws.manifests)).text, /^No changes\./m, "never shown, never drift");

    await ws.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 10, tpm: 200 } }));
    await applyOk(cloud, ws);
    assert.equal(cloud.getEndpoint(id)?.RateLimit, { Rpm: 10, Tpm: 200, Ipm: 50 });
  },
);

stories(
  "3: a removed tag replaces the endpoint: destroy, then create with a new id",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat", { tags: { env: "prod", team: "ml" } }));
    await applyOk(cloud, ws);
    const oldId = idOf(await ws.state(), "default/chat");

    await ws.write("chat.yaml", endpointYaml("chat", { tags: { env: "prod" } }));
    const io = await applyOk(cloud, ws);
    const newId = idOf(await ws.state(), "default/chat");
    assert.is.not(newId, oldId);
    assert.is(cloud.getEndpoint(oldId), undefined);
    assert.equal(
      cloud.getEndpoint(newId)?.Tags.filter((tag) => tag.Key === "team"),
      [],
    );
    assert.match(io.stdout, "Apply complete! Resources: 1 added, 0 changed, 1 destroyed.");
    const destroyedAt = io.stderr.indexOf(`default/chat: Destroying... [id=${oldId}]`);
    const createdAt = io.stderr.indexOf("default/chat: Creating...");
    assert.ok(destroyedAt >= 0 && createdAt > destroyedAt, io.stderr);
    assert.match((await nextPlan(cloud, ws.manifests)).text, /^No changes\./m);
  },
);

stories("create_before_destroy replaces create-first", async ({ cloud, ws }) => {
  const lifecycle = { create_before_destroy: true };
  await ws.write("chat.yaml", endpointYaml("chat", { tags: { env: "prod" }, lifecycle }));
  await applyOk(cloud, ws);
  const oldId = idOf(await ws.state(), "default/chat");

  await ws.write("chat.yaml", endpointYaml("chat", { tags: { env: "staging" }, lifecycle }));
  const io = await applyOk(cloud, ws);
  const newId = idOf(await ws.state(), "default/chat");
  assert.is.not(newId, oldId);
  assert.is(cloud.getEndpoint(oldId), undefined);
  assert.is(cloud.getEndpoint(newId)?.Status, "Running");
  const created = io.stderr.indexOf("default/chat: Creation complete");
  const destroying = io.stderr.indexOf(`default/chat: Destroying... [id=${oldId}]`);
  assert.ok(created >= 0 && destroying > created, io.stderr);
  assert.equal([...countByOwner(cloud)], [["default/chat", 1]]);
});

stories("a removed manifest destroys its endpoint", async ({ cloud, ws }) => {
  await ws.write("chat.yaml", endpointYaml("chat"));
  await ws.write("other.yaml", endpointYaml("other"));
  await applyOk(cloud, ws);
  const otherId = idOf(await ws.state(), "default/other");

  await ws.remove("other.yaml");
  const io = await applyOk(cloud, ws);
  assert.match(io.stderr, `default/other: Destroying... [id=${otherId}]`);
  assert.match(io.stderr, /default\/other: Destruction complete after \d+s\n/);
  assert.match(io.stdout, "Apply complete! Resources: 0 added, 0 changed, 1 destroyed.");
  assert.is(cloud.getEndpoint(otherId), undefined);
  assert.equal(Object.keys((await ws.state())?.resources ?? {}), ["default/chat"]);
});

stories("an empty manifest directory is refused, and allowed with --allow-empty", async ({ cloud, ws }) => {
  await ws.write("chat.yaml", endpointYaml("chat"));
  await applyOk(cloud, ws);
  await ws.remove("chat.yaml");

  const refused = await applyHere(cloud, ws.manifests);
  assert.is(refused.code, null);
  assert.is((refused.error as { code?: string }).code, "plan_has_errors");
  assert.match(refused.io.stdout, "--allow-empty");
  assert.is(cloud.listEndpoints().length, 1);
  assert.is(Object.keys((await ws.state())?.resources ?? {}).length, 1);

  const io = await applyOk(cloud, ws, { allowEmpty: true });
  assert.match(io.stdout, "0 added, 0 changed, 1 destroyed.");
  assert.is(cloud.listEndpoints().length, 0);
  assert.equal((await ws.state())?.resources, {});
});

stories(
  "an endpoint deleted outside ark-sync and removed from the manifests is forgotten",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat"));
    await ws.write("gone.yaml", endpointYaml("gone"));
    await applyOk(cloud, ws);
    await cloud.deleteEndpoint(idOf(await ws.state(), "default/gone"));
    await ws.remove("gone.yaml");

    const io = await applyOk(cloud, ws);
    assert.match(io.stderr, "default/gone: Removed from state");
    assert.match(io.stdout, "Apply complete! Resources: 0 added, 0 changed, 0 destroyed.");
    assert.equal(Object.keys((await ws.state())?.resources ?? {}), ["default/chat"]);
  },
);

stories("an endpoint carrying our ownership tag is adopted, not created again", async ({ cloud, ws }) => {
  const seeded = await cloud.seedEndpoint({
    Name: "chat",
    ModelReference: { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" } },
    RateLimit: { Rpm: 5 },
    Tags: [{ Key: "ark-sync:address", Value: "default/chat" }],
  });
  await ws.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 7 } }));
  cloud.resetStats();
  const io = await applyOk(cloud, ws);
  assert.match(io.stderr, `default/chat: Adopting... [id=${seeded.Id}]`);
  assert.match(io.stdout, "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.");
  assert.is(cloud.stats().byAction.CreateEndpoint, undefined);
  assert.is(idOf(await ws.state(), "default/chat"), seeded.Id);
  assert.equal(cloud.getEndpoint(seeded.Id)?.RateLimit, { Rpm: 7 });
  assert.match((await nextPlan(cloud, ws.manifests)).text, /^No changes\./m);
});

stories(
  "a second state declaring the same address never takes over the first state's endpoint",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 7 } }));
    await applyOk(cloud, ws);
    const first = idOf(await ws.state(), "default/chat");
    const lineage = (await ws.state())?.lineage;
    assert.ok(
      cloud.getEndpoint(first)?.Tags.some((tag) => tag.Key === "ark-sync:state" && tag.Value === lineage),
      "created endpoints name their state",
    );

    // Another environment's directory (or a fresh checkout whose state was lost), same address.
    const other = await makeWorkspace();
    try {
      await other.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 99 } }));
      const { plan, text } = await nextPlan(cloud, other.manifests);
      assert.equal(plan.resource_changes[0]?.change.actions, ["create"]);
      assert.match(
        text.replace(/\s+/g, " "),
        `${first} carries the ownership tag of default/chat for another state`,
      );
      const io = await applyOk(cloud, other);
      assert.match(io.stdout, "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
      assert.equal(
        cloud.getEndpoint(first)?.RateLimit,
        { Rpm: 7 },
        "the first state's endpoint is untouched",
      );
      assert.is.not(idOf(await other.state(), "default/chat"), first);
      assert.match((await nextPlan(cloud, ws.manifests)).text, /^No changes\./m);
      assert.match((await nextPlan(cloud, other.manifests)).text, /^No changes\./m);
    } finally {
      await other.dispose();
    }
  },
);

stories("--target applies only the addresses named", async ({ cloud, ws }) => {
  await ws.write("a.yaml", endpointYaml("a"));
  await ws.write("b.yaml", endpointYaml("b"));
  const io = await applyOk(cloud, ws, { targets: ["default/a"] });
  assert.match(io.stdout, "Resource targeting is in effect");
  assert.match(io.stdout, "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
  assert.equal(
    cloud.listEndpoints().map((endpoint) => endpoint.Name),
    ["a"],
  );
  assert.equal(Object.keys((await ws.state())?.resources ?? {}), ["default/a"]);
});

stories(
  "a rename with moved_from updates the endpoint in place: same endpoint_id, the state record moves",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 10 } }));
    await applyOk(cloud, ws);
    const id = idOf(await ws.state(), "default/chat");
    const serial = (await ws.state())?.serial ?? 0;
    cloud.resetStats();

    await ws.write(
      "chat.yaml",
      endpointYaml("chat-v2", { rateLimit: { rpm: 10 }, movedFrom: "default/chat" }),
    );
    const planned = await nextPlan(cloud, ws.manifests);
    assert.match(
      planned.text,
      "  # default/chat-v2 will be updated in-place\n  # (moved from default/chat)\n",
    );
    assert.match(planned.text, '~ name        = "chat" -> "chat-v2"');
    assert.match(planned.text, "Plan: 0 to add, 1 to change, 0 to destroy.");
    assert.not.match(planned.text, "will be destroyed");
    assert.equal(
      planned.plan.resource_changes.map((rc) => [rc.address, rc.previous_address, rc.endpoint_id]),
      [["default/chat-v2", "default/chat", id]],
    );

    const io = await applyOk(cloud, ws);
    assert.match(io.stdout, "(moved from default/chat)");
    assert.match(io.stderr, `default/chat-v2: Modifying... [id=${id}]`);
    assert.match(io.stdout, "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.");
    const calls = cloud.stats().byAction;
    assert.is(calls.UpdateEndpoint, 1);
    assert.is(calls.CreateEndpoint, undefined);
    assert.is(calls.DeleteEndpoint, undefined);
    assert.is(cloud.getEndpoint(id)?.Name, "chat-v2");
    assert.is(cloud.listEndpoints().length, 1);

    const state = await ws.state();
    assert.equal(Object.keys(state?.resources ?? {}), ["default/chat-v2"]);
    assert.is(idOf(state, "default/chat-v2"), id);
    assert.is(state?.resources["default/chat-v2"]?.last_applied?.name, "chat-v2");
    assert.is(state?.serial, serial + 1, "the old record left in the same write that added the new one");

    const next = await nextPlan(cloud, ws.manifests);
    assert.match(next.text, /^No changes\./m);
    assert.equal(
      next.plan.resource_changes.map((rc) => [rc.address, rc.previous_address]),
      [["default/chat-v2", undefined]],
      "moved_from, still in the manifest, is ignored once applied",
    );
  },
);

stories(
  "a rename that also starts managing moderation reads the moved endpoint in full: no replacement",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat"));
    await applyOk(cloud, ws);
    // Ark gives the endpoint the Default strategy; list items carry no moderation.
    await ws.write(
      "chat.yaml",
      endpointYaml("chat-v2", { moderation: "Default", movedFrom: "default/chat" }),
    );
    const planned = await nextPlan(cloud, ws.manifests);
    assert.equal(planned.plan.resource_changes[0]?.change.actions, ["update"], planned.text);
    assert.equal(planned.plan.resource_changes[0]?.change.patch, [
      { op: "replace", path: "/name", value: "chat-v2" },
    ]);
  },
);

stories("moved_from to another project replaces the endpoint and moves the record", async ({ cloud, ws }) => {
  await ws.write("chat.yaml", endpointYaml("chat"));
  await applyOk(cloud, ws);
  const oldId = idOf(await ws.state(), "default/chat");

  await ws.write("chat.yaml", endpointYaml("chat", { project: "team-a", movedFrom: "default/chat" }));
  const io = await applyOk(cloud, ws);
  assert.match(io.stdout, "  # team-a/chat must be replaced\n  # (moved from default/chat)\n");
  assert.match(io.stdout, "Apply complete! Resources: 1 added, 0 changed, 1 destroyed.");
  assert.match(io.stderr, `team-a/chat: Destroying... [id=${oldId}]`);
  assert.is(cloud.getEndpoint(oldId), undefined);
  const state = await ws.state();
  assert.equal(Object.keys(state?.resources ?? {}), ["team-a/chat"]);
  const newId = idOf(state, "team-a/chat");
  assert.is.not(newId, oldId);
  assert.is(cloud.getEndpoint(newId)?.ProjectName, "team-a");
  assert.match((await nextPlan(cloud, ws.manifests)).text, /^No changes\./m);
});

stories(
  "renamed on Ark first, then moved_from: the plan is the move alone and apply only moves the record",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat"));
    await applyOk(cloud, ws);
    const id = idOf(await ws.state(), "default/chat");
    await cloud.changeEndpoint(id, { Name: "chat-v2" });
    await ws.write("chat.yaml", endpointYaml("chat-v2", { movedFrom: "default/chat" }));

    const planned = await nextPlan(cloud, ws.manifests);
    assert.match(planned.text, "  # default/chat has moved to default/chat-v2\n");
    assert.match(planned.text, "Plan: 0 to add, 0 to change, 0 to destroy.");
    assert.not.match(planned.text, "No changes.");
    const cli = startCli(["plan", "manifests", "--detailed-exitcode", "--api-url", cloud.url], ws.root);
    assert.is((await cli.exit).code, 2, `a move is a change to apply\n${cli.stderr()}`);

    cloud.resetStats();
    const io = await applyOk(cloud, ws);
    assert.match(io.stderr, `default/chat-v2: Moved in state from default/chat [id=${id}]`);
    assert.match(io.stdout, "Apply complete! Resources: 0 added, 0 changed, 0 destroyed.");
    const calls = cloud.stats().byAction;
    assert.equal(
      [calls.CreateEndpoint, calls.UpdateEndpoint, calls.DeleteEndpoint],
      [undefined, undefined, undefined],
    );
    const state = await ws.state();
    assert.equal(Object.keys(state?.resources ?? {}), ["default/chat-v2"]);
    assert.is(idOf(state, "default/chat-v2"), id);
    assert.is(state?.resources["default/chat-v2"]?.last_applied?.name, "chat-v2");
    assert.match((await nextPlan(cloud, ws.manifests)).text, /^No changes\./m);
  },
);

stories(
  "after a rename, a new manifest at the old address creates an endpoint, never adopts the renamed one",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat"));
    await applyOk(cloud, ws);
    const id = idOf(await ws.state(), "default/chat");
    await ws.write("chat.yaml", endpointYaml("chat-v2", { movedFrom: "default/chat" }));
    await applyOk(cloud, ws);

    // The renamed endpoint still carries the ownership tag of default/chat (Ark cannot change tags).
    assert.equal([...countByOwner(cloud)], [["default/chat", 1]]);
    await ws.write("chat.yaml", endpointYaml("chat-v2"));
    await ws.write("chat-again.yaml", endpointYaml("chat"));
    const io = await applyOk(cloud, ws);
    assert.match(io.stdout, "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
    const state = await ws.state();
    assert.is(idOf(state, "default/chat-v2"), id);
    assert.is.not(idOf(state, "default/chat"), id);
    assert.is(cloud.listEndpoints().length, 2);
    assert.match((await nextPlan(cloud, ws.manifests)).text, /^No changes\./m);
  },
);

stories.run();
