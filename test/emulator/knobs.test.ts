// Knobs for tests and benchmarks: the rate limit, latency, injected faults, and the counters.
import { performance } from "node:perf_hooks";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { arkClient, errorCode, foundationModel, ok, sendSigned, startTestEmulator } from "./helpers.js";

/** What the SDK throws when the connection closes without an answer. */
async function transportFailure(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return String((error as { code?: unknown }).code);
  }
  throw new Error("the call got an answer");
}

test("over the rate limit: FlowLimitExceeded with HTTP 429, until the bucket refills", async () => {
  let now = Date.now();
  const emulator = await startTestEmulator({ requestsPerSecond: 2, now: () => now });
  const ark = arkClient(emulator);
  try {
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push(errorCode(await ark.call("ListEndpoints")) ?? "ok");
    assert.equal(codes, ["ok", "ok", "FlowLimitExceeded", "FlowLimitExceeded", "FlowLimitExceeded"]);
    const raw = await sendSigned(emulator, "ListEndpoints", {});
    assert.equal(
      [raw.status, errorCode(raw.body), raw.body.ResponseMetadata.Error?.CodeN],
      [429, "FlowLimitExceeded", 100018],
    );
    assert.is(emulator.stats().throttled, 4);
    now += 1000;
    await ok(ark.call("ListEndpoints"));
    await ok(ark.call("ListEndpoints"));
    assert.is(errorCode(await ark.call("ListEndpoints")), "FlowLimitExceeded");
    now += 500;
    await ok(ark.call("ListEndpoints"));
  } finally {
    await emulator.close();
  }
});

test("throttleAsAccountFlowLimit: the rate limit and throttle faults answer AccountFlowLimitExceeded, HTTP 400", async () => {
  let now = Date.now();
  const emulator = await startTestEmulator({
    requestsPerSecond: 1,
    throttleAsAccountFlowLimit: true,
    now: () => now,
  });
  try {
    await ok(arkClient(emulator).call("ListEndpoints"));
    const limited = await sendSigned(emulator, "ListEndpoints", {});
    assert.equal(
      [limited.status, errorCode(limited.body), limited.body.ResponseMetadata.Error?.CodeN],
      [400, "AccountFlowLimitExceeded", undefined],
    );
    now += 1000;
    emulator.injectFault({ kind: "throttle", action: "GetEndpoint" });
    const faulted = await sendSigned(emulator, "GetEndpoint", { Id: "ep-x" });
    assert.equal([faulted.status, errorCode(faulted.body)], [400, "AccountFlowLimitExceeded"]);
    assert.is(emulator.stats().throttled, 2);
  } finally {
    await emulator.close();
  }
});

test("ignoreUpdateFields: UpdateEndpoint checks and answers OK, but leaves those fields; others apply", async () => {
  const honest = await startTestEmulator();
  const ignoring = await startTestEmulator({ ignoreUpdateFields: ["Moderation", "RateLimit"] });
  try {
    for (const emulator of [honest, ignoring]) {
      const ark = arkClient(emulator);
      const seeded = await emulator.seedEndpoint({
        Name: "chat",
        ModelReference: foundationModel,
        RateLimit: { Rpm: 1 },
      });
      const body = {
        Id: seeded.Id,
        Name: "renamed",
        Moderation: { Strategy: "Basic" },
        RateLimit: { Rpm: 9 },
      };
      assert.equal(await ok(ark.call("UpdateEndpoint", body)), {});
      const bad = await ark.call("UpdateEndpoint", { Id: seeded.Id, Moderation: { Strategy: "Strict" } });
      assert.is(errorCode(bad), "InvalidParameter", "still checked");
    }
    const changed = (emulator: typeof honest) => {
      const [endpoint] = emulator.listEndpoints();
      return [endpoint?.Name, endpoint?.Moderation.Strategy, endpoint?.RateLimit];
    };
    assert.equal(changed(honest), ["renamed", "Basic", { Rpm: 9 }]);
    assert.equal(changed(ignoring), ["renamed", "Default", { Rpm: 1 }]);
  } finally {
    await honest.close();
    await ignoring.close();
  }
});

