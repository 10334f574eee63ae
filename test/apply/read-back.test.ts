// Every UpdateEndpoint and CreateEndpoint is read back (src/apply/read-back.ts), against both answers
// Ark may give: the emulator as it is (it does what it says OK to), and with its knobs set to ignore a
// field (ignoreUpdateFields, ignoreCreateFields). A value Ark ignored fails the resource naming it and
// what Ark holds, the state records what Ark holds and the ignored write, and the next plan writes it
// another way, or fails when no way is left, instead of sending the same write forever.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { StateResource } from "../../src/core/types.js";
import type { Emulator, EmulatorOptions } from "../../src/emulator/start-emulator.js";
import {
  applyHere,
  closeCloud,
  endpointYaml,
  makeWorkspace,
  nextPlan,
  startCloud,
  type Workspace,
} from "./helpers.js";

interface Context {
  cloud: Emulator;
  ws: Workspace;
}

const readBack = suite<Context>("reading back every write");
readBack.after.each(closeCloud);

async function setUp(context: Context, options: Partial<EmulatorOptions> = {}): Promise<Context> {
  context.cloud = await startCloud(options);
  context.ws = await makeWorkspace();
  return context;
}

async function apply({ cloud, ws }: Context) {
  const run = await applyHere(cloud, ws.manifests);
  return { code: run.code ?? 1, out: run.io.stdout, err: run.io.stderr, error: run.error };
}

async function applyOk(context: Context) {
  const run = await apply(context);
  if (run.code !== 0) throw new Error(`apply failed: ${String(run.error)}\n${run.err}`);
  return run;
}

async function record({ ws }: Context): Promise<StateResource> {
  const resource = (await ws.state())?.resources["default/chat"];
  if (!resource) throw new Error("default/chat is not in state");
  return resource;
}

/** The plain words of the text plan, whatever its line breaks. */
async function planWords({ cloud, ws }: Context) {
  const { plan, text } = await nextPlan(cloud, ws.manifests);
  return { plan, text: text.replace(/\s+/g, " ") };
}

readBack(
  "Ark does what it answered OK to: each write is followed by a GetEndpoint, and nothing fails",
  async (context) => {
    const calls: string[] = [];
    const { ws } = await setUp(context, { onCall: (call) => calls.push(call.action) });
    await ws.write("chat.yaml", endpointYaml("chat", { moderation: "Basic", rateLimit: { rpm: 10 } }));
    await applyOk(context);
    assert.is(calls.at(-1), "GetEndpoint", `the create is read back once Running: ${calls.join(" ")}`);

    await ws.write("chat.yaml", endpointYaml("chat", { moderation: "Default", description: "d" }));
    calls.length = 0;
    await applyOk(context);
    assert.equal(calls.slice(calls.indexOf("UpdateEndpoint")), ["UpdateEndpoint", "GetEndpoint"]);
    const recorded = await record(context);
    assert.equal(recorded.last_applied?.moderation, { strategy: "Default" });
    assert.is(recorded.ignored_writes, undefined);
  },
);

