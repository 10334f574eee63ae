// Creates whose reply is lost after Ark acted (the emulator's lost-reply fault): never a duplicate,
// and the endpoint found by its ownership tag is the new one, never an older one that carries the same
// tag (the old endpoint of a create-before-destroy replacement, or one renamed away with moved_from).
import * as assert from "uvu/assert";
import {
  applyHere,
  cloudSuite,
  countByOwner,
  endpointYaml,
  ioLosingFirstCreate,
  nextPlan,
} from "./helpers.js";

const lost = cloudSuite("lost replies");

lost("creates whose reply is lost make no duplicates", async ({ cloud, ws }) => {
  for (const name of ["a", "b", "c"]) await ws.write(`${name}.yaml`, endpointYaml(name));
  cloud.injectFault({ kind: "lost-reply", action: "CreateEndpoint", count: 2 });
  const run = await applyHere(cloud, ws.manifests);
  assert.is(run.code, 0, `${String(run.error)}\n${run.io.stderr}`);
  assert.is(cloud.stats().faulted, 2);
  assert.equal([...countByOwner(cloud)].sort(), [
    ["default/a", 1],
    ["default/b", 1],
    ["default/c", 1],
  ]);
  const state = await ws.state();
  for (const endpoint of cloud.listEndpoints()) {
    const owner = endpoint.Tags.find((tag) => tag.Key === "ark-sync:address")?.Value as string;
    assert.is(state?.resources[owner]?.endpoint_id, endpoint.Id);
  }
  assert.match((await nextPlan(cloud, ws.manifests)).text, /^No changes\./m);
});

lost(
  "a lost reply whose ownership look-up fails too is an unknown outcome, and the next run adopts the endpoint",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat"));
    const io = ioLosingFirstCreate(cloud);
    const run = await applyHere(cloud, ws.manifests, {}, { io });
    assert.is(run.code, 1);
    assert.match(io.stderr, "apply did not finish: 1 with an unknown outcome.");
    assert.match(io.stderr, "default/chat: outcome unknown: CreateEndpoint may have made the endpoint");
    assert.match(io.stderr, "adopts it; it is never created twice");
    assert.not.match(io.stderr, "create failed");
    assert.equal([...countByOwner(cloud)], [["default/chat", 1]], "the endpoint exists");
    assert.equal((await ws.state())?.resources, {}, "nothing is recorded for it");

    cloud.clearFaults();
    const next = await applyHere(cloud, ws.manifests);
    assert.is(next.code, 0, next.io.stderr);
    assert.equal([...countByOwner(cloud)], [["default/chat", 1]], "adopted, not created again");
    assert.is((await ws.state())?.resources["default/chat"]?.endpoint_id, cloud.listEndpoints()[0]?.Id);
  },
);

lost(
  "a create-before-destroy replacement with a lost reply keeps the new endpoint, not the old",
  async ({ cloud, ws }) => {
    const lifecycle = { create_before_destroy: true };
    await ws.write("chat.yaml", endpointYaml("chat", { tags: { env: "a" }, lifecycle }));
    assert.is((await applyHere(cloud, ws.manifests)).code, 0);
    const oldId = (await ws.state())?.resources["default/chat"]?.endpoint_id as string;

    await ws.write("chat.yaml", endpointYaml("chat", { tags: { env: "b" }, lifecycle }));
    cloud.injectFault({ kind: "lost-reply", action: "CreateEndpoint", count: 1 });
    const run = await applyHere(cloud, ws.manifests);
    assert.is(run.code, 0, `${String(run.error)}\n${run.io.stderr}`);
    const newId = (await ws.state())?.resources["default/chat"]?.endpoint_id as string;
    assert.is.not(newId, oldId);
    assert.is(cloud.getEndpoint(oldId), undefined);
    assert.equal(cloud.getEndpoint(newId)?.Tags.find((tag) => tag.Key === "env")?.Value, "b");
    assert.equal(cloud.listEndpoints().length, 1);
    assert.match((await nextPlan(cloud, ws.manifests)).text, /^No changes\./m);
  },
);

lost(
  "a lost reply for a create at an address renamed away from adopts the new endpoint, not the renamed one",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat"));
    assert.is((await applyHere(cloud, ws.manifests)).code, 0);
    await ws.write("chat.yaml", endpointYaml("chat-v2", { movedFrom: "default/chat" }));
    assert.is((await applyHere(cloud, ws.manifests)).code, 0);
    const renamedId = (await ws.state())?.resources["default/chat-v2"]?.endpoint_id as string;

    // The renamed endpoint keeps the default/chat ownership tag; a new default/chat gets it too.
    await ws.write("chat.yaml", endpointYaml("chat-v2"));
    await ws.write("chat-again.yaml", endpointYaml("chat", { description: "the new one" }));
    cloud.injectFault({ kind: "lost-reply", action: "CreateEndpoint", count: 1 });
    const run = await applyHere(cloud, ws.manifests);
    assert.is(run.code, 0, `${String(run.error)}\n${run.io.stderr}`);
    assert.is(cloud.stats().faulted, 1);
    const state = await ws.state();
    const newId = state?.resources["default/chat"]?.endpoint_id as string;
    assert.is(state?.resources["default/chat-v2"]?.endpoint_id, renamedId);
    assert.is.not(newId, renamedId);
    assert.is(cloud.getEndpoint(newId)?.Description, "the new one");
    assert.equal([...countByOwner(cloud)], [["default/chat", 2]], "no duplicate was made");
    assert.match((await nextPlan(cloud, ws.manifests)).text, /^No changes\./m);
  },
);

lost.run();
