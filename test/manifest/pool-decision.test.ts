// The pool starts when the work queued, at the rate inline checking has gone, is worth a worker.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { POOL_PAYS_AFTER_MS, poolPaysOff, SAMPLE_MS } from "../../src/manifest/pool-decision.js";

const KIB = 1024;

test("no rate to go by before a sample has been checked", () => {
  assert.is(poolPaysOff({ ms: 0, bytes: 0, queuedBytes: 100_000 * KIB }), false);
  assert.is(poolPaysOff({ ms: SAMPLE_MS - 1, bytes: 10 * KIB, queuedBytes: 100_000 * KIB }), false);
});

test("plainly written manifests: 3.4 MiB queued at 0.12 ms a KiB is not worth a worker", () => {
  assert.is(poolPaysOff({ ms: 60, bytes: 500 * KIB, queuedBytes: 3400 * KIB }), false);
});

test("composed manifests: the same bytes at 0.75 ms a KiB are", () => {
  assert.is(poolPaysOff({ ms: 75, bytes: 100 * KIB, queuedBytes: 3400 * KIB }), true);
});

test("the line is what the queue would take at the rate so far", () => {
  const rate = { ms: SAMPLE_MS, bytes: SAMPLE_MS * KIB }; // 1 ms a KiB
  assert.is(poolPaysOff({ ...rate, queuedBytes: (POOL_PAYS_AFTER_MS - 1) * KIB }), false);
  assert.is(poolPaysOff({ ...rate, queuedBytes: POOL_PAYS_AFTER_MS * KIB }), true);
});

test.run();
