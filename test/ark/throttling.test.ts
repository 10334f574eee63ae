// Throttling is read from Ark's code at any HTTP status (docs/ark-api.md, Errors): ark-cli reports
// AccountFlowLimitExceeded while paging, and no source gives its status, so it is retried with the
// throttling backoff whether it comes with 429, 400 or inside an HTTP 200 envelope. The real client
// against the emulator, throttling as the gateway does (FlowLimitExceeded, 429) and as ark-cli reports
// (AccountFlowLimitExceeded, 400).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { classifyArkCode, isOutcomeUnknown } from "../../src/ark/errors.js";
import { readReply } from "../../src/ark/read-reply.js";
import { startHarness } from "./emulator-harness.js";

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

test.run();
