import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { ArkAction } from "../../src/ark/actions.js";
import { ArkApiError, type ArkErrorCategory } from "../../src/ark/errors.js";
import { createLimiter } from "../../src/ark/limit-concurrency.js";
import {
  computeBackoffDelay,
  defaultRetryPolicy,
  RetryBudget,
  type RetryContext,
  type RetryPolicy,
  runWithRetries,
} from "../../src/ark/retry.js";

const test = suite("ark retries");

function arkError(
  category: ArkErrorCategory,
  arkCode?: string,
  action: ArkAction = "GetEndpoint",
): ArkApiError {
  return new ArkApiError({
    category,
    action,
    arkCode,
    arkMessage: "x",
    requestId: undefined,
    httpStatus: undefined,
  });
}

interface Harness {
  context: RetryContext;
  delays: number[];
}

function harness(policy: Partial<RetryPolicy> = {}, random = () => 0.5): Harness {
  const delays: number[] = [];
  const fullPolicy = { ...defaultRetryPolicy, ...policy };
  return {
    delays,
    context: {
      policy: fullPolicy,
      budget: new RetryBudget(fullPolicy.budget.capacity),
      random,
      sleep: async (ms) => {
        delays.push(ms);
      },
    },
  };
}

/** An operation that fails with `errors` in turn, then answers "ok"; counts its calls. */
function failing(errors: Error[]) {
  const state = { calls: 0 };
  const operation = async () => {
    const error = errors[state.calls];
    state.calls += 1;
    if (error) throw error;
    return "ok";
  };
  return { operation, state };
}

test("backoff: full jitter, within [0, min(cap, base·2^retry)]", () => {
  for (let retry = 0; retry < 12; retry++) {
    const ceiling = Math.min(20_000, 100 * 2 ** retry);
    assert.is(
      computeBackoffDelay(retry, 100, 20_000, () => 0),
      0,
    );
    assert.is(
      computeBackoffDelay(retry, 100, 20_000, () => 0.5),
      ceiling / 2,
    );
    const top = computeBackoffDelay(retry, 100, 20_000, () => 0.999_999);
    assert.ok(top < ceiling && top > ceiling * 0.99, `retry ${retry}: ${top} vs ${ceiling}`);
  }
  assert.is(
    computeBackoffDelay(30, 100, 20_000, () => 0.5),
    10_000,
  );
});

test("retries throttled, server and network errors, with growing delays", async () => {
  const { context, delays } = harness();
  const { operation, state } = failing([
    arkError("server"),
    arkError("network", "ECONNRESET"),
    arkError("server"),
  ]);
  assert.is(await runWithRetries(operation, context), "ok");
  assert.is(state.calls, 4);
  assert.equal(delays, [50, 100, 200]);
});

test("throttled answers back off from the longer base", async () => {
  const { context, delays } = harness();
  const { operation } = failing([arkError("throttled", "FlowLimitExceeded"), arkError("throttled")]);
  await runWithRetries(operation, context);
  assert.equal(delays, [250, 500]);
});

test("auth, account, not_found and invalid errors are tried exactly once", async () => {
  for (const category of ["auth", "account", "not_found", "invalid"] as const) {
    const { context, delays } = harness();
    const { operation, state } = failing([arkError(category)]);
    try {
      await runWithRetries(operation, context);
      assert.unreachable();
    } catch (error) {
      assert.ok(error instanceof ArkApiError && error.category === category);
    }
    assert.is(state.calls, 1, category);
    assert.equal(delays, []);
  }
});

test("errors other than ArkApiError are not retried", async () => {
  const { context } = harness();
  const { operation, state } = failing([new Error("bug")]);
  try {
    await runWithRetries(operation, context);
    assert.unreachable();
  } catch (error) {
    assert.is((error as Error).message, "bug");
  }
  assert.is(state.calls, 1);
});

test("attempts are bounded: the last error is thrown after maxAttempts", async () => {
  const { context } = harness({ maxAttempts: 3 });
  const last = arkError("server", "Last");
  const { operation, state } = failing([arkError("server"), arkError("server"), last, arkError("server")]);
  try {
    await runWithRetries(operation, context);
    assert.unreachable();
  } catch (error) {
    assert.is(error, last);
  }
  assert.is(state.calls, 3);
});

test("budget: each retry costs tokens, timeouts cost more; an empty budget stops retrying", async () => {
  const budget = { capacity: 12, retryCost: 5, timeoutRetryCost: 10, successRefund: 1 };
  const { context } = harness({ budget, maxAttempts: 10 });
  const exhausted: ArkApiError[] = [];
  context.onBudgetExhausted = (error) => exhausted.push(error);
  const { operation, state } = failing(Array.from({ length: 9 }, () => arkError("server")));
  try {
    await runWithRetries(operation, context);
    assert.unreachable();
  } catch (error) {
    assert.ok(error instanceof ArkApiError);
  }
  // 12 tokens pay for two retries of 5: three calls, then the budget refuses.
  assert.is(state.calls, 3);
  assert.is(context.budget.available, 2);
  assert.is(exhausted.length, 1);

  const timeouts = harness({ budget, maxAttempts: 10 });
  const timedOut = failing(Array.from({ length: 9 }, () => arkError("network", "ECONNABORTED")));
  await runWithRetries(timedOut.operation, timeouts.context).catch(() => undefined);
  assert.is(timedOut.state.calls, 2);
  assert.is(timeouts.context.budget.available, 2);
});

test("budget: the shared bucket drains across calls and refills on success", async () => {
  const budget = { capacity: 10, retryCost: 5, timeoutRetryCost: 10, successRefund: 1 };
  const { context } = harness({ budget });
  await runWithRetries(failing([arkError("server")]).operation, context);
  // The retry cost 5; the success after it gave the 5 back.
  assert.is(context.budget.available, 10);
  context.budget.tryAcquire(10);
  const starved = failing([arkError("server")]);
  await runWithRetries(starved.operation, context).catch(() => undefined);
  assert.is(starved.state.calls, 1);
  await runWithRetries(failing([]).operation, context);
  assert.is(context.budget.available, 1);
});

test("limiter: never more than the limit in flight, every task runs", async () => {
  const limit = createLimiter(3);
  let inFlight = 0;
  let peak = 0;
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      limit(async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        return i;
      }),
    ),
  );
  assert.is(peak, 3);
  assert.equal(
    results,
    Array.from({ length: 20 }, (_, i) => i),
  );
});

test("limiter: a failing task frees its slot", async () => {
  const limit = createLimiter(1);
  await limit(async () => {
    throw new Error("x");
  }).catch(() => undefined);
  assert.is(await limit(async () => "next"), "next");
});

test.run();