test("ignoreCreateFields: CreateEndpoint gives those fields their defaults; unknown names are refused", async () => {
  const ignoring = await startTestEmulator({ ignoreCreateFields: ["Moderation", "Description"] });
  try {
    const ark = arkClient(ignoring);
    const { Id } = await ok(
      ark.call("CreateEndpoint", {
        Name: "chat",
        Description: "mine",
        ModelReference: foundationModel,
        Moderation: { Strategy: "Basic" },
        RateLimit: { Tpm: 3 },
      }),
    );
    const created = ignoring.getEndpoint(Id);
    assert.equal(
      [created?.Description, created?.Moderation.Strategy, created?.RateLimit],
      ["", "Default", { Tpm: 3 }],
    );
  } finally {
    await ignoring.close();
  }
  for (const options of [{ ignoreUpdateFields: ["Tags"] }, { ignoreCreateFields: ["Name"] }]) {
    await startTestEmulator(options).then(
      () => assert.unreachable("accepted"),
      (error: Error) => assert.match(error.message, "cannot be told to ignore"),
    );
  }
});

test("ignoreDryRun: off by default, a DryRun creates nothing; on, CreateEndpoint with DryRun creates", async () => {
  const honest = await startTestEmulator();
  const ignoring = await startTestEmulator({ ignoreDryRun: true });
  try {
    const body = { Name: "checked", ModelReference: foundationModel, DryRun: true };
    const refused = await sendSigned(honest, "CreateEndpoint", body);
    assert.equal([refused.status, errorCode(refused.body)], [400, "DryRunOperation"]);
    assert.is(honest.listEndpoints().length, 0);
    const { Id } = await ok(arkClient(ignoring).call("CreateEndpoint", body));
    assert.equal(
      ignoring.listEndpoints().map((endpoint) => [endpoint.Id, endpoint.Name]),
      [[Id, "checked"]],
    );
    // It still checks the request first.
    const typo = { ...body, ModelReference: { FoundationModel: { Name: "nope", ModelVersion: "1" } } };
    assert.is(
      errorCode(await arkClient(ignoring).call("CreateEndpoint", typo)),
      "InvalidParameter.ModelReference",
    );
  } finally {
    await honest.close();
    await ignoring.close();
  }
});

test("refuseDeleteRunning: on by default, only a Running endpoint is refused; off, any is deleted", async () => {
  const refusing = await startTestEmulator({ provisioningDelayMs: 60_000 });
  const allowing = await startTestEmulator({ refuseDeleteRunning: false });
  try {
    const running = await refusing.seedEndpoint({ Name: "r", ModelReference: foundationModel });
    const answer = await sendSigned(refusing, "DeleteEndpoint", { Id: running.Id });
    assert.equal([answer.status, errorCode(answer.body)], [403, "OperationDenied.EndpointStatus"]);
    assert.match(answer.body.ResponseMetadata.Error?.Message ?? "", `${running.Id} is Running`);
    assert.ok(refusing.getEndpoint(running.Id));

    const ark = arkClient(refusing);
    const { Id: scheduling } = await ok(
      ark.call("CreateEndpoint", { Name: "s", ModelReference: foundationModel }),
    );
    const abnormal = await refusing.seedEndpoint({ Name: "a", ModelReference: foundationModel });
    await refusing.markAbnormal(abnormal.Id, "x");
    const failed = await refusing.seedEndpoint({ Name: "f", ModelReference: foundationModel });
    await refusing.markFailed(failed.Id, "x");
    const stopped = await refusing.seedEndpoint({
      Name: "st",
      ModelReference: foundationModel,
      Status: "Stopped",
    });
    for (const id of [scheduling, abnormal.Id, failed.Id, stopped.Id]) {
      assert.equal(await ok(ark.call("DeleteEndpoint", { Id: id })), {}, id);
    }
    assert.equal(
      refusing.listEndpoints().map((endpoint) => endpoint.Id),
      [running.Id],
    );

    const other = await allowing.seedEndpoint({ Name: "r", ModelReference: foundationModel });
    assert.equal(await ok(arkClient(allowing).call("DeleteEndpoint", { Id: other.Id })), {});
    assert.equal(allowing.listEndpoints(), []);
  } finally {
    await refusing.close();
    await allowing.close();
  }
});

