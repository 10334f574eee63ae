// The executor's parts one by one: operations, the UpdateEndpoint body, last-applied, reading a write
// back, durations,
// progress lines, the poll schedule, the pacer, saved-plan state checks, and the status watcher
// against the emulator (batched looks, Abnormal, gone, timeout, interrupt).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { toEndpointUpdate } from "../../src/apply/endpoint-update.js";
import { formatDuration } from "../../src/apply/format-duration.js";
import { ignoredWritesAfter, lastAppliedAfter, withHeldValues } from "../../src/apply/last-applied.js";
import { operationOf } from "../../src/apply/operation.js";
import { createPacer } from "../../src/apply/pacer.js";
import { PollSchedule } from "../../src/apply/poll-schedule.js";
import { createProgressReporter } from "../../src/apply/progress.js";
import { readBack, updateLeaves, writtenLeaves } from "../../src/apply/read-back.js";
import { renderApplyComplete } from "../../src/apply/render-result.js";
import { checkSavedPlanState } from "../../src/apply/saved-plan.js";
import { createStatusWatcher } from "../../src/apply/status-watcher.js";
import { createArkClient } from "../../src/ark/client.js";
import type {
  ChangeActions,
  EndpointAttributes,
  IgnoredWrite,
  LiveEndpoint,
  Plan,
  ResourceChange,
} from "../../src/core/types.js";
import { credentials, startCloud } from "./helpers.js";

const model = { foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250115" } };

function change(actions: ChangeActions, extra: Partial<ResourceChange> = {}): ResourceChange {
  return {
    address: "default/chat",
    endpoint_id: "ep-1",
    action_reason: null,
    change: { actions, before: null, after: null, after_unknown: {}, replace_paths: [], patch: [] },
    lifecycle: {},
    ...extra,
  };
}

const parts = suite("apply parts");

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const outcome = await promise.then(
    () => "resolved",
    (error: unknown) => String(error),
  );
  assert.match(outcome, pattern);
}

parts("each action list and reason maps to one operation", () => {
  const cases: [ChangeActions, ResourceChange["action_reason"], string][] = [
    [["create"], "new_in_manifests", "create"],
    [["create"], "deleted_outside", "create"],
    [["update"], "update_in_place", "update"],
    [["update"], "adopted_by_ownership_tag", "adopt"],
    [["no-op"], "adopted_by_ownership_tag", "adopt"],
    [["delete", "create"], "replace_because_cannot_update", "replace_destroy_first"],
    [["create", "delete"], "replace_because_cannot_update", "replace_create_first"],
    [["delete"], "removed_from_manifests", "destroy"],
    [["no-op"], "deleted_outside", "forget"],
    [["no-op"], null, "record"],
  ];
  for (const [actions, reason, expected] of cases) {
    assert.is(
      operationOf(change(actions, { action_reason: reason })),
      expected,
      JSON.stringify([actions, reason]),
    );
  }
});

parts("UpdateEndpoint gets only what differs; only a removed description is reset", () => {
  const before: EndpointAttributes = {
    name: "chat",
    project_name: "default",
    description: "old",
    model_reference: model,
    rate_limit: { rpm: 10, tpm: 100 },
  };
  assert.equal(toEndpointUpdate(before, { ...before, rate_limit: { tpm: 100, rpm: 10 } }), {});
  assert.equal(toEndpointUpdate(before, { ...before, rate_limit: { rpm: 20, tpm: 100 } }), {
    rate_limit: { rpm: 20, tpm: 100 },
  });
  const { description: _d, rate_limit: _r, ...bare } = before;
  assert.equal(toEndpointUpdate(before, { ...bare, rate_limit: { rpm: 10 } }), {
    description: null,
    rate_limit: { rpm: 10 },
  });
  assert.equal(toEndpointUpdate(before, { ...before, name: "renamed" }), { name: "renamed" });
  const basic: EndpointAttributes = { ...before, moderation: { strategy: "Basic" } };
  assert.equal(toEndpointUpdate(before, basic), { moderation: { strategy: "Basic" } });
  // Ark documents no reset for these: a plan never unsets them (docs/ark-api.md, "Removed attributes").
  assert.throws(() => toEndpointUpdate(before, bare), /documents no way to reset it/);
  assert.throws(() => toEndpointUpdate(basic, before), /documents no way to reset it/);
  assert.throws(
    () => toEndpointUpdate(before, { ...before, model_unit_id: "mu-1" }),
    /cannot change in place/,
  );
});

