// Locks across PID namespaces with real processes: two containers sharing a state volume on one host
// have the same host name and boot id, but each numbers its processes on its own, so the holder's pid
// names nothing in the other one. A run in a new PID namespace (unshare, with a user namespace so no
// root is needed) must refuse a live holder's lock instead of taking it over. Skipped, saying so, where
// the kernel or its policy refuses unprivileged namespaces (e.g. Ubuntu 24.04's AppArmor default);
// test/state/lock-info.test.ts covers the rule with injected facts everywhere.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createLocalStateBackend } from "../../src/state/local-backend.js";
import { makeTempDir, quietState } from "./helpers.js";

const child = fileURLToPath(new URL("./lock-child.js", import.meta.url));
const inNewPidNamespace = ["--user", "--map-root-user", "--pid", "--fork", "--kill-child"];
const namespacesWork =
  spawnSync("unshare", [...inNewPidNamespace, "true"], { stdio: "ignore", timeout: 10_000 }).status === 0;

test("a run in another PID namespace refuses a live holder's lock instead of taking it over", async () => {
  if (!namespacesWork) {
    process.stdout.write("  (skipped: unshare cannot make a user and PID namespace here)\n");
    return;
  }
  const dir = makeTempDir("lock-ns");
  try {
    const statePath = join(dir.path, "state.json");
    const holder = await createLocalStateBackend(statePath, dir.path, quietState).lock({
      operation: "apply",
    });
    try {
      const run = spawnSync("unshare", [...inNewPidNamespace, process.execPath, child, statePath], {
        encoding: "utf8",
        timeout: 30_000,
      });
      assert.is(run.status, 0, run.stderr);
      const outcome = JSON.parse(run.stdout);
      assert.is(outcome.taken, false, `the other namespace took the lock: ${run.stdout}`);
      assert.is(outcome.code, "state_locked");
      assert.match(outcome.message, `Lock ID:   ${holder.info.id}`);
      assert.match(outcome.message, "It was taken in another PID namespace on this host");
      assert.match(outcome.hint, "--lock-timeout");
      assert.equal(outcome.warnings, []);
      assert.is(
        JSON.parse(readFileSync(`${statePath}.lock`, "utf8")).id,
        holder.info.id,
        "the lock is still ours",
      );
    } finally {
      await holder.release();
    }
  } finally {
    dir.remove();
  }
});

test.run();
