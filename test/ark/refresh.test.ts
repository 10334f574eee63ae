// readLiveEndpoints and readLiveForPlan with the real client against the emulator: one list per
// project with ProjectName set, Σ⌈Nₚ/100⌉ list calls, gets only where needed.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readLiveEndpoints, readLiveForPlan } from "../../src/ark/refresh.js";
import type { DesiredEndpoint, EndpointAttributes, StateDocument } from "../../src/core/types.js";
import { type Harness, seedEndpoints, startHarness } from "./emulator-harness.js";

const test = suite("readLiveEndpoints");

let h: Harness;
test.before.each(async () => {
  h = await startHarness();
});
test.after.each(async () => {
  await h.emulator.close();
});

test("⌈N/100⌉ list calls and no get when no item needs a full read", async () => {
  await seedEndpoints(h.emulator, 250);
  h.emulator.resetStats();
  const live = await readLiveEndpoints(h.client, ["default"], () => false);
  assert.is(live.length, 250);
  const ids = live.map((endpoint) => endpoint.endpoint_id);
  assert.equal(ids, [...ids].sort());
  assert.is(h.emulator.stats().byAction.ListEndpoints, 3);
  assert.is(h.emulator.stats().byAction.GetEndpoint, undefined);
  assert.ok(live.every((endpoint) => endpoint.attributes.moderation === undefined));
});

test("k projects of Nₚ endpoints cost Σ⌈Nₚ/100⌉ list calls; an empty project costs its one", async () => {
  const sizes: Record<string, number> = { default: 250, research: 100, eval: 101, staging: 0, ops: 1 };
  for (const [project, count] of Object.entries(sizes)) await seedEndpoints(h.emulator, count, project);
  h.emulator.resetStats();
  const live = await readLiveEndpoints(h.client, Object.keys(sizes), () => false);
  const expected = Object.values(sizes).reduce((sum, n) => sum + Math.max(1, Math.ceil(n / 100)), 0);
  assert.is(expected, 3 + 1 + 2 + 1 + 1);
  assert.is(h.emulator.stats().byAction.ListEndpoints, expected);
  assert.is(h.client.stats().calls.ListEndpoints, expected);
  assert.is(h.emulator.stats().byAction.GetEndpoint, undefined);
  assert.is(live.length, 452);
  for (const [project, count] of Object.entries(sizes)) {
    const mine = live.filter((endpoint) => endpoint.attributes.project_name === project);
    assert.is(mine.length, count, project);
    assert.ok(mine.every((endpoint) => endpoint.owner_address?.startsWith(`${project}/`)));
  }
});

test("GetEndpoint only for the items needsFullRead picks, which then carry moderation", async () => {
  await seedEndpoints(h.emulator, 30);
  h.emulator.resetStats();
  const managesModeration = new Set(["default/bench-00000", "default/bench-00003", "default/bench-00010"]);
  const asked: string[] = [];
  const live = await readLiveEndpoints(h.client, ["default"], (item) => {
    asked.push(item.endpoint_id);
    return managesModeration.has(item.owner_address ?? "");
  });
  assert.is(asked.length, 30);
  assert.is(h.emulator.stats().byAction.ListEndpoints, 1);
  assert.is(h.emulator.stats().byAction.GetEndpoint, 3);
  const moderated = live.filter((endpoint) => endpoint.attributes.moderation);
  assert.equal(moderated.map((endpoint) => endpoint.owner_address).sort(), [...managesModeration].sort());
  const byOwner = new Map(live.map((endpoint) => [endpoint.owner_address, endpoint]));
  assert.equal(byOwner.get("default/bench-00000")?.attributes.moderation, { strategy: "Basic" });
  assert.equal(byOwner.get("default/bench-00003")?.attributes.moderation, { strategy: "Default" });
});

test("an endpoint deleted between the list and its get is left out", async () => {
  await seedEndpoints(h.emulator, 3);
  const client = {
    listEndpoints: async (query: { projectName: string }) => {
      const items = await h.client.listEndpoints(query);
      await h.emulator.deleteEndpoint(items[0]?.endpoint_id ?? "");
      return items;
    },
    getEndpoint: h.client.getEndpoint,
  };
  const live = await readLiveEndpoints(client, ["default"], () => true);
  assert.is(live.length, 2);
  assert.ok(live.every((endpoint) => endpoint.attributes.moderation));
});