parts("last-applied is the manifest's part of `after`; ignored paths keep the previous record", () => {
  // `after` keeps what the plan no longer manages (kept live) and what it never managed; neither is recorded.
  const after: EndpointAttributes = {
    name: "chat",
    project_name: "default",
    description: "set in the console",
    model_reference: model,
    rate_limit: { rpm: 50, tpm: 100 },
    tags: [
      { key: "env", value: "prod" },
      { key: "owner", value: "ops" },
    ],
  };
  const updated = change(["update"], {
    change: { ...change(["update"]).change, after },
    lifecycle: { ignore_changes: ["rate_limit.rpm"] },
  });
  const unmanaged = [
    { address: "default/chat", path: ["description"], value: "set in the console" },
    { address: "default/chat", path: ["tags", "owner"], value: "ops" },
    { address: "default/other", path: ["tags", "env"], value: "prod" },
    { address: "default/chat", path: ["rate_limit", "tpm"] },
  ];
  const previous: EndpointAttributes = { name: "chat", project_name: "default", rate_limit: { rpm: 10 } };
  assert.equal(lastAppliedAfter(updated, unmanaged, previous, "existing"), {
    name: "chat",
    project_name: "default",
    model_reference: model,
    rate_limit: { rpm: 10 },
    tags: [{ key: "env", value: "prod" }],
  });
  assert.equal(lastAppliedAfter(updated, [], null, "created").rate_limit, { rpm: 50, tpm: 100 });
});

parts("a write read back: each value sent that Ark does not hold, a cleared one included", async () => {
  const update = { description: null, moderation: { strategy: "Basic" as const }, rate_limit: { rpm: 5 } };
  assert.equal(updateLeaves(update), [
    { path: ["description"] },
    { path: ["moderation", "strategy"], value: "Basic" },
    { path: ["rate_limit", "rpm"], value: 5 },
  ]);
  const held: LiveEndpoint = {
    endpoint_id: "ep-1",
    status: "Running",
    attributes: { name: "chat", project_name: "default", description: "kept", rate_limit: { rpm: 5 } },
  };
  const at = new Date("2026-12-01T00:00:00Z");
  const { ignored } = await readBack(
    { getEndpoint: async () => held },
    "ep-1",
    "UpdateEndpoint",
    updateLeaves(update),
    at,
  );
  assert.equal(ignored, [
    { path: ["description"], action: "UpdateEndpoint", held: "kept", at: at.toISOString() },
    { path: ["moderation", "strategy"], action: "UpdateEndpoint", sent: "Basic", at: at.toISOString() },
  ]);
  const created = await readBack(
    { getEndpoint: async () => held },
    "ep-1",
    "CreateEndpoint",
    writtenLeaves(held.attributes),
    at,
  );
  assert.equal(created.ignored, [], "everything sent is held");
  await rejectsWith(
    readBack({ getEndpoint: async () => null }, "ep-1", "UpdateEndpoint", [], at),
    /ep-1 is gone: GetEndpoint found no endpoint right after UpdateEndpoint/,
  );
});

