// `sync --watch` as a process, where the process is the subject: SIGTERM during a reconcile's apply
// lets the Ark calls in flight finish, records them, releases the lock and exits 0 within 10 s.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { StateDocument } from "../../src/core/types.js";
import { countByOwner, endpointYaml, makeWorkspace, startCli, startCloud } from "../apply/helpers.js";

test("SIGTERM during a reconcile: calls in flight finish, state is whole, the lock is released, exit 0", async () => {
  // Creates take a while to be Running, so the apply is still waiting when the signal comes.
  const cloud = await startCloud({ provisioningDelayMs: 3000, latencyMs: 50 });
  const ws = await makeWorkspace();
  try {
    await ws.write("ark-sync.yaml", "apiVersion: ark-sync/v1\nkind: Config\nsync:\n  automated: true\n");
    for (const name of ["a", "b", "c"]) await ws.write(`${name}.yaml`, endpointYaml(name));
    const watcher = startCli(
      [
        "sync",
        "--watch",
        "manifests",
        "--api-url",
        cloud.url,
        "--interval",
        "200ms",
        "--listen",
        "127.0.0.1:0",
      ],
      ws.root,
    );
    await watcher.waitFor(/Creating\.\.\./, 3);
    const signalled = performance.now();
    watcher.child.kill("SIGTERM");
    const { code, signal } = await watcher.exit;
    const seconds = (performance.now() - signalled) / 1000;
    assert.is(signal, null, watcher.stderr());
    assert.is(code, 0, watcher.stderr());
    assert.ok(seconds < 10, `exited ${seconds.toFixed(1)} s after SIGTERM`);
    assert.match(watcher.stdout(), /stopping \(SIGTERM\): the reconcile in flight finishes first\n/);
    assert.match(watcher.stdout(), / stopped\n$/);
    assert.match(watcher.stderr(), "Interrupt received. Gracefully shutting down...");

    const stateFile = join(ws.manifests, ".ark-sync", "state.json");
    assert.not.ok(existsSync(`${stateFile}.lock`), "the lock is released");
    const state = JSON.parse(readFileSync(stateFile, "utf8")) as StateDocument;
    const recorded = new Set(Object.values(state.resources).map((resource) => resource.endpoint_id));
    for (const [owner, count] of countByOwner(cloud)) assert.is(count, 1, `${owner}: ${count} endpoints`);
    for (const endpoint of cloud.listEndpoints())
      assert.ok(recorded.has(endpoint.Id), `${endpoint.Id} recorded`);
    assert.is(recorded.size, 3, "the creates Ark answered are all recorded");
    process.stdout.write(`  (exited ${seconds.toFixed(1)} s after SIGTERM)\n`);
  } finally {
    await cloud.close();
    await ws.dispose();
  }
});

test.run();