test("an empty account: one list call, nothing else", async () => {
  assert.equal(await readLiveEndpoints(h.client, ["default"], () => true), []);
  assert.is(h.client.stats().calls.ListEndpoints, 1);
  assert.is(h.client.stats().calls.GetEndpoint, 0);
});

const model = { foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250115" } };

function manifest(project: string, name: string, movedFrom?: string): DesiredEndpoint {
  return {
    address: `${project}/${name}`,
    attributes: { name, project_name: project, model_reference: model },
    lifecycle: {},
    ...(movedFrom ? { moved_from: movedFrom } : {}),
    source: { file: `${name}.yaml`, line: 1, col: 1 },
  };
}

test("readLiveForPlan lists the projects of the manifests, moved_from, state addresses and last-applied, and default", async () => {
  const ids = new Map<string, string>();
  for (const project of ["default", "research", "old-team", "eval", "ops-old", "unnamed"]) {
    const seeded = await h.emulator.seedEndpoint({
      Name: "chat",
      ProjectName: project,
      ModelReference: { CustomModelId: "cm-1" },
      Tags: [{ Key: "ark-sync:address", Value: `${project}/chat` }],
    });
    ids.set(project, seeded.Id);
  }
  const lastApplied: EndpointAttributes = { name: "chat", project_name: "ops-old", model_reference: model };
  const state: StateDocument = {
    version: 1,
    lineage: "lineage-1",
    serial: 3,
    resources: {
      "eval/chat": { endpoint_id: ids.get("eval") ?? "", last_applied: null, applied_at: null },
      "ops/chat": { endpoint_id: "ep-gone", last_applied: lastApplied, applied_at: "2026-01-01T00:00:00Z" },
    },
  };
  h.emulator.resetStats();
  const live = await readLiveForPlan(
    h.client,
    [manifest("research", "chat"), manifest("team", "chat", "old-team/chat")],
    state,
  );
  assert.equal(
    live.map((endpoint) => endpoint.attributes.project_name).sort(),
    ["default", "eval", "old-team", "ops-old", "research"],
    "every named project and default, never the unnamed one",
  );
  // default, eval, old-team, ops, ops-old, research, team: one call each, empty or not.
  assert.is(h.emulator.stats().byAction.ListEndpoints, 7);
  assert.is(h.emulator.stats().byAction.GetEndpoint, 1, "only the recorded ep-gone, listed nowhere");
});

test("a recorded endpoint no list returns is read with GetEndpoint: live when found, gone when not", async () => {
  // Ark's list skips `hidden`, as a delete between two pages may; `gone` was really deleted.
  const ids = { hidden: "ep-20250101000000-hidn1", gone: "ep-20250101000000-gone1" };
  const skipping = await startHarness({ listSkipsEndpoints: [ids.hidden] });
  try {
    const listed = await skipping.emulator.seedEndpoint({
      Name: "listed",
      ModelReference: { CustomModelId: "cm-1" },
    });
    await skipping.emulator.seedEndpoint({
      Id: ids.hidden,
      Name: "hidden",
      ModelReference: { CustomModelId: "cm-1" },
      Moderation: { Strategy: "Basic" },
    });
    const recorded = [listed.Id, ids.hidden, ids.gone];
    const live = await readLiveEndpoints(skipping.client, ["default"], () => false, recorded);
    assert.equal(live.map((endpoint) => endpoint.endpoint_id).sort(), [listed.Id, ids.hidden].sort());
    const hidden = live.find((endpoint) => endpoint.endpoint_id === ids.hidden);
    assert.equal(hidden?.attributes.moderation, { strategy: "Basic" }, "what GetEndpoint says");
    assert.equal(skipping.emulator.stats().byAction.GetEndpoint, 2, "the two no list returned, once each");

    const unexpected = await readLiveEndpoints(skipping.client, ["default"], () => false);
    assert.equal(
      unexpected.map((endpoint) => endpoint.endpoint_id),
      [listed.Id],
      "nothing expected, nothing confirmed",
    );
  } finally {
    await skipping.emulator.close();
  }
});

test.run();