parts(
  "what Ark holds is recorded; an ignored write keeps the other action's record of the same value",
  () => {
    const at = "2026-12-01T00:00:00.000Z";
    const write = (path: string[], action: IgnoredWrite["action"], held?: string): IgnoredWrite => ({
      path,
      action,
      ...(held === undefined ? {} : { held }),
      at,
    });
    const lastApplied: EndpointAttributes = {
      name: "chat",
      project_name: "default",
      description: "cleared?",
      moderation: { strategy: "Basic" },
    };
    const ignored = [
      write(["moderation", "strategy"], "UpdateEndpoint", "Default"),
      write(["description"], "UpdateEndpoint"),
    ];
    assert.equal(withHeldValues(lastApplied, ignored), {
      name: "chat",
      project_name: "default",
      moderation: { strategy: "Default" },
    });
    const previous = [
      write(["moderation", "strategy"], "CreateEndpoint", "Default"),
      write(["moderation", "strategy"], "UpdateEndpoint", "Default"),
      write(["tags", "env"], "CreateEndpoint", "Prod"),
    ];
    assert.equal(
      ignoredWritesAfter(previous, [write(["moderation", "strategy"], "UpdateEndpoint", "Default")]),
      [
        write(["moderation", "strategy"], "CreateEndpoint", "Default"),
        write(["moderation", "strategy"], "UpdateEndpoint", "Default"),
      ],
    );
    assert.equal(ignoredWritesAfter(previous, []), [], "a write that held, or none: no record left");
  },
);

parts("durations read like Terraform's", () => {
  assert.is(formatDuration(0), "0s");
  assert.is(formatDuration(12_900), "12s");
  assert.is(formatDuration(65_000), "1m5s");
  assert.is(formatDuration(3_603_000), "1h0m3s");
});

parts("progress lines, with the heartbeat's elapsed time", async () => {
  let clock = 0;
  const lines: string[] = [];
  const progress = createProgressReporter({
    write: (line) => lines.push(line),
    color: false,
    now: () => clock,
    heartbeatMs: 5,
  });
  const creating = progress.begin("default/chat", "create");
  clock = 10_000;
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (lines.length > 1) {
        clearInterval(poll);
        resolve();
      }
    }, 1);
  });
  creating.setId("ep-1");
  clock = 12_000;
  creating.complete();
  const modifying = progress.begin("default/other", "update", "ep-2");
  modifying.fail("Ark said no");
  progress.begin("default/gone", "destroy", "ep-3").complete();
  assert.is(lines[0], "default/chat: Creating...\n");
  assert.is(lines[1], "default/chat: Still creating... [10s elapsed]\n");
  assert.ok(lines.includes("default/chat: Creation complete after 12s [id=ep-1]\n"), lines.join(""));
  assert.ok(lines.includes("default/other: Modifying... [id=ep-2]\n"));
  assert.ok(lines.includes("default/other: Modifications errored after 0s [id=ep-2]: Ark said no\n"));
  assert.ok(lines.includes("default/gone: Destroying... [id=ep-3]\n"));
  assert.ok(lines.includes("default/gone: Destruction complete after 0s\n"));
  assert.is(
    renderApplyComplete({ added: 1, changed: 2, destroyed: 3 }),
    "Apply complete! Resources: 1 added, 2 changed, 3 destroyed.",
  );
});

parts("the poll schedule learns the provisioning time and backs off within bounds", () => {
  const schedule = new PollSchedule({
    initialEstimateMs: 8000,
    minIntervalMs: 500,
    maxIntervalMs: 30_000,
    random: () => 0.5,
  });
  assert.is(schedule.firstLookMs(), 8000);
  schedule.observe(0, 8000);
  assert.is(schedule.estimateMs(), 4000, "Running at the first look: the estimate comes down");
  schedule.observe(2000, 2600);
  schedule.observe(2100, 2500);
  assert.is(schedule.estimateMs(), 2300);
  assert.is(schedule.nextLookMs(1), 575);
  assert.ok(schedule.nextLookMs(4) > schedule.nextLookMs(2));
  assert.is(schedule.nextLookMs(40), 30_000);
});

