// Endpoints outside the project `default`, end to end against the emulator, which (like Ark) lists
// only `default` unless ListEndpoints names a project (docs/ark-api.md, ListEndpoints): plan and apply
// converge on them without duplicates, and one carrying our ownership tag is adopted.
import * as assert from "uvu/assert";
import type { Emulator } from "../../src/emulator/start-emulator.js";
import { applyHere, cloudSuite, countByOwner, endpointYaml, nextPlan, type Workspace } from "./helpers.js";

const projects = cloudSuite("endpoints in other projects");

async function applyOk(cloud: Emulator, ws: Workspace) {
  const run = await applyHere(cloud, ws.manifests);
  if (run.code !== 0) throw new Error(`apply failed (${run.code}): ${String(run.error)}\n${run.io.stderr}`);
  return run.io;
}

projects(
  "three endpoints in research: planned, applied, planned again with no changes, applied again with no duplicate",
  async ({ cloud, ws }) => {
    const names = ["chat", "embed", "rerank"];
    for (const name of names) await ws.write(`${name}.yaml`, endpointYaml(name, { project: "research" }));
    const addresses = names.map((name) => `research/${name}`);

    const first = await nextPlan(cloud, ws.manifests);
    assert.equal(first.plan.summary, { add: 3, change: 0, destroy: 0 });
    const io = await applyOk(cloud, ws);
    assert.match(io.stdout, "Apply complete! Resources: 3 added, 0 changed, 0 destroyed.");
    const state = await ws.state();
    assert.equal(Object.keys(state?.resources ?? {}), addresses);
    for (const address of addresses) {
      const id = state?.resources[address]?.endpoint_id ?? "";
      assert.equal(
        [cloud.getEndpoint(id)?.ProjectName, cloud.getEndpoint(id)?.Status],
        ["research", "Running"],
      );
    }

    cloud.resetStats();
    const again = await nextPlan(cloud, ws.manifests);
    assert.match(again.text, /^No changes\./m);
    assert.is(cloud.stats().byAction.ListEndpoints, 2, "default and research, one list each");

    const second = await applyOk(cloud, ws);
    assert.match(second.stdout, /^No changes\./m);
    assert.is(cloud.stats().byAction.CreateEndpoint, undefined);
    assert.equal(
      [...countByOwner(cloud)].sort(),
      addresses.map((address) => [address, 1]),
    );
    assert.equal(await ws.state(), state, "the state is untouched");
  },
);

projects("an endpoint of project research carrying our ownership tag is adopted", async ({ cloud, ws }) => {
  const seeded = await cloud.seedEndpoint({
    Name: "chat",
    ProjectName: "research",
    ModelReference: { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" } },
    RateLimit: { Rpm: 5 },
    Tags: [{ Key: "ark-sync:address", Value: "research/chat" }],
  });
  await ws.write("chat.yaml", endpointYaml("chat", { project: "research", rateLimit: { rpm: 7 } }));
  cloud.resetStats();
  const io = await applyOk(cloud, ws);
  assert.match(io.stderr, `research/chat: Adopting... [id=${seeded.Id}]`);
  assert.match(io.stdout, "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.");
  assert.is(cloud.stats().byAction.CreateEndpoint, undefined);
  assert.is((await ws.state())?.resources["research/chat"]?.endpoint_id, seeded.Id);
  assert.equal(cloud.getEndpoint(seeded.Id)?.RateLimit, { Rpm: 7 });
  assert.match((await nextPlan(cloud, ws.manifests)).text, /^No changes\./m);
});

projects.run();
