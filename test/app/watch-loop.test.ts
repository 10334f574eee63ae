// The watcher's loop with a reconcile written here (the real one runs in sync-watch-e2e.test.ts): one
// reconcile at a time however slow, retries after failures, /healthz and /metrics following the
// results, and a signal that lets the reconcile in flight finish, then ends the watch with 0.
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { stickySignals } from "../../src/app/stop-signals.js";
import { type Reconcile, type WatchOptions, watch } from "../../src/app/sync-watch.js";
import type { WatchedReport } from "../../src/app/watch-report.js";
import { ArkSyncError } from "../../src/core/errors.js";
import { type TestContext, testContext } from "./context.js";

const synced: WatchedReport = { result: "synced", changes: [], left: [], rows: [], driftDetected: 0 };

function options(dir: string, extra: Partial<WatchOptions> = {}): WatchOptions {
  return {
    source: { kind: "directory", dir },
    intervalMs: 40,
    pollMs: 40,
    listen: null,
    json: true,
    ...extra,
  };
}

/** Resolves once `check` holds, polling; fails after `ms` (a hang guard, not a timing assertion). */
async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function logLines(ctx: TestContext): Record<string, unknown>[] {
  return ctx.io.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function withDir<T>(task: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-watch-"));
  try {
    return await task(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("never two reconciles at once, though each takes longer than the interval; SIGTERM lets the one in flight finish", () =>
  withDir(async (dir) => {
    const ctx = testContext();
    let running = 0;
    let most = 0;
    let finished = 0;
    const reconcile: Reconcile = async (directory) => {
      assert.is(directory, dir);
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 100));
      running -= 1;
      finished += 1;
      return synced;
    };
    const watching = watch(options(dir), ctx, reconcile);
    await until(() => finished >= 3, "three reconciles");
    await until(() => running === 1, "a reconcile in flight");
    ctx.signals.emit("SIGTERM");
    assert.is(await watching, 0);
    assert.is(running, 0, "the reconcile in flight finished");
    assert.is(most, 1);
    const events = logLines(ctx).map((line) => line.event);
    assert.equal(events.slice(0, 2), ["started", "reconcile"]);
    assert.equal(events.slice(-3), ["stopping", "reconcile", "stopped"]);
    assert.is(events.filter((event) => event === "reconcile").length, finished);
  }));

test("a failed reconcile is retried (back-off from an eighth of the interval); /healthz follows the last result", () =>
  withDir(async (dir) => {
    const ctx = testContext();
    const results: WatchedReport[] = [
      synced,
      { ...synced, result: "failed", error: { code: "ark_server", message: "Ark answered 500" } },
    ];
    let calls = 0;
    let phase = 0;
    const reconcile: Reconcile = async () => {
      calls += 1;
      return results[phase] ?? synced;
    };
    const watching = watch(
      options(dir, { intervalMs: 400, pollMs: 400, listen: { host: "127.0.0.1", port: 0 } }),
      ctx,
      reconcile,
    );
    await until(() => calls >= 1, "the first reconcile");
    const url = String(logLines(ctx)[0]?.listen);
    await until(() => logLines(ctx).some((line) => line.event === "reconcile"), "its log line");
    let health = await fetch(`${url}/healthz`);
    assert.is(health.status, 200);
    assert.match(await health.text(), /^ok: the last reconcile succeeded/);

    phase = 1;
    const before = calls;
    // Failures are retried every 50, 100, 200 ms, not every 400 ms: several within ~2 intervals.
    await until(() => calls >= before + 3, "retries after failures");
    health = await fetch(`${url}/healthz`);
    assert.is(health.status, 503);
    assert.is(await health.text(), "unhealthy: the last reconcile failed: Ark answered 500\n");
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /^ark_sync_reconciles_total\{result="synced"\} [1-9]/m);
    assert.match(metrics, /^ark_sync_reconciles_total\{result="failed"\} [1-9]/m);
    assert.match(metrics, /^ark_sync_last_successful_sync_timestamp_seconds \d{10}/m);
    assert.is((await fetch(`${url}/nothing`)).status, 404);

    ctx.signals.emit("SIGINT");
    assert.is(await watching, 0);
    await fetch(`${url}/healthz`).then(
      () => assert.unreachable("the server is closed"),
      () => undefined,
    );
  }));

test("a reconcile that throws is logged as failed, and the watch goes on", () =>
  withDir(async (dir) => {
    const ctx = testContext();
    let calls = 0;
    const reconcile: Reconcile = async () => {
      calls += 1;
      if (calls === 1) throw new Error("boom");
      return synced;
    };
    const watching = watch(options(dir, { json: false }), ctx, reconcile);
    await until(() => calls >= 2, "a second reconcile");
    ctx.signals.emit("SIGTERM");
    assert.is(await watching, 0);
    assert.match(ctx.io.stdout, /reconcile failed in \d+\.\ds \(no changes\): internal: boom\n/);
    assert.match(ctx.io.stdout, /reconcile synced in /);
  }));

test("--listen on an address in use: a usage error naming it, before any reconcile", () =>
  withDir(async (dir) => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as AddressInfo;
    const ctx = testContext();
    let calls = 0;
    try {
      const error = await watch(options(dir, { listen: { host: "127.0.0.1", port } }), ctx, async () => {
        calls += 1;
        return synced;
      }).then(
        () => new Error("the watch started"),
        (thrown: Error) => thrown,
      );
      assert.instance(error, ArkSyncError);
      assert.is((error as ArkSyncError).code, "watch_listen_failed");
      assert.match(error.message, `Cannot listen on 127.0.0.1:${port}: listen EADDRINUSE`);
      assert.is(calls, 0);
      assert.is(ctx.signals.listenerCount("SIGTERM"), 0, "no signal listener left behind");
    } finally {
      taken.close();
    }
  }));

test("stickySignals: a listener added after the signal hears it once; one added before hears it as it comes", async () => {
  const ctx = testContext();
  const heard: string[] = [];
  const signals = stickySignals(ctx.signals, (name) => heard.push(`watcher ${name}`));
  signals.on("SIGTERM", () => heard.push("early"));
  ctx.signals.emit("SIGTERM");
  const late = () => heard.push("late");
  signals.on("SIGINT", late);
  signals.on("SIGTERM", late);
  await Promise.resolve();
  assert.equal(heard, ["watcher SIGTERM", "early", "late"]);
  signals.dispose();
  ctx.signals.emit("SIGTERM");
  assert.is(heard.length, 3, "disposed: the source is no longer heard");
});

test.run();