test("listSkipsEndpoints: off, every page lists every endpoint; on, the named ones are on no page but counted and found by GetEndpoint", async () => {
  const ids = ["ep-20250101000000-aaaaa", "ep-20250101000001-bbbbb", "ep-20250101000002-ccccc"];
  const skipped = ids[1] as string;
  const honest = await startTestEmulator();
  const skipping = await startTestEmulator({ listSkipsEndpoints: [skipped] });
  try {
    const pages = async (emulator: typeof honest) => {
      for (const [i, Id] of ids.entries()) {
        await emulator.seedEndpoint({
          Id,
          Name: `e${i}`,
          ModelReference: foundationModel,
          CreateTime: `2025-01-01T00:00:0${i}Z`,
        });
      }
      const ark = arkClient(emulator);
      const read = (PageNumber: number) =>
        ok(ark.call("ListEndpoints", { PageNumber, PageSize: 2, SortBy: "CreateTime", SortOrder: "Asc" }));
      const [first, second] = [await read(1), await read(2)];
      const byIds = await ok(ark.call("ListEndpoints", { Filter: { Ids: ids.slice(0, 2) } }));
      return {
        total: [first.TotalCount, second.TotalCount],
        ids: [...first.Items, ...second.Items].map((item: { Id: string }) => item.Id),
        byIds: byIds.Items.map((item: { Id: string }) => item.Id).sort(),
      };
    };
    assert.equal(await pages(honest), { total: [3, 3], ids, byIds: ids.slice(0, 2) });
    assert.equal(
      await pages(skipping),
      { total: [3, 3], ids: [ids[0], ids[2]], byIds: [ids[0]] },
      "on no page, filtered or not, yet counted",
    );
    assert.is((await ok(arkClient(skipping).call("GetEndpoint", { Id: skipped }))).Id, skipped);
  } finally {
    await honest.close();
    await skipping.close();
  }
});

test("listShiftsPast: unfiltered pages leave the named ones off but count them; filtered lists and GetEndpoint find them", async () => {
  const ids = ["ep-20250101000000-aaaaa", "ep-20250101000001-bbbbb", "ep-20250101000002-ccccc"];
  const shifted = ids[1] as string;
  const emulator = await startTestEmulator({ listShiftsPast: [shifted] });
  try {
    for (const [i, Id] of ids.entries()) {
      await emulator.seedEndpoint({
        Id,
        Name: `e${i}`,
        ModelReference: foundationModel,
        CreateTime: `2025-01-01T00:00:0${i}Z`,
        Tags: [{ Key: "ark-sync:address", Value: `default/e${i}` }],
      });
    }
    const ark = arkClient(emulator);
    const idsOf = (result: { Items: { Id: string }[] }) => result.Items.map((item) => item.Id).sort();
    const read = (PageNumber: number) =>
      ok(ark.call("ListEndpoints", { PageNumber, PageSize: 2, SortBy: "CreateTime", SortOrder: "Asc" }));
    const [first, second] = [await read(1), await read(2)];
    assert.equal([first.TotalCount, second.TotalCount], [3, 3]);
    assert.equal([...idsOf(first), ...idsOf(second)], [ids[0], ids[2]], "on no unfiltered page");
    const byIds = await ok(ark.call("ListEndpoints", { Filter: { Ids: ids.slice(0, 2) } }));
    assert.equal(idsOf(byIds), ids.slice(0, 2));
    const byTag = await ok(
      ark.call("ListEndpoints", { TagFilters: [{ Key: "ark-sync:address", Values: ["default/e1"] }] }),
    );
    assert.equal(idsOf(byTag), [shifted]);
    assert.is((await ok(ark.call("GetEndpoint", { Id: shifted }))).Id, shifted);
  } finally {
    await emulator.close();
  }
});