parts(
  "the pacer is unpaced until throttled, then spaces calls under the accepted rate and recovers",
  async () => {
    let clock = 0;
    const waits: number[] = [];
    const pacer = createPacer({
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await pacer.acquire();
    assert.is(pacer.rate(), null);
    for (let i = 0; i < 20; i++) {
      clock += 50;
      pacer.succeeded();
    }
    pacer.throttled(3);
    assert.is(pacer.rate(), 17, "0.85 × the 20 calls accepted in the last second");
    pacer.throttled(5);
    assert.is(pacer.rate(), 17, "throttles right after a cut were sent before it");
    await pacer.acquire();
    await pacer.acquire();
    await pacer.acquire();
    assert.equal(
      waits.map((ms) => Math.round(ms)),
      [59, 118],
    );
    for (let i = 0; i < 17; i++) pacer.succeeded();
    assert.ok(
      (pacer.rate() ?? 0) > 17.9 && (pacer.rate() ?? 0) < 18.1,
      "about +1/s after a second of successes",
    );
    const aborted = new AbortController();
    aborted.abort();
    await rejectsWith(pacer.acquire(aborted.signal), /abort/i);
  },
);

parts("a saved plan is stale when the state's serial or lineage moved", () => {
  const plan = { state: { lineage: "L1", serial: 3 } } as Plan;
  const state = (lineage: string, serial: number) => ({
    version: 1 as const,
    lineage,
    serial,
    resources: {},
  });
  checkSavedPlanState(plan, state("L1", 3), "local state");
  assert.throws(
    () => checkSavedPlanState(plan, state("L1", 4), "local state"),
    /saved plan is stale: the state changed/,
  );
  assert.throws(
    () => checkSavedPlanState(plan, state("L2", 3), "local state"),
    /saved plan is stale: it was made for a different state/,
  );
  assert.throws(() => checkSavedPlanState(plan, null, "local state"), /no state yet/);
  checkSavedPlanState({ state: null } as Plan, null, "local state");
});

parts("the status watcher: batched looks, Abnormal, Failed, gone, timeout and interrupt", async () => {
  const cloud = await startCloud({ provisioningDelayMs: 300 });
  try {
    const client = createArkClient({
      apiUrl: cloud.url,
      credentials: { accessKeyId: credentials.accessKey, secretKey: credentials.secretKey },
    });
    const stop = new AbortController();
    const watcher = createStatusWatcher({
      client,
      schedule: new PollSchedule({ initialEstimateMs: 200 }),
      signal: stop.signal,
    });
    const attributes = { name: "w", project_name: "default", model_reference: model };
    const ids = await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        client.createEndpoint(
          { ...attributes, name: `w${i}` },
          { address: `default/w${i}`, state: "lineage-1" },
        ),
      ),
    );
    cloud.resetStats();
    const started = performance.now();
    const running = await Promise.all(
      ids.map((id) =>
        watcher.waitUntilRunning(id, { projectName: "default", startedAt: started, timeoutMs: 20_000 }),
      ),
    );
    assert.equal(
      running.map((endpoint) => endpoint.status),
      ["Running", "Running", "Running", "Running", "Running"],
    );
    // One GetEndpoint per endpoint per look would be at least 5 calls; batched looks take fewer.
    const { ListEndpoints: lists = 0, GetEndpoint: gets = 0 } = cloud.stats().byAction;
    assert.ok(lists >= 1 && lists + gets < 5, `status calls: ${lists} list, ${gets} get`);

    cloud.injectFault({ kind: "abnormal", action: "CreateEndpoint", count: 1, reason: "out of capacity" });
    const abnormal = await client.createEndpoint(
      { ...attributes, name: "bad" },
      { address: "default/bad", state: "lineage-1" },
    );
    await rejectsWith(
      watcher.waitUntilRunning(abnormal, {
        projectName: "default",
        startedAt: performance.now(),
        timeoutMs: 20_000,
      }),
      /is Abnormal: out of capacity/,
    );

    cloud.injectFault({ kind: "failed", action: "CreateEndpoint", count: 1, reason: "ImagePullBackOff" });
    const failed = await client.createEndpoint(
      { ...attributes, name: "failed" },
      { address: "default/failed", state: "lineage-1" },
    );
    const error = await watcher
      .waitUntilRunning(failed, { projectName: "default", startedAt: performance.now(), timeoutMs: 20_000 })
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );
    assert.is((error as { code?: string }).code, "endpoint_failed");
    assert.match(String(error), `${failed} is Failed: ImagePullBackOff`);

    const doomed = await client.createEndpoint(
      { ...attributes, name: "doomed" },
      { address: "default/doomed", state: "lineage-1" },
    );
    await cloud.deleteEndpoint(doomed);
    await rejectsWith(
      watcher.waitUntilRunning(doomed, {
        projectName: "default",
        startedAt: performance.now(),
        timeoutMs: 20_000,
      }),
      /disappeared/,
    );

    const slow = await client.createEndpoint(
      { ...attributes, name: "slow" },
      { address: "default/slow", state: "lineage-1" },
    );
    await rejectsWith(
      watcher.waitUntilRunning(slow, { projectName: "default", startedAt: performance.now(), timeoutMs: 1 }),
      /was not Running after/,
    );

    const pending = watcher.waitUntilRunning(slow, {
      projectName: "default",
      startedAt: performance.now(),
      timeoutMs: 20_000,
    });
    stop.abort();
    await rejectsWith(pending, /interrupted/);
  } finally {
    await cloud.close();
  }
});

