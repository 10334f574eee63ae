// Benchmark, not a test: what a state write costs when apply records every resource.
// Run: npx tsc -p . && node dist/test/bench/state-bench.js [RESOURCES]
import { join } from "node:path";
import type { StateResource } from "../../src/core/types.js";
import type { StateBackend } from "../../src/state/backend.js";
import { createGitStateBackend } from "../../src/state/git-backend.js";
import { createLocalStateBackend } from "../../src/state/local-backend.js";
import { git, makeTempDir, quietState, resource } from "../state/helpers.js";

const count = Number(process.argv[2] ?? 300);

async function awaitedWrites(backend: StateBackend, n: number): Promise<number> {
  const lock = await backend.lock({ operation: "bench" });
  const resources: Record<string, StateResource> = {};
  const started = performance.now();
  for (let index = 0; index < n; index++) {
    resources[`default/r${index}`] = resource(`ep-r${index}`);
    await lock.write(resources);
  }
  const elapsed = performance.now() - started;
  await lock.release();
  return elapsed;
}

async function burstWrites(
  backend: StateBackend,
  n: number,
): Promise<{ elapsed: number; persisted: number }> {
  const lock = await backend.lock({ operation: "bench" });
  const first = lock.current()?.serial ?? 0;
  const resources: Record<string, StateResource> = {};
  const started = performance.now();
  const writes = [];
  for (let index = 0; index < n; index++) {
    resources[`default/b${index}`] = resource(`ep-b${index}`);
    writes.push(lock.write(resources));
  }
  const last = (await Promise.all(writes)).at(-1);
  const elapsed = performance.now() - started;
  await lock.release();
  return { elapsed, persisted: (last?.serial ?? first) - first };
}

const dir = makeTempDir("bench");
try {
  const local = createLocalStateBackend(join(dir.path, "state.json"), dir.path, quietState);
  const localAwaited = await awaitedWrites(local, count);
  console.log(
    `local: ${count} awaited writes (1..${count} resources): ${localAwaited.toFixed(0)} ms, ${(localAwaited / count).toFixed(2)} ms/write`,
  );

  const origin = join(dir.path, "origin.git");
  git(dir.path, ["init", "--quiet", "--bare", origin]);
  const checkout = join(dir.path, "checkout");
  git(dir.path, ["clone", "--quiet", origin, checkout]);
  const remote = createGitStateBackend("ark-sync-state", checkout, quietState);
  const gitCount = Math.min(count, 100);
  const gitAwaited = await awaitedWrites(remote, gitCount);
  console.log(
    `git (local bare origin): ${gitCount} awaited writes: ${gitAwaited.toFixed(0)} ms, ${(gitAwaited / gitCount).toFixed(1)} ms/write`,
  );
  const burst = await burstWrites(remote, count);
  console.log(
    `git: ${count} writes issued at once: ${burst.elapsed.toFixed(0)} ms, ${burst.persisted} commits pushed (the queue merges writes made during a push)`,
  );
} finally {
  dir.remove();
}
