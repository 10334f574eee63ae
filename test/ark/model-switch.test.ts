// The client's model switches, DryRun checks and moderation updates, against the emulator over loopback
// on a clock the test moves (docs/ark-api.md, Actions and DryRun).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { isArkApiError } from "../../src/ark/errors.js";
import type { EndpointAttributes } from "../../src/core/types.js";
import { type Harness, startHarness } from "./emulator-harness.js";

interface Context {
  h: Harness;
  clock: { now: number };
  id: string;
}

const test = suite<Context>("model switches, DryRun and moderation through the client");

const current = { name: "doubao-1-5-pro-32k", model_version: "250115" };
const newer = { name: "doubao-1-5-pro-32k", model_version: "250415" };
const chat: EndpointAttributes = {
  name: "chat",
  project_name: "default",
  model_reference: { foundation_model: current },
};
const owner = { address: "default/chat", state: "lineage-1" };

test.before.each(async (context) => {
  const clock = { now: Date.now() };
  context.clock = clock;
  context.h = await startHarness({ now: () => clock.now });
  context.id = await context.h.client.createEndpoint(chat, owner);
});
test.after.each(async ({ h }) => {
  await h.emulator.close();
});

test("a switch: its percent rises, then the endpoint serves the new model under the same id", async ({
  h,
  clock,
  id,
}) => {
  const rollingId = await h.client.startModelSwitch(id, newer);
  assert.match(rollingId, /^eprol-/);
  const during = await h.client.getEndpoint(id);
  assert.equal(
    [during?.rolling_id, during?.support_rolling, during?.attributes.model_reference],
    [rollingId, true, { foundation_model: current }],
  );
  const percents: number[] = [];
  for (;;) {
    const info = await h.client.getModelSwitch(rollingId);
    assert.equal([info?.id, info?.endpoint_id], [rollingId, id]);
    percents.push(info?.percent ?? -1);
    if (info?.percent === 100) break;
    clock.now += 200;
  }
  assert.equal(percents, [0, 20, 40, 60, 80, 100]);
  const after = await h.client.getEndpoint(id);
  assert.equal(after?.attributes.model_reference, { foundation_model: newer });
  assert.is(after?.rolling_id, undefined, "RollingId cleared");
  assert.is(after?.endpoint_id, id);
});

test("rollback after an injected failure leaves the old model live", async ({ h, clock, id }) => {
  h.emulator.failNextModelSwitch({ atPercent: 40, reason: "new model unhealthy" });
  const rollingId = await h.client.startModelSwitch(id, newer);
  clock.now += 1000;
  const failed = await h.client.getModelSwitch(rollingId);
  assert.equal([failed?.status, failed?.percent], ["Failed", 40]);
  assert.is((await h.client.getEndpoint(id))?.status_reason, "new model unhealthy");

  await h.client.rollbackModelSwitch(rollingId);
  clock.now += 200;
  assert.is((await h.client.getModelSwitch(rollingId))?.percent, 20);
  clock.now += 200;
  assert.equal(await h.client.getModelSwitch(rollingId), {
    id: rollingId,
    endpoint_id: id,
    status: "Reverted",
    percent: 0,
  });
  const back = await h.client.getEndpoint(id);
  assert.equal(
    [back?.attributes.model_reference, back?.rolling_id, back?.status_reason],
    [{ foundation_model: current }, undefined, undefined],
  );
});

test("cancel returns at once; a second cancel is refused as invalid", async ({ h, clock, id }) => {
  const rollingId = await h.client.startModelSwitch(id, newer);
  clock.now += 400;
  await h.client.cancelModelSwitch(rollingId);
  assert.equal((await h.client.getModelSwitch(rollingId))?.percent, 0);
  assert.is((await h.client.getEndpoint(id))?.rolling_id, undefined);
  const error = await h.client.cancelModelSwitch(rollingId).catch((thrown: unknown) => thrown);
  assert.ok(isArkApiError(error));
  assert.equal(
    [error.category, error.arkCode, error.httpStatus],
    ["invalid", "OperationDenied.EndpointStatus", 403],
  );
  assert.is(await h.client.getModelSwitch("eprol-20250101000000-nope0"), null);
});

test("a lost CreateEndpointRolling reply: the retry adopts the switch it started", async ({ h, id }) => {
  h.emulator.injectFault({ action: "CreateEndpointRolling", kind: "lost-reply" });
  const rollingId = await h.client.startModelSwitch(id, newer);
  assert.is(h.emulator.getEndpoint(id)?.RollingId, rollingId);
  const calls = h.client.stats().calls;
  assert.equal([calls.CreateEndpointRolling, calls.GetEndpoint], [1, 1]);
});

test("DryRun: a pass is ok, a refusal carries Ark's error, and nothing is created or started", async ({
  h,
  id,
}) => {
  assert.equal(await h.client.dryRunCreateEndpoint(chat, { ...owner, address: "default/chat-2" }), {
    ok: true,
  });
  assert.equal(await h.client.dryRunModelSwitch(id, newer), { ok: true });
  const typo = { name: "doubao-1-5-pro-32kk", model_version: "250115" };
  const create = await h.client.dryRunCreateEndpoint(
    { ...chat, model_reference: { foundation_model: typo } },
    { ...owner, address: "default/chat-2" },
  );
  const unknownVersion = await h.client.dryRunModelSwitch(id, { ...newer, model_version: "991231" });
  const sameModel = await h.client.dryRunModelSwitch(id, current);
  for (const result of [create, unknownVersion, sameModel]) {
    assert.ok(!result.ok && isArkApiError(result.error));
    if (!result.ok && isArkApiError(result.error)) {
      assert.equal([result.error.arkCode, result.error.httpStatus], ["InvalidParameter.ModelReference", 400]);
      assert.ok(result.error.requestId);
    }
  }
  assert.is(h.emulator.listEndpoints().length, 1);
  assert.is(h.emulator.getEndpoint(id)?.RollingId, "");
  assert.is(h.client.stats().retries, 0, "DryRunOperation is never retried");
});

test("DryRun is retried through throttling; a network failure or throttling after the retries is thrown", async ({
  h,
  id,
}) => {
  h.emulator.injectFault({ action: "CreateEndpointRolling", kind: "throttle", dryRun: true });
  assert.equal(await h.client.dryRunModelSwitch(id, newer), { ok: true });
  assert.is(h.client.stats().calls.CreateEndpointRolling, 2);

  h.emulator.injectFault({ action: "CreateEndpoint", kind: "drop", count: 5, dryRun: true });
  const error = await h.client.dryRunCreateEndpoint(chat, owner).catch((thrown: unknown) => thrown);
  assert.ok(isArkApiError(error) && error.category === "network", String(error));

  // Not a verdict on the request: never reported as Ark refusing it.
  h.emulator.injectFault({ action: "CreateEndpoint", kind: "throttle", count: 5, dryRun: true });
  const throttled = await h.client.dryRunCreateEndpoint(chat, owner).catch((thrown: unknown) => thrown);
  assert.ok(isArkApiError(throttled) && throttled.category === "throttled", String(throttled));
});

test("moderation changes in place and keeps the endpoint id", async ({ h, id }) => {
  await h.client.updateEndpoint(id, { moderation: { strategy: "Basic" } });
  const updated = await h.client.getEndpoint(id);
  assert.equal([updated?.endpoint_id, updated?.attributes.moderation], [id, { strategy: "Basic" }]);
  await h.client.updateEndpoint(id, { moderation: { strategy: "Default" } });
  assert.equal((await h.client.getEndpoint(id))?.attributes.moderation, { strategy: "Default" });
});

test.run();
