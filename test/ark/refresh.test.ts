// readLiveEndpoints with the real client against the emulator: list calls, gets only where needed.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readLiveEndpoints } from "../../src/ark/refresh.js";
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
  const live = await readLiveEndpoints(h.client, () => false);
  assert.is(live.length, 250);
  const ids = live.map((endpoint) => endpoint.endpoint_id);
  assert.equal(ids, [...ids].sort());
  assert.is(h.emulator.stats().byAction.ListEndpoints, 3);
  assert.is(h.emulator.stats().byAction.GetEndpoint, undefined);
  assert.ok(live.every((endpoint) => endpoint.attributes.moderation === undefined));
});

test("GetEndpoint only for the items needsFullRead picks, which then carry moderation", async () => {
  await seedEndpoints(h.emulator, 30);
  h.emulator.resetStats();
  const managesModeration = new Set(["default/bench-00000", "default/bench-00003", "default/bench-00010"]);
  const asked: string[] = [];
  const live = await readLiveEndpoints(h.client, (item) => {
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
    listEndpoints: async () => {
      const items = await h.client.listEndpoints();
      await h.emulator.deleteEndpoint(items[0]?.endpoint_id ?? "");
      return items;
    },
    getEndpoint: h.client.getEndpoint,
  };
  const live = await readLiveEndpoints(client, () => true);
  assert.is(live.length, 2);
  assert.ok(live.every((endpoint) => endpoint.attributes.moderation));
});

test("an empty account: one list call, nothing else", async () => {
  assert.equal(await readLiveEndpoints(h.client, () => true), []);
  assert.is(h.client.stats().calls.ListEndpoints, 1);
  assert.is(h.client.stats().calls.GetEndpoint, 0);
});

test.run();
