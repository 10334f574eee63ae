// Throttling is read from Ark's code at any HTTP status (docs/ark-api.md, Errors): ark-cli reports
// AccountFlowLimitExceeded while paging, and no source gives its status, so it is retried with the
// throttling backoff whether it comes with 429, 400 or inside an HTTP 200 envelope. And a list's pages
// are read page 1 alone, then more at once while Ark keeps up (docs/ark-api.md, Paging). The real
// client against the emulator, throttling as the gateway does (FlowLimitExceeded, 429) and as ark-cli
// reports (AccountFlowLimitExceeded, 400).

import { performance } from "node:perf_hooks";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createArkClient } from "../../src/ark/client.js";
import { classifyArkCode, isOutcomeUnknown } from "../../src/ark/errors.js";
import { readReply } from "../../src/ark/read-reply.js";
import { type CallRecord, startEmulator } from "../../src/emulator/start-emulator.js";
import { accessKey, secretKey, seedEndpoints, startHarness } from "./emulator-harness.js";

const test = suite("throttling by code");

test("AccountFlowLimitExceeded and FlowLimitExceeded are throttling at any HTTP status", () => {
  for (const code of ["AccountFlowLimitExceeded", "FlowLimitExceeded"]) {
    for (const status of [200, 400, 403, 429, 500, undefined]) {
      assert.is(classifyArkCode(code, status), "throttled", `${code} with HTTP ${status}`);
    }
  }
  assert.is(classifyArkCode("QuotaExceeded", 429), "account", "a used-up quota is still not waited out");
  const envelope = JSON.stringify({
    ResponseMetadata: {
      RequestId: "r-1",
      Error: { Code: "AccountFlowLimitExceeded", Message: "Request speed exceeds the account flow limit." },
    },
  });
  try {
    readReply("ListEndpoints", { status: 400, text: envelope }, (text) => text);
    assert.unreachable("an error envelope was read as a success");
  } catch (error) {
    const answer = error as Parameters<typeof isOutcomeUnknown>[0];
    assert.is(answer.category, "throttled");
    assert.not.ok(isOutcomeUnknown(answer), "a throttled request was not carried out");
  }
});

for (const throttleAsAccountFlowLimit of [false, true]) {
  const answer = throttleAsAccountFlowLimit ? "AccountFlowLimitExceeded (400)" : "FlowLimitExceeded (429)";
  test(`${answer}: retried with the throttling backoff until the call succeeds`, async () => {
    const h = await startHarness({ throttleAsAccountFlowLimit }, { random: () => 0.5 });
    try {
      const { Id } = await h.emulator.seedEndpoint({
        Name: "chat",
        ModelReference: { CustomModelId: "cm-1" },
      });
      h.emulator.injectFault({ kind: "throttle", action: "GetEndpoint", count: 2 });
      assert.is((await h.client.getEndpoint(Id))?.endpoint_id, Id);
      assert.is(h.emulator.stats().throttled, 2);
      const stats = h.client.stats();
      assert.equal([stats.calls.GetEndpoint, stats.retries, stats.throttled], [3, 2, 2]);
      assert.equal(h.delays, [250, 500], "half of 500 ms, then of 1 s: the throttling base");
    } finally {
      await h.emulator.close();
    }
  });
}

test("a listing reads page 1 alone, then one more page at once per page answered", async () => {
  const calls: { start: number; end: number }[] = [];
  const onCall = (record: CallRecord) => {
    const end = performance.now();
    if (record.action === "ListEndpoints") calls.push({ start: end - record.durationMs, end });
  };
  const h = await startHarness({ latencyMs: 20, onCall });
  try {
    await seedEndpoints(h.emulator, 1000);
    assert.is((await h.client.listEndpoints({ projectName: "default" })).length, 1000);
    assert.is(calls.length, 10);
    // The emulator's times are rounded to the millisecond: allow a little either way.
    const slack = 5;
    const sorted = [...calls].sort((a, b) => a.start - b.start);
    const [first] = sorted;
    assert.ok(
      sorted.slice(1).every((call) => call.start >= (first?.end ?? 0) - slack),
      "page 1 alone",
    );
    let most = 0;
    for (const call of sorted) {
      const inFlight = sorted.filter((other) => other.start <= call.start && other.end > call.start + slack);
      const answered = sorted.filter((other) => other.end <= call.start + slack).length;
      assert.ok(
        inFlight.length <= answered + 1,
        `${inFlight.length} pages in flight after ${answered} answered`,
      );
      most = Math.max(most, inFlight.length);
    }
    assert.ok(most > 1, "more than one page at once once pages are answered");
  } finally {
    await h.emulator.close();
  }
});

for (const throttleAsAccountFlowLimit of [false, true]) {
  const answer = throttleAsAccountFlowLimit ? "AccountFlowLimitExceeded (400)" : "FlowLimitExceeded (429)";
  test(`${answer}: 20 pages under a limit of 2 requests/s are read, the pages slowing down, not failing`, async () => {
    // The emulator's clock moves only while the client backs off: only waiting refills the bucket.
    let now = Date.now();
    const emulator = await startEmulator({
      accessKey,
      secretKey,
      requestsPerSecond: 2,
      throttleAsAccountFlowLimit,
      now: () => now,
    });
    try {
      await seedEndpoints(emulator, 2000);
      const client = createArkClient({
        apiUrl: emulator.url,
        credentials: { accessKeyId: accessKey, secretKey },
        random: () => 0.5,
        sleep: async (ms) => {
          now += ms;
        },
      });
      assert.is((await client.listEndpoints({ projectName: "default" })).length, 2000);
      const stats = client.stats();
      assert.is(stats.calls.ListEndpoints, 20 + stats.retries);
      assert.is(stats.throttled, emulator.stats().throttled);
    } finally {
      await emulator.close();
    }
  });
}

test.run();
