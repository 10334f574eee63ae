// The pool starts when the work queued, at the rate inline checking has gone, is worth a worker.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { POOL_PAYS_AFTER_MS, poolPaysOff, SAMPLE_MS } from "../../src/manifest/pool-decision.js";

test("no rate to go by before a sample has been checked", () => {
  assert.is(poolPaysOff({ ms: 0, files: 0, queuedFiles: 10_000 }), false);
  assert.is(poolPaysOff({ ms: SAMPLE_MS - 1, files: 1, queuedFiles: 10_000 }), false);
});

test("plainly written manifests: 100 files of 100 endpoints at 4 ms a file are not worth a worker", () => {
  assert.is(poolPaysOff({ ms: 60, files: 15, queuedFiles: 85 }), false);
});

test("composed manifests: the same files at 25 ms a file are", () => {
  assert.is(poolPaysOff({ ms: 75, files: 3, queuedFiles: 97 }), true);
});

test("the line is what the queue would take at the rate so far", () => {
  const rate = { ms: SAMPLE_MS, files: SAMPLE_MS }; // 1 ms a file
  assert.is(poolPaysOff({ ...rate, queuedFiles: POOL_PAYS_AFTER_MS - 1 }), false);
  assert.is(poolPaysOff({ ...rate, queuedFiles: POOL_PAYS_AFTER_MS }), true);
});

test.run();
