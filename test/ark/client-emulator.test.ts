// The real client (and the real SDK, axios included) against the emulator over loopback.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createArkClient } from "../../src/ark/client.js";
import { type ArkApiError, isArkApiError } from "../../src/ark/errors.js";
import type { EndpointAttributes } from "../../src/core/types.js";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { accessKey, type Harness, secretKey, seedEndpoints, startHarness } from "./emulator-harness.js";

const test = suite("ark client against the emulator");

let h: Harness;
test.before.each(async () => {
  h = await startHarness();
});
test.after.each(async () => {
  await h.emulator.close();
});

const chat: EndpointAttributes = {
  name: "chat",
  project_name: "default",
  description: "prod chat",
  model_reference: { foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250115" } },
  moderation: { strategy: "Basic" },
  rate_limit: { rpm: 10, tpm: 5000 },
  tags: [
    { key: "team", value: "search" },
    { key: "env", value: "prod" },
  ],
};

async function failure(promise: Promise<unknown>): Promise<ArkApiError> {
  try {
    await promise;
  } catch (error) {
    if (isArkApiError(error)) return error;
    throw error;
  }
  throw new Error("the call succeeded");
}

function ownedBy(address: string) {
  return h.emulator
    .listEndpoints()
    .filter((endpoint) =>
      endpoint.Tags.some((tag) => tag.Key === "ark-sync:address" && tag.Value === address),
    );
}

test("create, get, list, update, stop, start, delete round-trip", async () => {
  const id = await h.client.createEndpoint(chat, { address: "default/chat", state: "lineage-1" });
  assert.match(id, /^ep-\d{14}-[a-z0-9]{5}$/);

  const created = await h.client.getEndpoint(id);
  assert.equal(created, {
    endpoint_id: id,
    attributes: {
      ...chat,
      tags: [
        { key: "env", value: "prod" },
        { key: "team", value: "search" },
      ],
    },
    status: "Running",
    owner_address: "default/chat",
    owner_state: "lineage-1",
    support_rolling: true,
  });
  // Ark's own tags and the ownership tag are on the endpoint, but never in the attributes.
  const stored = h.emulator.getEndpoint(id);
  assert.ok(stored?.Tags.some((tag) => tag.Key.startsWith("sys:")));
  assert.ok(stored?.Tags.some((tag) => tag.Key === "ark-sync:address"));

  const listed = await h.client.listEndpoints({ projectName: "default" });
  assert.is(listed.length, 1);
  const { moderation: _moderation, ...listedAttributes } = created?.attributes ?? chat;
  assert.equal(listed[0]?.attributes, listedAttributes, "list items carry everything but moderation");

  await h.client.updateEndpoint(id, { name: "chat-2", description: "renamed", rate_limit: { rpm: 20 } });
  const updated = await h.client.getEndpoint(id);
  assert.is(updated?.attributes.name, "chat-2");
  assert.is(updated?.attributes.description, "renamed");
  assert.equal(updated?.attributes.rate_limit, { rpm: 20, tpm: 5000 }, "a member not given is kept");

  await h.client.updateEndpoint(id, { description: null });
  const reset = await h.client.getEndpoint(id);
  assert.is(reset?.attributes.description, undefined);

  await h.client.stopEndpoint(id);
  assert.is((await h.client.getEndpoint(id))?.status, "Stopped");
  await h.client.startEndpoint(id);
  assert.is((await h.client.getEndpoint(id))?.status, "Running");

  // A Running endpoint is not deleted: refused once, not retried, with a hint that fits.
  const refused = await failure(h.client.deleteEndpoint(id));
  assert.equal(
    [refused.arkCode, refused.httpStatus, refused.category],
    ["OperationDenied.EndpointStatus", 403, "invalid"],
  );
  assert.match(refused.hint ?? "", "current status");
  assert.is((await h.client.getEndpoint(id))?.status, "Running");

  await h.client.stopEndpoint(id);
  await h.client.deleteEndpoint(id);
  assert.is(await h.client.getEndpoint(id), null);
  await h.client.deleteEndpoint(id);
  assert.is(h.emulator.listEndpoints().length, 0);

  const stats = h.client.stats();
  assert.is(stats.calls.CreateEndpoint, 1);
  assert.is(stats.calls.StopEndpoint, 2);
  assert.is(stats.calls.DeleteEndpoint, 3);
  assert.is(stats.retries, 0);
  assert.is(
    h.emulator.stats().requests,
    Object.values(stats.calls).reduce((sum, n) => sum + n, 0),
  );
});

test("pagination: 250 endpoints in 3 list calls, page 1 first, each endpoint once", async () => {
  await seedEndpoints(h.emulator, 250);
  h.emulator.resetStats();
  const endpoints = await h.client.listEndpoints({ projectName: "default" });
  assert.is(endpoints.length, 250);
  assert.is(new Set(endpoints.map((endpoint) => endpoint.endpoint_id)).size, 250);
  assert.is(h.emulator.stats().byAction.ListEndpoints, 3);
  assert.is(h.client.stats().calls.ListEndpoints, 3);
  assert.ok(endpoints.every((endpoint) => endpoint.owner_address === `default/${endpoint.attributes.name}`));
  assert.ok(endpoints.every((endpoint) => endpoint.attributes.tags?.length === 1));
});

test("filters: project, name and tag filters reach Ark", async () => {
  await seedEndpoints(h.emulator, 3);
  await h.emulator.seedEndpoint({
    Name: "bench-00009",
    ProjectName: "elsewhere",
    ModelReference: { CustomModelId: "cm-1" },
  });
  const owned = await h.client.listEndpoints({
    projectName: "default",
    tagFilters: [{ key: "ark-sync:address", values: ["default/bench-00001"] }],
  });
  assert.equal(
    owned.map((endpoint) => endpoint.attributes.name),
    ["bench-00001"],
  );
  const elsewhere = await h.client.listEndpoints({ projectName: "elsewhere" });
  assert.equal(
    elsewhere.map((endpoint) => [endpoint.attributes.project_name, endpoint.attributes.name]),
    [["elsewhere", "bench-00009"]],
  );
  const named = await h.client.listEndpoints({ projectName: "default", filter: { name: "bench-0000" } });
  assert.is(named.length, 3, "one project per list: bench-00009 of elsewhere is not in default's");
});

test("wrong secret key: SignatureDoesNotMatch with a RequestId, tried once, no credential anywhere", async () => {
  const wrongSecret = "definitely/Wrong+Secret==";
  const debugLines: string[] = [];
  const client = createArkClient({
    apiUrl: h.emulator.url,
    credentials: { accessKeyId: accessKey, secretKey: wrongSecret, sessionToken: "STS2fakeSessionToken" },
    debug: (line) => debugLines.push(line),
  });
  const error = await failure(client.listEndpoints({ projectName: "default" }));
  assert.is(error.category, "auth");
  assert.is(error.arkCode, "SignatureDoesNotMatch");
  assert.ok(error.requestId, "keeps Ark's RequestId");
  assert.match(error.message, error.requestId ?? "?");
  assert.is(error.kind, "external");
  assert.is(h.emulator.stats().byAction.ListEndpoints, 1);
  assert.ok(debugLines.length >= 2, "the request and the answer were logged");
  const outputs = [
    error.message,
    JSON.stringify(error),
    String(error.stack),
    error.hint ?? "",
    ...debugLines,
  ];
  for (const text of outputs) {
    for (const secret of [accessKey, secretKey, wrongSecret, "STS2fakeSessionToken"]) {
      assert.not.ok(text.includes(secret), `a credential leaked into: ${text.slice(0, 80)}`);
    }
  }
});

test("the region signs the request: cn-beijing by default, a wrong one is refused", async () => {
  await h.client.listEndpoints({ projectName: "default" });
  const elsewhere = createArkClient({
    apiUrl: h.emulator.url,
    region: "cn-north-1",
    credentials: { accessKeyId: accessKey, secretKey },
  });
  assert.is((await failure(elsewhere.listEndpoints({ projectName: "default" }))).category, "auth");
});

test("debug lines of a successful session hold no credential", async () => {
  const id = await h.client.createEndpoint(chat, { address: "default/chat", state: "lineage-1" });
  await h.client.getEndpoint(id);
  assert.ok(h.debugLines.some((line) => line.includes("Authorization")));
  for (const line of h.debugLines) {
    assert.not.ok(line.includes(accessKey) || line.includes(secretKey), line);
  }
});

test("throttled answers are retried with backoff and the call succeeds", async () => {
  await seedEndpoints(h.emulator, 1);
  h.emulator.injectFault({ kind: "throttle", action: "ListEndpoints", count: 2 });
  const endpoints = await h.client.listEndpoints({ projectName: "default" });
  assert.is(endpoints.length, 1);
  assert.is(h.emulator.stats().byAction.ListEndpoints, 3);
  assert.is(h.emulator.stats().throttled, 2);
  const stats = h.client.stats();
  assert.is(stats.throttled, 2);
  assert.is(stats.retries, 2);
  assert.is(h.delays.length, 2);
  assert.ok((h.delays[0] ?? -1) >= 0 && (h.delays[0] ?? 1e9) < 500, `first delay ${h.delays[0]}`);
  assert.ok((h.delays[1] ?? -1) >= 0 && (h.delays[1] ?? 1e9) < 1000, `second delay ${h.delays[1]}`);
});

test("the emulator's requests-per-second limit (HTTP 429) is ridden out by retries", async () => {
  let now = Date.now();
  const emulator = await startEmulator({ accessKey, secretKey, requestsPerSecond: 1, now: () => now });
  try {
    const client = createArkClient({
      apiUrl: emulator.url,
      credentials: { accessKeyId: accessKey, secretKey },
      // The emulator's clock only moves while a client backs off: each backoff refills the bucket.
      sleep: async () => {
        now += 1000;
      },
    });
    const results = await Promise.all([
      client.listEndpoints({ projectName: "default" }),
      client.listEndpoints({ projectName: "default" }),
      client.listEndpoints({ projectName: "default" }),
    ]);
    assert.equal(
      results.map((endpoints) => endpoints.length),
      [0, 0, 0],
    );
    const stats = client.stats();
    assert.ok(stats.throttled >= 2, `throttled ${stats.throttled}`);
    assert.is(stats.throttled, emulator.stats().throttled);
    assert.is(stats.calls.ListEndpoints, 3 + stats.retries);
  } finally {
    await emulator.close();
  }
});

test("5xx answers and dropped connections are retried and the call succeeds", async () => {
  await seedEndpoints(h.emulator, 1);
  const [endpoint] = h.emulator.listEndpoints();
  h.emulator.injectFault({ kind: "internal-error", action: "GetEndpoint" });
  h.emulator.injectFault({ kind: "unavailable", action: "GetEndpoint" });
  h.emulator.injectFault({ kind: "drop", action: "GetEndpoint" });
  const live = await h.client.getEndpoint(endpoint?.Id ?? "");
  assert.is(live?.attributes.name, "bench-00000");
  assert.is(h.emulator.stats().byAction.GetEndpoint, 4);
  assert.is(h.client.stats().retries, 3);
  assert.ok(h.debugLines.some((line) => /retry GetEndpoint #3/.test(line)));
});

test("a validation error is sent exactly once", async () => {
  const { model_reference: _omitted, ...noModel } = chat;
  const error = await failure(
    h.client.createEndpoint(noModel, { address: "default/chat", state: "lineage-1" }),
  );
  assert.is(error.category, "invalid");
  assert.is(error.arkCode, "MissingParameter");
  assert.is(error.httpStatus, 400);
  assert.is(h.emulator.stats().byAction.CreateEndpoint, 1);
  assert.is(
    h.emulator.stats().byAction.ListEndpoints,
    undefined,
    "no ownership look-up after a clear refusal",
  );
  assert.is(h.client.stats().retries, 0);
});

test("not found: getEndpoint gives null; other actions fail once with not_found", async () => {
  assert.is(await h.client.getEndpoint("ep-20250101000000-nope0"), null);
  const error = await failure(h.client.stopEndpoint("ep-20250101000000-nope0"));
  assert.is(error.category, "not_found");
  assert.is(error.arkCode, "NotFound.Endpoint");
  assert.is(h.emulator.stats().byAction.StopEndpoint, 1);
});

test("the account's refusals: once, category account, and a hint that names the request's model", async () => {
  h.emulator.injectFault({ action: "CreateEndpoint", kind: "error", code: "ModelNotOpen" });
  const notOpen = await failure(h.client.createEndpoint(chat, { address: "default/chat", state: "l" }));
  assert.is(notOpen.arkCode, "ModelNotOpen");
  assert.is(notOpen.category, "account");
  assert.match(notOpen.hint ?? "", "has not activated the model doubao-1-5-pro-32k 250115");
  h.emulator.injectFault({ action: "CreateEndpoint", kind: "error", code: "ModelNotOpen", dryRun: true });
  const checked = await h.client.dryRunCreateEndpoint(chat, { address: "default/chat", state: "l" }, "run-1");
  assert.match(checked.ok ? "" : ((checked.error as ArkApiError).hint ?? ""), "doubao-1-5-pro-32k 250115");
  h.emulator.injectFault({ action: "CreateEndpoint", kind: "error", code: "OperationDenied.ServiceOverdue" });
  const overdue = await failure(h.client.createEndpoint(chat, { address: "default/chat", state: "l" }));
  assert.is(overdue.category, "account");
  assert.match(overdue.hint ?? "", "overdue");
  assert.is(h.client.stats().calls.CreateEndpoint, 3);
  assert.is(h.emulator.listEndpoints().length, 0);
});

test("an update refused in the current state is invalid, not retried", async () => {
  const emulator = await startEmulator({ accessKey, secretKey, provisioningDelayMs: 60_000 });
  try {
    const client = createArkClient({
      apiUrl: emulator.url,
      credentials: { accessKeyId: accessKey, secretKey },
    });
    const id = await client.createEndpoint(chat, { address: "default/chat", state: "lineage-1" });
    const error = await failure(client.updateEndpoint(id, { description: "too early" }));
    assert.is(error.arkCode, "OperationDenied.EndpointStatus");
    assert.is(error.category, "invalid");
    assert.is(emulator.stats().byAction.UpdateEndpoint, 1);
  } finally {
    await emulator.close();
  }
});

test("a create whose reply is lost is adopted by its ownership tag, not duplicated", async () => {
  h.emulator.injectFault({ kind: "lost-reply", action: "CreateEndpoint" });
  const id = await h.client.createEndpoint(chat, { address: "default/chat", state: "lineage-1" });
  const owned = ownedBy("default/chat");
  assert.is(owned.length, 1);
  assert.is(owned[0]?.Id, id);
  assert.is(h.emulator.stats().byAction.CreateEndpoint, 1);
  assert.ok((h.emulator.stats().byAction.ListEndpoints ?? 0) >= 1, "looked up by tag");
  assert.ok(h.debugLines.some((line) => line.includes(`adopting ${id}`)));
});

test("a lost reply never adopts an excluded endpoint that carries the same tag (create-before-destroy)", async () => {
  const oldId = await h.client.createEndpoint(chat, { address: "default/chat", state: "lineage-1" });
  h.emulator.injectFault({ kind: "lost-reply", action: "CreateEndpoint" });
  const id = await h.client.createEndpoint(
    chat,
    { address: "default/chat", state: "lineage-1" },
    { exclude: [oldId] },
  );
  assert.is.not(id, oldId, "the old endpoint is not mistaken for the new one");
  assert.equal(
    ownedBy("default/chat")
      .map((endpoint) => endpoint.Id)
      .sort(),
    [id, oldId].sort(),
  );
  assert.is(h.emulator.stats().byAction.CreateEndpoint, 2, "the lost create was adopted, not repeated");
});

test("a create dropped before Ark acted is looked up, then sent again: one endpoint", async () => {
  h.emulator.injectFault({ kind: "drop", action: "CreateEndpoint" });
  h.emulator.injectFault({ kind: "internal-error", action: "CreateEndpoint" });
  const id = await h.client.createEndpoint(chat, { address: "default/chat", state: "lineage-1" });
  const owned = ownedBy("default/chat");
  assert.is(owned.length, 1);
  assert.is(owned[0]?.Id, id);
  assert.is(h.emulator.stats().byAction.CreateEndpoint, 3);
  assert.is(h.emulator.stats().byAction.ListEndpoints, 2, "a look-up before each new attempt");
});

test("a throttled create is retried without a look-up (Ark did not act)", async () => {
  h.emulator.injectFault({ kind: "throttle", action: "CreateEndpoint" });
  await h.client.createEndpoint(chat, { address: "default/chat", state: "lineage-1" });
  assert.is(ownedBy("default/chat").length, 1);
  assert.is(h.emulator.stats().byAction.CreateEndpoint, 2);
  assert.is(h.emulator.stats().byAction.ListEndpoints, undefined);
});

test("a request that outlives timeoutMs is a network error, retried within its attempts", async () => {
  // Same process, same timer queue: the client's 100 ms timer always fires before the emulator's
  // 300 ms latency ends.
  const emulator = await startEmulator({ accessKey, secretKey, latencyMs: 300 });
  try {
    const client = createArkClient({
      apiUrl: emulator.url,
      credentials: { accessKeyId: accessKey, secretKey },
      timeoutMs: 100,
      retry: { maxAttempts: 2 },
      sleep: async () => undefined,
    });
    const error = await failure(client.listEndpoints({ projectName: "default" }));
    assert.is(error.category, "network");
    assert.ok(["ECONNABORTED", "ETIMEDOUT"].includes(error.arkCode ?? ""), error.arkCode);
    assert.is(client.stats().calls.ListEndpoints, 2);
  } finally {
    await emulator.close();
  }
});

test("an unreachable API is a network error after bounded retries", async () => {
  const url = h.emulator.url;
  await h.emulator.close();
  const client = createArkClient({
    apiUrl: url,
    credentials: { accessKeyId: accessKey, secretKey },
    retry: { maxAttempts: 3 },
    sleep: async () => undefined,
  });
  const error = await failure(client.listEndpoints({ projectName: "default" }));
  assert.is(error.category, "network");
  assert.is(error.arkCode, "ECONNREFUSED");
  assert.is(client.stats().calls.ListEndpoints, 3);
  h = await startHarness();
});

test("onCall hears every request as it ends, retries included, with the error's category", async () => {
  const calls: string[] = [];
  const observed = await startHarness(
    {},
    { onCall: ({ action, outcome }) => calls.push(`${action} ${outcome}`) },
  );
  try {
    observed.emulator.injectFault({ kind: "unavailable", action: "ListEndpoints" });
    await observed.client.listEndpoints({ projectName: "default" });
    await failure(observed.client.updateEndpoint("ep-20250101000000-nope0", { description: "x" }));
    assert.equal(calls, ["ListEndpoints server", "ListEndpoints success", "UpdateEndpoint not_found"]);
  } finally {
    await observed.emulator.close();
  }
});

test.run();
