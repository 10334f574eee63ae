// When the watcher looks again, and what /healthz says: table-driven, pure.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { judgeWatchHealth } from "../../src/core/watch-health.js";
import { isReconcileDue, nextWait } from "../../src/core/watch-schedule.js";

const schedule = { intervalMs: 80_000, pollMs: 10_000 };

const waits: { name: string; failures: number; random: number; expect: number }[] = [
  { name: "all well: the poll period", failures: 0, random: 0.5, expect: 10_000 },
  { name: "jitter: -10 % at the bottom", failures: 0, random: 0, expect: 9_000 },
  { name: "jitter: up to +10 % at the top", failures: 0, random: 0.999_999, expect: 11_000 },
  { name: "first failure: an eighth of the interval", failures: 1, random: 0.5, expect: 10_000 },
  { name: "second failure: twice that", failures: 2, random: 0.5, expect: 20_000 },
  { name: "fourth failure: the interval", failures: 4, random: 0.5, expect: 80_000 },
  { name: "tenth failure: capped at the interval", failures: 10, random: 0.5, expect: 80_000 },
];
for (const { name, failures, random, expect } of waits) {
  test(`nextWait: ${name}`, () => {
    assert.is(nextWait(schedule, failures, random), expect);
  });
}

test("nextWait: a poll period longer than the interval is cut to the interval", () => {
  assert.is(nextWait({ intervalMs: 1000, pollMs: 60_000 }, 0, 0.5), 1000);
});

const due = { commitChanged: false, lastFailed: false, sinceLastMs: 1000, intervalMs: 80_000 };
test("isReconcileDue: a new commit, a failure, the first look, or an interval (less the jitter) since the last", () => {
  assert.is(isReconcileDue(due), false);
  assert.is(isReconcileDue({ ...due, commitChanged: true }), true);
  assert.is(isReconcileDue({ ...due, lastFailed: true }), true);
  assert.is(isReconcileDue({ ...due, sinceLastMs: null }), true);
  assert.is(isReconcileDue({ ...due, sinceLastMs: 72_000 }), true);
  assert.is(isReconcileDue({ ...due, sinceLastMs: 71_999 }), false);
});

const health = { nowMs: 100_000, startedAtMs: 0, intervalMs: 10_000 };
test("judgeWatchHealth: healthy while the last reconcile succeeded within three intervals", () => {
  assert.equal(judgeWatchHealth({ ...health, last: { endedAtMs: 75_000, failure: null } }), {
    healthy: true,
    reason: "the last reconcile succeeded 25s ago",
  });
  assert.equal(judgeWatchHealth({ ...health, last: { endedAtMs: 65_000, failure: null } }), {
    healthy: false,
    reason: "the last successful reconcile ended 35s ago",
  });
  assert.equal(judgeWatchHealth({ ...health, last: { endedAtMs: 99_000, failure: "Ark said no" } }), {
    healthy: false,
    reason: "the last reconcile failed: Ark said no",
  });
});

test("judgeWatchHealth: before the first reconcile ends, healthy for three intervals from the start", () => {
  assert.is(judgeWatchHealth({ ...health, nowMs: 30_000, last: null }).healthy, true);
  assert.equal(judgeWatchHealth({ ...health, nowMs: 30_001, last: null }), {
    healthy: false,
    reason: "no reconcile has ended in 30s",
  });
});

test.run();
