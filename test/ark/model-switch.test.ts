// The client's model switches, DryRun checks and moderation updates, against the emulator over loopback
// on a clock the test moves (docs/ark-api.md, Actions and DryRun).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { isDryRunIgnored } from "../../src/ark/dry-run.js";
import { isArkApiError } from "../../src/ark/errors.js";
import { isArkSyncError } from "../../src/core/errors.js";
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

/** startModelSwitch's rolling id; fails the test unless Ark started the switch. */
async function started(h: Harness, id: string, model = newer): Promise<string> {
  const start = await h.client.startModelSwitch(id, model);
  if (start.kind !== "started") throw new Error(`expected a started switch, got ${JSON.stringify(start)}`);
  return start.rollingId;
}

test("a switch: its percent rises, then the endpoint serves the new model under the same id", async ({
  h,
  clock,
  id,
}) => {
  const rollingId = await started(h, id);
  assert.match(rollingId, /^eprol-/);
  const during = await h.client.getEndpoint(id);
  assert.equal(
    [during?.rolling_id, during?.support_rolling, during?.attributes.model_reference],
    [rollingId, true, { foundation_model: current }],
  );
  const percents: number[] = [];
  for (;;) {
    const info = await h.client.getModelSwitch(rollingId);
    assert.equal([info?.id, info?.endpoint_id, info?.to, info?.from], [rollingId, id, newer, current]);
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
  const rollingId = await started(h, id);
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
    to: newer,
    from: current,
  });
  const back = await h.client.getEndpoint(id);
  assert.equal(
    [back?.attributes.model_reference, back?.rolling_id, back?.status_reason],
    [{ foundation_model: current }, undefined, undefined],
  );
});

