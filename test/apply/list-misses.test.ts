// ListEndpoints pages by number with no snapshot, so a delete between two pages can hide an endpoint
// from the list (docs/ark-api.md, Confirming an absence). A recorded endpoint no list returns is read
// with GetEndpoint before plan, apply, refresh or a saved plan's check take it for gone: found, it is
// live, and nothing is created beside it or forgotten while it runs. The emulator's listSkipsEndpoints
// is the pessimistic answer; the honest list, and an endpoint really deleted, are the others.
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as refresh from "../../src/app/refresh.js";
import { checkSavedPlanLive } from "../../src/apply/saved-plan.js";
import { createArkClient } from "../../src/ark/client.js";
import type { Emulator } from "../../src/emulator/start-emulator.js";
import { runLikeCli, testContext } from "../app/context.js";
import {
  applyHere,
  cloudEnv,
  countByOwner,
  credentials,
  endpointYaml,
  makeWorkspace,
  nextPlan,
  startCloud,
  type Workspace,
} from "./helpers.js";

interface Recorded {
  ws: Workspace;
  dataFile: string;
  ids: { chat: string; old: string };
  clouds: Emulator[];
}

const misses = suite<Recorded>("a list that misses a recorded endpoint");

/** chat and old applied and recorded once, the emulator's endpoints kept in its data file; each test
 * gets a copy of that workspace. */
let template: Workspace;
misses.before(async () => {
  template = await makeWorkspace();
  const cloud = await startCloud({ dataFile: join(template.root, "cloud.json"), provisioningDelayMs: 0 });
  await template.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 10 } }));
  await template.write("old.yaml", endpointYaml("old"));
  const run = await applyHere(cloud, template.manifests);
  await cloud.close();
  if (run.code !== 0) throw new Error(`apply failed: ${String(run.error)}\n${run.io.stderr}`);
});

misses.after(() => template.dispose());

misses.before.each(async (context) => {
  context.clouds = [];
  context.ws = await makeWorkspace();
  await cp(template.root, context.ws.root, { recursive: true });
  context.dataFile = join(context.ws.root, "cloud.json");
  const resources = (await context.ws.state())?.resources ?? {};
  context.ids = {
    chat: resources["default/chat"]?.endpoint_id ?? "",
    old: resources["default/old"]?.endpoint_id ?? "",
  };
});

misses.after.each(async ({ clouds, ws }) => {
  for (const cloud of clouds) await cloud.close();
  await ws.dispose();
});

/** The recorded cloud again, its lists skipping `skipped`. */
async function reopen(context: Recorded, skipped: string[] = []): Promise<Emulator> {
  const cloud = await startCloud({
    dataFile: context.dataFile,
    provisioningDelayMs: 0,
    listSkipsEndpoints: skipped,
  });
  context.clouds.push(cloud);
  return cloud;
}

const actionsOf = (plan: Awaited<ReturnType<typeof nextPlan>>["plan"]) =>
  Object.fromEntries(plan.resource_changes.map((change) => [change.address, change.change.actions]));

misses(
  "plan and apply: a missed endpoint is no change, and a missed removed one is destroyed",
  async (context) => {
    const { ws, ids } = context;
    await ws.remove("old.yaml");
    const cloud = await reopen(context, [ids.chat, ids.old]);

    const { plan, text } = await nextPlan(cloud, ws.manifests);
    assert.equal(actionsOf(plan), { "default/chat": ["no-op"], "default/old": ["delete"] }, text);
    assert.equal(plan.resource_drift, [], "not deleted outside ark-sync");
    assert.match(text, "Plan: 0 to add, 0 to change, 1 to destroy.");

    cloud.resetStats();
    const run = await applyHere(cloud, ws.manifests);
    assert.is(run.code, 0, `${String(run.error)}\n${run.io.stderr}`);
    assert.match(run.io.stdout, "Apply complete! Resources: 0 added, 0 changed, 1 destroyed.");
    assert.is(cloud.stats().byAction.CreateEndpoint, undefined, "nothing created beside chat");
    assert.equal([...countByOwner(cloud)], [["default/chat", 1]]);
    assert.is(cloud.getEndpoint(ids.old), undefined, "old deleted, not merely forgotten");
    assert.equal(Object.keys((await ws.state())?.resources ?? {}), ["default/chat"]);
  },
);

misses(
  "the other answers: listed, no change; really deleted, planned deleted outside as before",
  async (context) => {
    const { ws, ids } = context;
    const cloud = await reopen(context);
    const listed = await nextPlan(cloud, ws.manifests);
    assert.equal(actionsOf(listed.plan), { "default/chat": ["no-op"], "default/old": ["no-op"] });

    await cloud.deleteEndpoint(ids.chat);
    const { plan, text } = await nextPlan(cloud, ws.manifests);
    assert.equal(actionsOf(plan), { "default/chat": ["create"], "default/old": ["no-op"] }, text);
    assert.is(plan.resource_changes[0]?.action_reason, "deleted_outside");
    assert.match(text, "# default/chat has been deleted");
  },
);

misses("refresh does not forget an endpoint the list missed", async (context) => {
  const { ws, ids } = context;
  const cloud = await reopen(context, [ids.chat]);
  const before = await ws.state();
  const run = await runLikeCli(
    refresh.run,
    {
      dir: ws.manifests,
      ark: { apiUrl: cloud.url, region: "cn-beijing", parallelism: 10 },
      autoApprove: true,
    },
    testContext({ env: cloudEnv }),
  );
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, "No changes. The last-applied record matches Ark.");
  assert.equal(await ws.state(), before);
});

misses("a saved plan is not stale because the list missed an endpoint it changes", async (context) => {
  const { ws, ids } = context;
  await ws.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 20 } }));
  const honest = await reopen(context);
  const { plan } = await nextPlan(honest, ws.manifests);
  assert.equal(actionsOf(plan)["default/chat"], ["update"]);
  await honest.close();
  context.clouds = [];

  const cloud = await reopen(context, [ids.chat]);
  const client = createArkClient({
    apiUrl: cloud.url,
    credentials: { accessKeyId: credentials.accessKey, secretKey: credentials.secretKey },
  });
  const state = await ws.state();
  const checked = await checkSavedPlanLive(plan, client, state);
  const chat = checked.resource_changes.find((change) => change.address === "default/chat");
  assert.is(chat?.status, "Running");

  await cloud.deleteEndpoint(ids.chat);
  try {
    await checkSavedPlanLive(plan, client, state);
    assert.unreachable("a deleted endpoint makes the plan stale");
  } catch (error) {
    assert.match(String(error), `${ids.chat} no longer exists on Ark`);
  }
});

misses.run();
