// `sync --watch --repo` in this process, end to end: a local bare repository (holding the git state
// too), the emulator, the real reconcileDirectory. A new commit is applied (automated); /healthz and /metrics follow; reconciles that
// fail turn /healthz to 503; a signal ends the watch with 0. Waits are on conditions, bounded.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { run, type SyncWatchOptions } from "../../src/app/sync-watch.js";
import type { StateDocument } from "../../src/core/types.js";
import { countByOwner, credentials, endpointYaml, startCloud } from "../apply/helpers.js";
import { git, makeTempDir } from "../state/helpers.js";
import { type TestContext, testContext } from "./context.js";

/** Resolves once `check` holds, polling; fails after `ms` (a hang guard, not a timing assertion). */
async function until<T>(check: () => T | undefined | false, what: string, ms = 30_000): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

type LogLine = { event: string; result?: string; commit?: string; changes?: string[]; listen?: string };
const logLines = (ctx: TestContext): LogLine[] =>
  ctx.io.stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogLine);

test("--watch --repo: each new commit is applied; /healthz and /metrics follow; 503 while Ark refuses", async () => {
  const cloud = await startCloud({ provisioningDelayMs: 50 });
  const root = makeTempDir("sync-watch");
  let stop = async () => {};
  try {
    const origin = join(root.path, "origin.git");
    const clone = join(root.path, "clone");
    git(root.path, ["init", "--quiet", "--bare", "--initial-branch=main", origin]);
    git(root.path, ["clone", "--quiet", origin, clone]);
    const push = (files: Record<string, string>) => {
      for (const [file, text] of Object.entries(files)) writeFileSync(join(clone, "prod", file), text);
      git(clone, ["add", "-A"]);
      git(clone, ["commit", "--quiet", "-m", `add ${Object.keys(files).join(", ")}`]);
      git(clone, ["push", "--quiet", "origin", "HEAD:main"]);
      return git(clone, ["rev-parse", "HEAD"]).trim();
    };
    mkdirSync(join(clone, "prod"));
    const first = push({
      "ark-sync.yaml": "apiVersion: ark-sync/v1\nkind: Config\nsync:\n  automated: true\n",
      "chat.yaml": endpointYaml("chat"),
    });

    const ctx = testContext({
      env: { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey },
    });
    const options: SyncWatchOptions = {
      source: {
        kind: "repository",
        url: origin,
        ref: "main",
        path: "prod",
        workdir: join(root.path, "cache"),
      },
      intervalMs: 1000,
      pollMs: 100,
      listen: { host: "127.0.0.1", port: 0 },
      json: true,
      sync: {
        // The state on a branch of the pulled repository: what a pod with no volume keeps.
        state: "git:ark-sync-state",
        ark: { apiUrl: cloud.url, region: "cn-beijing", parallelism: 10 },
        waitTimeoutSeconds: 30,
        switchUndo: "cancel",
      },
    };
    const watching = run(options, ctx);
    // Whatever fails below, the watcher stops before the emulator and the folders go.
    stop = async () => {
      ctx.signals.emit("SIGTERM");
      await watching;
    };
    const url = (await until(() => logLines(ctx).find((line) => line.event === "started"), "start")).listen;
    const reconciled = (commit: string) =>
      until(
        () => logLines(ctx).find((line) => line.event === "reconcile" && line.commit === commit),
        `a reconcile of ${commit}`,
      );

    const created = await reconciled(first);
    assert.is(created.result, "synced", ctx.io.stderr);
    assert.equal(created.changes, ["automated: default/chat create"]);
    const second = push({ "embed.yaml": endpointYaml("embed") });
    const applied = await reconciled(second);
    assert.is(applied.result, "synced", ctx.io.stderr);
    assert.equal(applied.changes, ["automated: default/embed create"]);
    assert.equal(
      [...countByOwner(cloud)].sort(),
      [
        ["default/chat", 1],
        ["default/embed", 1],
      ],
      "each endpoint made once",
    );

    const health = await fetch(`${url}/healthz`);
    assert.is(health.status, 200, await health.text());
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /^ark_sync_endpoints\{sync="Synced",health="Running"\} 2$/m);
    assert.match(metrics, /^ark_sync_reconciles_total\{result="synced"\} [2-9]/m);
    assert.match(metrics, /^ark_sync_reconciles_total\{result="failed"\} 0$/m);
    assert.match(metrics, /^ark_sync_drift_detected_total 0$/m);
    assert.match(metrics, /^ark_sync_ark_calls_total\{action="CreateEndpoint",outcome="success"\} 2$/m);
    assert.match(metrics, /^ark_sync_ark_calls_total\{action="ListEndpoints",outcome="success"\} [1-9]/m);
    const stamp = Number(/^ark_sync_last_successful_sync_timestamp_seconds (\S+)$/m.exec(metrics)?.[1]);
    assert.ok(Math.abs(stamp - Date.now() / 1000) < 600, `a recent time: ${stamp}`);

    // Every call refused (an account problem: not retried) until the faults are cleared.
    cloud.injectFault({ kind: "error", code: "AccountOverdueError", count: 100_000 });
    await until(
      () => logLines(ctx).some((line) => line.event === "reconcile" && line.result === "failed"),
      "a failure",
    );
    const failing = await fetch(`${url}/healthz`);
    assert.is(failing.status, 503);
    assert.match(await failing.text(), /^unhealthy: the last reconcile failed: /);
    assert.match(
      await (await fetch(`${url}/metrics`)).text(),
      /^ark_sync_ark_calls_total\{action="ListEndpoints",outcome="account"\} [1-9]/m,
    );
    cloud.clearFaults();
    await until(
      () =>
        logLines(ctx)
          .filter((line) => line.event === "reconcile")
          .at(-1)?.result === "synced",
      "a reconcile that succeeds again",
    );
    assert.is((await fetch(`${url}/healthz`)).status, 200);

    ctx.signals.emit("SIGTERM");
    assert.is(await watching, 0);
    assert.equal(logLines(ctx).at(-1)?.event, "stopped");
    const state = JSON.parse(git(origin, ["show", "ark-sync-state:state.json"])) as StateDocument;
    assert.equal(Object.keys(state.resources).sort(), ["default/chat", "default/embed"]);
    assert.is(git(origin, ["branch", "--list", "ark-sync-state-lock"]).trim(), "", "no lock left");
  } finally {
    await stop();
    await cloud.close();
    root.remove();
  }
});

test.run();