parts("the status watcher looks for each endpoint in its own project's list", async () => {
  const cloud = await startCloud({ provisioningDelayMs: 300 });
  try {
    const client = createArkClient({
      apiUrl: cloud.url,
      credentials: { accessKeyId: credentials.accessKey, secretKey: credentials.secretKey },
    });
    const watcher = createStatusWatcher({
      client,
      // The first look comes after provisioning (300 ms) has ended for all five: one round of looks.
      schedule: new PollSchedule({ initialEstimateMs: 1000 }),
      signal: new AbortController().signal,
    });
    const endpoints = [
      ["research", "r1"],
      ["research", "r2"],
      ["research", "r3"],
      ["default", "d1"],
      ["default", "d2"],
    ];
    const created = await Promise.all(
      endpoints.map(async ([project = "", name = ""]) => ({
        project,
        id: await client.createEndpoint(
          { name, project_name: project, model_reference: model },
          { address: `${project}/${name}`, state: "lineage-1" },
        ),
      })),
    );
    cloud.resetStats();
    const started = performance.now();
    const running = await Promise.all(
      created.map(({ project, id }) =>
        watcher.waitUntilRunning(id, { projectName: project, startedAt: started, timeoutMs: 20_000 }),
      ),
    );
    assert.equal(
      running.map((endpoint) => [endpoint.attributes.project_name, endpoint.status]),
      created.map(({ project }) => [project, "Running"]),
    );
    // research and default listed apart; an unscoped list would miss the research ids and confirm
    // each of them with GetEndpoint.
    assert.equal({ ...cloud.stats().byAction }, { ListEndpoints: 2 });
  } finally {
    await cloud.close();
  }
});

parts("the status watcher waits for Stopped: the endpoint once Stopped, null once gone", async () => {
  const cloud = await startCloud({ provisioningDelayMs: 0 });
  try {
    const client = createArkClient({
      apiUrl: cloud.url,
      credentials: { accessKeyId: credentials.accessKey, secretKey: credentials.secretKey },
    });
    const stop = new AbortController();
    const watcher = createStatusWatcher({ client, schedule: new PollSchedule(), signal: stop.signal });
    const seed = (Name: string) => cloud.seedEndpoint({ Name, ModelReference: { CustomModelId: "cm-1" } });
    const [stopping, vanishing, running] = await Promise.all([seed("s"), seed("v"), seed("r")]);
    const wait = (id: string, timeoutMs = 20_000) =>
      watcher.waitUntilStopped(id, { projectName: "default", startedAt: performance.now(), timeoutMs });

    const stopped = wait(stopping.Id);
    const gone = wait(vanishing.Id);
    await client.stopEndpoint(stopping.Id);
    await cloud.deleteEndpoint(vanishing.Id);
    assert.is((await stopped)?.status, "Stopped");
    assert.is(await gone, null);
    await rejectsWith(
      wait(running.Id, 1500),
      new RegExp(`${running.Id} was still Running, not Stopped after`),
    );

    const pending = wait(running.Id);
    stop.abort();
    await rejectsWith(pending, /stopped waiting for \S+ to be Stopped \(interrupted\)/);
  } finally {
    await cloud.close();
  }
});

parts.run();