test("cancel returns at once; a second cancel is refused as invalid", async ({ h, clock, id }) => {
  const rollingId = await started(h, id);
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

test("a lost CreateEndpointRolling reply: the switch it started is adopted, once Ark says it moves to the model asked for", async ({
  h,
  id,
}) => {
  h.emulator.injectFault({ action: "CreateEndpointRolling", kind: "lost-reply" });
  const rollingId = await started(h, id);
  assert.is(h.emulator.getEndpoint(id)?.RollingId, rollingId);
  const calls = h.client.stats().calls;
  assert.equal([calls.CreateEndpointRolling, calls.GetEndpoint, calls.GetEndpointRolling], [1, 1, 1]);
});

test("a lost reply when someone else's switch holds the endpoint: foreign, with where it goes, never adopted", async ({
  h,
  id,
}) => {
  const other = await h.emulator.startModelSwitchOutside(id, {
    Name: "doubao-1-5-pro-32k",
    ModelVersion: "250328",
  });
  h.emulator.injectFault({ action: "CreateEndpointRolling", kind: "drop" });
  const start = await h.client.startModelSwitch(id, newer);
  assert.equal(start, {
    kind: "foreign",
    rollingId: other.Id,
    info: {
      id: other.Id,
      endpoint_id: id,
      status: "Running",
      percent: 0,
      to: { name: "doubao-1-5-pro-32k", model_version: "250328" },
      from: current,
    },
  });
  assert.is(h.client.stats().calls.CreateEndpointRolling, 1, "not sent again");
});

test("a lost reply after which the switch has already finished: not sent again", async () => {
  const h = await startHarness({ rollingStepMs: 0 });
  try {
    const id = await h.client.createEndpoint(chat, owner);
    h.emulator.injectFault({ action: "CreateEndpointRolling", kind: "lost-reply" });
    const start = await h.client.startModelSwitch(id, newer);
    assert.is(start.kind, "served");
    assert.equal(start.kind === "served" && start.endpoint.attributes.model_reference, {
      foundation_model: newer,
    });
    assert.is(h.client.stats().calls.CreateEndpointRolling, 1);
  } finally {
    await h.emulator.close();
  }
});

test("a lost reply when Ark does not say where a switch goes: never adopted, reported as foreign without a target", async () => {
  const h = await startHarness({ rollingInfoWithoutModels: true });
  try {
    const id = await h.client.createEndpoint(chat, owner);
    h.emulator.injectFault({ action: "CreateEndpointRolling", kind: "lost-reply" });
    const start = await h.client.startModelSwitch(id, newer);
    assert.is(start.kind, "foreign");
    assert.is(start.kind === "foreign" && start.info?.to, undefined);
    assert.is(h.client.stats().calls.CreateEndpointRolling, 1);
  } finally {
    await h.emulator.close();
  }
});

test("no answer at all settles whether a switch started: model_switch_unknown", async ({ h, id }) => {
  h.emulator.injectFault({ action: "CreateEndpointRolling", kind: "drop", count: 10 });
  const error = await h.client.startModelSwitch(id, newer).catch((thrown: unknown) => thrown);
  assert.ok(isArkSyncError(error) && error.code === "model_switch_unknown", String(error));
  assert.match(String(error), `may have started switching ${id} to doubao-1-5-pro-32k 250415`);
});

test("DryRun: a pass is ok, a refusal carries Ark's error, and nothing is created or started", async ({
  h,
  id,
}) => {
  assert.equal(await h.client.dryRunCreateEndpoint(chat, { ...owner, address: "default/chat-2" }, "run-1"), {
    ok: true,
  });
  // A switch is checked as a DryRun create with its new model: DryRun is documented for CreateEndpoint only.
  const switched = { ...chat, model_reference: { foundation_model: newer } };
  assert.equal(
    await h.client.dryRunCreateEndpoint(switched, { ...owner, address: "default/chat" }, "run-1"),
    {
      ok: true,
    },
  );
  const typo = { name: "doubao-1-5-pro-32kk", model_version: "250115" };
  const create = await h.client.dryRunCreateEndpoint(
    { ...chat, model_reference: { foundation_model: typo } },
    { ...owner, address: "default/chat-2" },
    "run-1",
  );
  const unknownVersion = await h.client.dryRunCreateEndpoint(
    { ...chat, model_reference: { foundation_model: { ...newer, model_version: "991231" } } },
    { ...owner, address: "default/chat" },
    "run-1",
  );
  for (const result of [create, unknownVersion]) {
    assert.ok(!result.ok && isArkApiError(result.error));
    if (!result.ok && isArkApiError(result.error)) {
      assert.equal([result.error.arkCode, result.error.httpStatus], ["InvalidParameter.ModelReference", 400]);
      assert.ok(result.error.requestId);
    }
  }
  assert.is(h.emulator.listEndpoints().length, 1);
  assert.is(h.emulator.getEndpoint(id)?.RollingId, "");
  assert.is(h.client.stats().calls.CreateEndpointRolling ?? 0, 0, "no DryRun goes to CreateEndpointRolling");
  assert.is(h.client.stats().retries, 0, "DryRunOperation is never retried");
});

test("an Ark that carries out a DryRun: what it made is stopped and deleted at once, and the error names it", async () => {
  // Provisioning takes no time, so the endpoint is Running and the emulator refuses to delete it unstopped.
  const h = await startHarness({ ignoreDryRun: true });
  try {
    const error = await h.client
      .dryRunCreateEndpoint(chat, owner, "run-1")
      .catch((thrown: unknown) => thrown);
    assert.ok(isDryRunIgnored(error), String(error));
    const id = isDryRunIgnored(error) ? error.undo.endpointId : undefined;
    assert.match(id ?? "", /^ep-/);
    assert.equal(isDryRunIgnored(error) && error.undo, { endpointId: id, removed: true });
    assert.match(String(error), `it ignored DryRun and created ${id}; ark-sync deleted ${id} at once`);
    assert.is(h.emulator.listEndpoints().length, 0);
    assert.equal(
      [h.client.stats().calls.DeleteEndpoint, h.client.stats().calls.StopEndpoint],
      [2, 1],
      "refused while Running, stopped, deleted",
    );

    // A deletion that fails is reported, never thrown: the caller must still learn that Ark acted.
    h.emulator.injectFault({ action: "DeleteEndpoint", kind: "internal-error", count: 10 });
    const kept = await h.client.dryRunCreateEndpoint(chat, owner, "run-2").catch((thrown: unknown) => thrown);
    assert.ok(isDryRunIgnored(kept) && !kept.undo.removed, String(kept));
    assert.match(String(kept), "deleting it failed");
    assert.match(String(kept), "delete ep-");
    const [left] = h.emulator.listEndpoints();
    assert.ok(left?.Tags.some((tag) => tag.Key === "ark-sync:dry-run" && tag.Value === "run-2"));
  } finally {
    await h.emulator.close();
  }
});

test("DryRun is retried through throttling; a network failure or throttling after the retries is thrown", async ({
  h,
}) => {
  const before = h.client.stats().calls.CreateEndpoint ?? 0;
  h.emulator.injectFault({ action: "CreateEndpoint", kind: "throttle", dryRun: true });
  assert.equal(await h.client.dryRunCreateEndpoint(chat, owner, "run-1"), { ok: true });
  assert.is(h.client.stats().calls.CreateEndpoint, before + 2);

  h.emulator.injectFault({ action: "CreateEndpoint", kind: "drop", count: 5, dryRun: true });
  const error = await h.client.dryRunCreateEndpoint(chat, owner, "run-1").catch((thrown: unknown) => thrown);
  assert.ok(isArkApiError(error) && error.category === "network", String(error));

  // Not a verdict on the request: never reported as Ark refusing it.
  h.emulator.injectFault({ action: "CreateEndpoint", kind: "throttle", count: 5, dryRun: true });
  const throttled = await h.client
    .dryRunCreateEndpoint(chat, owner, "run-1")
    .catch((thrown: unknown) => thrown);
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
