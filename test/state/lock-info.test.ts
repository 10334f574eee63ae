import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isLockStale, newLockInfo, parseLockInfo, serializeLockInfo } from "../../src/state/lock-info.js";
import { repoRoot } from "./helpers.js";

test("newLockInfo records who, where, which process, what and since when", () => {
  const info = newLockInfo("apply", {});
  assert.match(info.id, /^[0-9a-f-]{36}$/);
  assert.is(info.host, hostname());
  assert.ok(info.who.endsWith(`@${hostname()}`));
  assert.is(info.pid, process.pid);
  assert.is(info.operation, "apply");
  assert.ok(Math.abs(Date.parse(info.since) - Date.now()) < 60_000);
  assert.is(info.version, JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).version);
  assert.equal(parseLockInfo(serializeLockInfo(info)), info);
});

test("in GitHub Actions the lock links the run that holds it", () => {
  const info = newLockInfo("apply", {
    GITHUB_ACTIONS: "true",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: "acme/infra",
    GITHUB_RUN_ID: "42",
  });
  assert.is(info.run_url, "https://github.com/acme/infra/actions/runs/42");
  assert.equal(parseLockInfo(serializeLockInfo(info)), info);
  assert.is(newLockInfo("apply", { GITHUB_RUN_ID: "42" }).run_url, undefined, "only in GitHub Actions");
});

test("parseLockInfo returns null for anything that is not a lock", () => {
  for (const text of [
    "",
    "{",
    "[]",
    "null",
    '{"id": "x"}',
    '{"id":"x","who":"a","host":"h","pid":"1","operation":"o","since":"s","version":"v"}',
  ]) {
    assert.is(parseLockInfo(text), null, text);
  }
});

const holder = { id: "x", who: "a@b", operation: "apply", since: "2025-01-01T00:00:00Z", version: "1" };

test("a live holder on this host, or any holder elsewhere, is not stale", () => {
  assert.not.ok(isLockStale({ ...holder, host: hostname(), pid: process.pid }));
  assert.not.ok(isLockStale({ ...holder, host: `not-${hostname()}`, pid: 999_999_999 }));
});

test("a holder whose process has exited on this host is stale", () => {
  const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
    encoding: "utf8",
  });
  assert.ok(isLockStale({ ...holder, host: hostname(), pid: Number(gone.stdout) }));
});

test("a killed holder nobody reaped (a zombie, as under a container's PID 1) is stale", async () => {
  // sh starts `sleep` in the background, prints its pid, then execs into a process that never reaps it.
  const parent = spawn("sh", ["-c", "sleep 300 & echo $!; exec sleep 300"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  // Bounds on waiting for the kernel, not timing assertions.
  const waitFor = async (condition: () => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    return condition();
  };
  const readProc = (path: string) => (existsSync(path) ? readFileSync(path, "utf8") : "");
  try {
    const pid = Number(
      await new Promise<string>((resolve) => parent.stdout.once("data", (chunk) => resolve(String(chunk)))),
    );
    assert.ok(await waitFor(() => readProc(`/proc/${parent.pid}/comm`) === "sleep\n"), "sh has exec'd");
    assert.not.ok(isLockStale({ ...holder, host: hostname(), pid }), "alive");
    process.kill(pid, "SIGKILL");
    assert.ok(
      await waitFor(() => / Z /.test(readProc(`/proc/${pid}/stat`))),
      "the killed process is a zombie",
    );
    assert.ok(isLockStale({ ...holder, host: hostname(), pid }));
  } finally {
    parent.kill("SIGKILL");
  }
});

test.run();