test("deleteAnswersNotFound: off, DeleteEndpoint deletes; on, it answers NotFound.Endpoint (404) and the endpoint stays", async () => {
  const honest = await startTestEmulator({ refuseDeleteRunning: false });
  const denying = await startTestEmulator({ refuseDeleteRunning: false, deleteAnswersNotFound: true });
  try {
    const kept = await honest.seedEndpoint({ Name: "chat", ModelReference: foundationModel });
    assert.equal(await ok(arkClient(honest).call("DeleteEndpoint", { Id: kept.Id })), {});
    assert.is(honest.getEndpoint(kept.Id), undefined);

    const stays = await denying.seedEndpoint({ Name: "chat", ModelReference: foundationModel });
    const answer = await sendSigned(denying, "DeleteEndpoint", { Id: stays.Id });
    assert.equal([answer.status, errorCode(answer.body)], [404, "NotFound.Endpoint"]);
    assert.ok(denying.getEndpoint(stays.Id), "still there");
    assert.is((await ok(arkClient(denying).call("GetEndpoint", { Id: stays.Id }))).Id, stays.Id);
  } finally {
    await honest.close();
    await denying.close();
  }
});

test("latency is added to every answer", async () => {
  const latencyMs = 120;
  const emulator = await startTestEmulator({ latencyMs });
  const ark = arkClient(emulator);
  try {
    for (const call of [() => ark.call("ListEndpoints"), () => ark.call("GetEndpoint", { Id: "ep-x" })]) {
      const started = performance.now();
      await call();
      const elapsed = performance.now() - started;
      // Node's timers count whole milliseconds, so allow 1 ms of rounding.
      assert.ok(elapsed >= latencyMs - 1, `took ${elapsed} ms`);
    }
  } finally {
    await emulator.close();
  }
});

test("5xx, 503 and throttle faults answer without acting, for N calls of one action", async () => {
  const emulator = await startTestEmulator();
  const ark = arkClient(emulator);
  try {
    emulator.injectFault({ action: "CreateEndpoint", kind: "internal-error", count: 2 });
    const body = { Name: "x", ModelReference: foundationModel };
    await ok(ark.call("ListEndpoints"));
    const first = await sendSigned(emulator, "CreateEndpoint", body);
    assert.equal(
      [first.status, errorCode(first.body), first.body.ResponseMetadata.Error?.CodeN],
      [500, "InternalError", 100014],
    );
    assert.is(errorCode(await ark.call("CreateEndpoint", body)), "InternalError");
    assert.is(emulator.listEndpoints().length, 0);
    await ok(ark.call("CreateEndpoint", body));
    assert.is(emulator.listEndpoints().length, 1);

    emulator.injectFault({ kind: "unavailable" });
    const unavailable = await sendSigned(emulator, "ListEndpoints", {});
    assert.equal([unavailable.status, errorCode(unavailable.body)], [503, "ServiceUnavailableTemp"]);
    emulator.injectFault({ action: "GetEndpoint", kind: "throttle" });
    const throttled = await sendSigned(emulator, "GetEndpoint", { Id: "ep-x" });
    assert.equal([throttled.status, errorCode(throttled.body)], [429, "FlowLimitExceeded"]);
    assert.is(errorCode(await ark.call("GetEndpoint", { Id: "ep-x" })), "NotFound.Endpoint");
    assert.is(emulator.stats().faulted, 4);
  } finally {
    await emulator.close();
  }
});

test("error faults answer the account's refusals with their HTTP status, naming the model, without acting", async () => {
  const emulator = await startTestEmulator();
  const ark = arkClient(emulator);
  try {
    const body = { Name: "x", ModelReference: foundationModel };
    const expected = [
      ["ModelNotOpen", 404],
      ["OperationDenied.ServiceNotOpen", 403],
      ["OperationDenied.ServiceOverdue", 403],
      ["AccountOverdueError", 403],
      ["QuotaExceeded", 429],
    ] as const;
    for (const [code, status] of expected) {
      emulator.injectFault({ action: "CreateEndpoint", kind: "error", code });
      const answer = await sendSigned(emulator, "CreateEndpoint", body);
      assert.equal([answer.status, errorCode(answer.body)], [status, code]);
    }
    emulator.injectFault({ action: "CreateEndpoint", kind: "error", code: "ModelNotOpen" });
    const refused = await ark.call("CreateEndpoint", body);
    assert.match(
      refused.ResponseMetadata.Error?.Message ?? "",
      `has not activated the model ${foundationModel.FoundationModel.Name}`,
    );
    assert.is(emulator.listEndpoints().length, 0);
    await ok(ark.call("CreateEndpoint", body));
    assert.throws(() => emulator.injectFault({ kind: "error" }), /needs a code/);
    assert.throws(
      () => emulator.injectFault({ kind: "drop", code: "QuotaExceeded" }),
      /other faults take none/,
    );
  } finally {
    await emulator.close();
  }
});