readBack(
  "UpdateEndpoint ignores moderation: the resource fails naming it, the state records Default, the next plan replaces",
  async (context) => {
    const { cloud, ws } = await setUp(context, { ignoreUpdateFields: ["Moderation"] });
    await ws.write("chat.yaml", endpointYaml("chat", { moderation: "Default" }));
    await applyOk(context);
    const id = (await record(context)).endpoint_id;

    await ws.write("chat.yaml", endpointYaml("chat", { moderation: "Basic", description: "new" }));
    const failed = await apply(context);
    assert.is(failed.code, 1);
    assert.match(
      failed.err,
      `Ark answered UpdateEndpoint for ${id} with success but did not change moderation.strategy (Ark holds "Default"; ark-sync sent "Basic")`,
    );
    assert.is(cloud.getEndpoint(id)?.Description, "new", "the rest of the update took effect");
    const recorded = await record(context);
    assert.equal(recorded.last_applied?.moderation, { strategy: "Default" }, "what Ark holds");
    assert.is(recorded.last_applied?.description, "new");
    assert.equal(
      recorded.ignored_writes?.map(({ path, action, sent, held }) => ({ path, action, sent, held })),
      [{ path: ["moderation", "strategy"], action: "UpdateEndpoint", sent: "Basic", held: "Default" }],
    );

    const next = await planWords(context);
    assert.equal(next.plan.resource_changes[0]?.change.actions, ["delete", "create"]);
    assert.match(next.text, "Warning: Ark ignored an earlier write");
    assert.match(next.text, "moderation.strategy cannot change in place on this endpoint");

    cloud.resetStats();
    await applyOk(context);
    assert.is(cloud.stats().byAction.UpdateEndpoint, undefined, "the ignored write is not sent again");
    const replaced = await record(context);
    assert.is.not(replaced.endpoint_id, id);
    assert.equal(cloud.getEndpoint(replaced.endpoint_id)?.Moderation, { Strategy: "Basic" });
    assert.is(replaced.ignored_writes, undefined, "a new endpoint starts with a clean record");
    assert.match((await planWords(context)).text, /^No changes\./);
  },
);

readBack(
  "CreateEndpoint ignores moderation: the create fails naming it, and the next plan sets it in place",
  async (context) => {
    const { cloud, ws } = await setUp(context, { ignoreCreateFields: ["Moderation"] });
    await ws.write("chat.yaml", endpointYaml("chat", { moderation: "Basic" }));
    const failed = await apply(context);
    assert.is(failed.code, 1);
    const recorded = await record(context);
    const id = recorded.endpoint_id;
    assert.match(
      failed.err,
      `Ark answered CreateEndpoint for ${id} with success but did not change moderation.strategy (Ark holds "Default"; ark-sync sent "Basic")`,
    );
    assert.equal(recorded.last_applied?.moderation, { strategy: "Default" });
    assert.equal(recorded.ignored_writes?.[0]?.action, "CreateEndpoint");

    const next = await planWords(context);
    assert.equal(next.plan.resource_changes[0]?.change.actions, ["update"]);
    assert.match(next.text, "this plan sets it with UpdateEndpoint instead");
    await applyOk(context);
    assert.equal(cloud.getEndpoint(id)?.Moderation, { Strategy: "Basic" });
    assert.is((await record(context)).ignored_writes, undefined, "written and held: no longer ignored");
    assert.match((await planWords(context)).text, /^No changes\./);
  },
);

readBack(
  "Ark ignores moderation both ways: the plan fails instead of trying again, until the manifest accepts what Ark holds",
  async (context) => {
    const { cloud, ws } = await setUp(context, {
      ignoreCreateFields: ["Moderation"],
      ignoreUpdateFields: ["Moderation"],
    });
    await ws.write("chat.yaml", endpointYaml("chat", { moderation: "Basic" }));
    assert.is((await apply(context)).code, 1, "the create is ignored");
    assert.is((await apply(context)).code, 1, "then the update in place");
    assert.equal(
      (await record(context)).ignored_writes?.map((write) => write.action),
      ["CreateEndpoint", "UpdateEndpoint"],
    );

    const next = await planWords(context);
    assert.equal(
      next.plan.errors.map((error) => error.code),
      ["value_not_writable"],
    );
    assert.match(next.text, "ark-sync has no other way to write it, so it does not try again");
    cloud.resetStats();
    const refused = await apply(context);
    assert.is(refused.code, 1);
    assert.equal(cloud.stats().byAction.UpdateEndpoint ?? 0, 0, "nothing sent");
    assert.equal(cloud.stats().byAction.CreateEndpoint ?? 0, 0);

    await ws.write("chat.yaml", endpointYaml("chat", { moderation: "Default" }));
    await applyOk(context);
    assert.is((await record(context)).ignored_writes, undefined);
    assert.match((await planWords(context)).text, /^No changes\./);
  },
);

readBack.run();
