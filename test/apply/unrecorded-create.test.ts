// An apply cut off between CreateEndpoint and its state write leaves an endpoint with this state's
// ownership tag that the state does not record. A plan whose list returns it adopts it; a list a
// delete shifted past it (the emulator's listShiftsPast) plans a create, and apply's look-up by the tag
// before every create refuses to make a second endpoint. The look-up passes over the endpoints the
// state records (a replacement's old one) and endpoints another state owns.
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Emulator } from "../../src/emulator/start-emulator.js";
import {
  applyHere,
  countByOwner,
  endpointYaml,
  ioLosingFirstCreate,
  makeWorkspace,
  nextPlan,
  startCloud,
  type Workspace,
} from "./helpers.js";

interface Unrecorded {
  ws: Workspace;
  dataFile: string;
  /** The endpoint the cut-off apply created for default/chat. */
  id: string;
  clouds: Emulator[];
}

const unrecorded = suite<Unrecorded>("an endpoint created by an apply that never recorded it");

/** default/chat created, its answer lost and every look-up after it failed, so nothing recorded it;
 * the emulator's endpoints kept in its data file. Each test gets a copy of that workspace. */
let template: Workspace;
unrecorded.before(async () => {
  template = await makeWorkspace();
  const cloud = await startCloud({ dataFile: join(template.root, "cloud.json"), provisioningDelayMs: 0 });
  try {
    await template.write("chat.yaml", endpointYaml("chat"));
    const io = ioLosingFirstCreate(cloud);
    const run = await applyHere(cloud, template.manifests, {}, { io });
    if (!io.stderr.includes("with an unknown outcome")) throw new Error(`setup: ${io.stderr}`);
    if (run.code !== 1 || cloud.listEndpoints().length !== 1) throw new Error(`setup: ${io.stderr}`);
  } finally {
    await cloud.close();
  }
});

unrecorded.after(() => template.dispose());

unrecorded.before.each(async (context) => {
  context.clouds = [];
  context.ws = await makeWorkspace();
  await cp(template.root, context.ws.root, { recursive: true });
  context.dataFile = join(context.ws.root, "cloud.json");
  const cloud = await reopen(context);
  context.id = cloud.listEndpoints()[0]?.Id ?? "";
  await cloud.close();
  context.clouds = [];
});

unrecorded.after.each(async ({ clouds, ws }) => {
  for (const cloud of clouds) await cloud.close();
  await ws.dispose();
});

/** The cloud the cut-off apply left, its unfiltered lists shifted past `shiftedPast`. */
async function reopen(context: Unrecorded, shiftedPast: string[] = []): Promise<Emulator> {
  const cloud = await startCloud({
    dataFile: context.dataFile,
    provisioningDelayMs: 0,
    listShiftsPast: shiftedPast,
  });
  context.clouds.push(cloud);
  return cloud;
}

const chatChange = (plan: Awaited<ReturnType<typeof nextPlan>>["plan"]) =>
  plan.resource_changes.find((change) => change.address === "default/chat");

unrecorded(
  "the state records nothing for it, and the endpoint carries this state's tags",
  async (context) => {
    const { ws, id } = context;
    const state = await ws.state();
    assert.equal(state?.resources, {});
    const cloud = await reopen(context);
    const tags = cloud.getEndpoint(id)?.Tags ?? [];
    assert.equal(
      tags.filter((tag) => tag.Key.startsWith("ark-sync:")),
      [
        { Key: "ark-sync:address", Value: "default/chat" },
        { Key: "ark-sync:state", Value: state?.lineage as string },
      ],
    );
  },
);

unrecorded(
  "a list shifted past it plans a create; apply refuses to create beside it; a later plan adopts it",
  async (context) => {
    const { ws, id } = context;
    const shifted = await reopen(context, [id]);
    const planned = await nextPlan(shifted, ws.manifests);
    assert.equal(chatChange(planned.plan)?.change.actions, ["create"], planned.text);

    shifted.resetStats();
    const run = await applyHere(shifted, ws.manifests);
    assert.is(run.code, 1, run.io.stderr);
    const stderr = run.io.stderr.replace(/\s+/g, " ");
    assert.match(stderr, `default/chat: Not created: ${id} has its ownership tag (see below)`);
    assert.match(
      stderr,
      `default/chat: create failed: ${id} already carries this state's ownership tag for default/chat but is not recorded in state`,
    );
    assert.match(
      stderr,
      `The next plan adopts ${id} by its ownership tag: run ark-sync plan, then ark-sync apply.`,
    );
    assert.match(stderr, `ark-sync import default/chat ${id}`);
    assert.not.match(run.io.stderr, "default/chat: Creating...");
    assert.is(shifted.stats().byAction.CreateEndpoint, 1, "only the DryRun check, never a create");
    assert.equal([...countByOwner(shifted)], [["default/chat", 1]]);
    assert.equal((await ws.state())?.resources, {}, "the state is untouched for it");
    await shifted.close();
    context.clouds = [];

    const listed = await reopen(context);
    const next = await nextPlan(listed, ws.manifests);
    assert.is(chatChange(next.plan)?.action_reason, "adopted_by_ownership_tag", next.text);
    assert.is(chatChange(next.plan)?.endpoint_id, id);
    const adopted = await applyHere(listed, ws.manifests);
    assert.is(adopted.code, 0, adopted.io.stderr);
    assert.is((await ws.state())?.resources["default/chat"]?.endpoint_id, id);
    assert.equal([...countByOwner(listed)], [["default/chat", 1]]);
  },
);