test("a dropped connection: the client sees a reset and nothing happened", async () => {
  const emulator = await startTestEmulator();
  const ark = arkClient(emulator);
  try {
    emulator.injectFault({ action: "CreateEndpoint", kind: "drop" });
    const body = { Name: "dropped", ModelReference: foundationModel };
    assert.is(await transportFailure(ark.call("CreateEndpoint", body)), "ECONNRESET");
    assert.is(emulator.listEndpoints().length, 0);
    await ok(ark.call("CreateEndpoint", body));
    assert.is(emulator.listEndpoints().length, 1);
  } finally {
    await emulator.close();
  }
});

test("a lost reply: the create took effect, and its ownership tag finds it", async () => {
  const emulator = await startTestEmulator();
  const ark = arkClient(emulator);
  try {
    emulator.injectFault({ action: "CreateEndpoint", kind: "lost-reply" });
    const tag = { Key: "ark-sync:address", Value: "default/lost" };
    const failure = await transportFailure(
      ark.call("CreateEndpoint", { Name: "lost", ModelReference: foundationModel, Tags: [tag] }),
    );
    assert.is(failure, "ECONNRESET");
    const found = await ok(
      ark.call("ListEndpoints", { TagFilters: [{ Key: tag.Key, Values: [tag.Value] }] }),
    );
    assert.is(found.TotalCount, 1);
    assert.is(found.Items[0].Name, "lost");

    const id = found.Items[0].Id;
    await ok(ark.call("StopEndpoint", { Id: id }));
    emulator.injectFault({ action: "DeleteEndpoint", kind: "lost-reply" });
    assert.is(await transportFailure(ark.call("DeleteEndpoint", { Id: id })), "ECONNRESET");
    assert.is(emulator.getEndpoint(id), undefined);
    assert.is(errorCode(await ark.call("DeleteEndpoint", { Id: id })), "NotFound.Endpoint");
  } finally {
    await emulator.close();
  }
});

test("a fault for any action applies to the next calls in order; clearFaults removes the rest", async () => {
  const emulator = await startTestEmulator();
  const ark = arkClient(emulator);
  try {
    emulator.injectFault({ kind: "internal-error", count: 3 });
    assert.is(errorCode(await ark.call("ListEndpoints")), "InternalError");
    assert.is(errorCode(await ark.call("GetEndpoint", { Id: "ep-x" })), "InternalError");
    emulator.clearFaults();
    await ok(ark.call("ListEndpoints"));
    // Unauthenticated requests do not use up a fault.
    emulator.injectFault({ kind: "internal-error" });
    assert.is(
      errorCode(await arkClient(emulator, { secretKey: "bad" }).call("ListEndpoints")),
      "SignatureDoesNotMatch",
    );
    assert.is(errorCode(await ark.call("ListEndpoints")), "InternalError");
  } finally {
    await emulator.close();
  }
});

test("stats count requests per action, and reset", async () => {
  const emulator = await startTestEmulator();
  const ark = arkClient(emulator);
  try {
    await ark.call("ListEndpoints");
    await ark.call("ListEndpoints");
    await ark.call("GetEndpoint", { Id: "ep-x" });
    await ark.call("NoSuchAction");
    assert.equal(emulator.stats(), {
      requests: 4,
      byAction: { ListEndpoints: 2, GetEndpoint: 1, NoSuchAction: 1 },
      throttled: 0,
      faulted: 0,
    });
    emulator.resetStats();
    assert.equal(emulator.stats(), { requests: 0, byAction: {}, throttled: 0, faulted: 0 });
  } finally {
    await emulator.close();
  }
});

test.run();