unrecorded("a list that returns it: plan adopts it and apply creates nothing", async (context) => {
  const { ws, id } = context;
  const cloud = await reopen(context);
  const { plan, text } = await nextPlan(cloud, ws.manifests);
  assert.is(chatChange(plan)?.action_reason, "adopted_by_ownership_tag", text);
  cloud.resetStats();
  const run = await applyHere(cloud, ws.manifests);
  assert.is(run.code, 0, run.io.stderr);
  assert.is(cloud.stats().byAction.CreateEndpoint, undefined);
  assert.is((await ws.state())?.resources["default/chat"]?.endpoint_id, id);
  assert.match((await nextPlan(cloud, ws.manifests)).text, /^No changes\./m);
});

const lookups = suite<{ ws: Workspace; clouds: Emulator[] }>("the look-up before a create");
lookups.before.each(async (context) => {
  context.clouds = [];
  context.ws = await makeWorkspace();
});
lookups.after.each(async ({ clouds, ws }) => {
  for (const cloud of clouds) await cloud.close();
  await ws.dispose();
});

lookups(
  "replacements create beside the recorded old endpoint, which carries the same tags",
  async (context) => {
    const { ws } = context;
    const cloud = await startCloud({ provisioningDelayMs: 0 });
    context.clouds.push(cloud);
    const replaced = async (tags: Record<string, string>, lifecycle: { create_before_destroy: boolean }) => {
      const oldId = (await ws.state())?.resources["default/chat"]?.endpoint_id as string;
      await ws.write("chat.yaml", endpointYaml("chat", { tags, lifecycle }));
      const run = await applyHere(cloud, ws.manifests);
      assert.is(run.code, 0, run.io.stderr);
      assert.match(run.io.stdout, "Apply complete! Resources: 1 added, 0 changed, 1 destroyed.");
      const newId = (await ws.state())?.resources["default/chat"]?.endpoint_id as string;
      assert.is.not(newId, oldId);
      assert.is(cloud.getEndpoint(oldId), undefined);
      assert.equal([...countByOwner(cloud)], [["default/chat", 1]]);
    };
    await ws.write("chat.yaml", endpointYaml("chat", { tags: { env: "a" } }));
    assert.is((await applyHere(cloud, ws.manifests)).code, 0);
    await replaced({ env: "b" }, { create_before_destroy: true });
    await replaced({ env: "c" }, { create_before_destroy: false });
  },
);

lookups(
  "an endpoint another state owns is not this state's: apply creates beside it, as plan says",
  async (context) => {
    const { ws } = context;
    const foreignId = "ep-20250101000000-fgn01";
    const cloud = await startCloud({ provisioningDelayMs: 0, listShiftsPast: [foreignId] });
    context.clouds.push(cloud);
    await cloud.seedEndpoint({
      Id: foreignId,
      Name: "chat",
      ModelReference: { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" } },
      Tags: [
        { Key: "ark-sync:address", Value: "default/chat" },
        { Key: "ark-sync:state", Value: "00000000-0000-4000-8000-000000000000" },
      ],
    });
    await ws.write("chat.yaml", endpointYaml("chat"));
    const run = await applyHere(cloud, ws.manifests);
    assert.is(run.code, 0, run.io.stderr);
    assert.match(run.io.stdout, "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
    const recorded = (await ws.state())?.resources["default/chat"]?.endpoint_id;
    assert.ok(recorded !== undefined && recorded !== foreignId, "a new endpoint is recorded");
    assert.equal([...countByOwner(cloud)], [["default/chat", 2]]);
  },
);

lookups(
  "an endpoint tagged before the state tag existed is this state's: the create is refused",
  async (context) => {
    const { ws } = context;
    const legacyId = "ep-20250101000000-old01";
    const cloud = await startCloud({ provisioningDelayMs: 0, listShiftsPast: [legacyId] });
    context.clouds.push(cloud);
    await cloud.seedEndpoint({
      Id: legacyId,
      Name: "chat",
      ModelReference: { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" } },
      Tags: [{ Key: "ark-sync:address", Value: "default/chat" }],
    });
    await ws.write("chat.yaml", endpointYaml("chat"));
    const run = await applyHere(cloud, ws.manifests);
    assert.is(run.code, 1, run.io.stderr);
    assert.match(run.io.stderr, `default/chat: create failed: ${legacyId} already carries`);
    assert.equal([...countByOwner(cloud)], [["default/chat", 1]]);
  },
);

unrecorded.run();
lookups.run();
