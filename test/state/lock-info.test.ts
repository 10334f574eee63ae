import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { LockInfo } from "../../src/state/backend.js";
import {
  assessHolder,
  lockedError,
  newLockInfo,
  parseLockInfo,
  serializeLockInfo,
} from "../../src/state/lock-info.js";
import { systemProcessFacts } from "../../src/state/process-facts.js";
import { factsWith, repoRoot } from "./helpers.js";

const facts = systemProcessFacts();

test("newLockInfo records who, where, which process, what and since when", () => {
  const info = newLockInfo("apply", {}, facts);
  assert.match(info.id, /^[0-9a-f-]{36}$/);
  assert.is(info.host, hostname());
  assert.ok(info.who.endsWith(`@${hostname()}`));
  assert.is(info.pid, process.pid);
  assert.is(info.boot_id, readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim());
  assert.match(info.pid_namespace ?? "", /^pid:\[\d+\]$/);
  assert.is(info.operation, "apply");
  assert.ok(Math.abs(Date.parse(info.since) - Date.now()) < 60_000);
  assert.is(info.version, JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).version);
  assert.equal(parseLockInfo(serializeLockInfo(info)), info);
});

test("in GitHub Actions the lock links the run that holds it", () => {
  const info = newLockInfo(
    "apply",
    {
      GITHUB_ACTIONS: "true",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "acme/infra",
      GITHUB_RUN_ID: "42",
    },
    facts,
  );
  assert.is(info.run_url, "https://github.com/acme/infra/actions/runs/42");
  assert.equal(parseLockInfo(serializeLockInfo(info)), info);
  assert.is(
    newLockInfo("apply", { GITHUB_RUN_ID: "42" }, facts).run_url,
    undefined,
    "only in GitHub Actions",
  );
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
/** A holder recorded as this process's machine, boot and PID namespace would record it, with `pid`. */
const here = (pid: number): LockInfo => ({
  ...holder,
  host: hostname(),
  pid,
  boot_id: facts.bootId() as string,
  pid_namespace: facts.pidNamespace() as string,
});
const exitedPid = () =>
  Number(
    spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" })
      .stdout,
  );

test("a live holder on this host is running; any holder elsewhere is unknown", () => {
  assert.is(assessHolder(here(process.pid), facts), "running");
  assert.is(assessHolder({ ...here(999_999_999), host: `not-${hostname()}` }, facts), "unknown");
  assert.is(assessHolder({ ...here(exitedPid()), boot_id: "an-earlier-boot" }, facts), "unknown");
});

test("a holder whose process has exited, in this boot and PID namespace, is provably gone", () => {
  assert.is(assessHolder(here(exitedPid()), facts), "gone");
});

test("without its boot id or namespace (an older ark-sync) an exited holder only looks gone", () => {
  const { pid_namespace: _, ...noNamespace } = here(exitedPid());
  const { boot_id: __, ...noBoot } = here(exitedPid());
  assert.is(assessHolder(noNamespace, facts), "looks-gone");
  assert.is(assessHolder(noBoot, facts), "looks-gone");
});

test("a holder in another PID namespace is never gone, whatever its pid means here", () => {
  // The facts of a run in another container on this host: same host and boot, its own namespace, and
  // no process of the holder's pid in it.
  const elsewhere = factsWith({ pidNamespace: () => "pid:[4026599999]", isGone: () => true });
  const info = here(process.pid);
  assert.is(assessHolder(info, elsewhere), "other-namespace");
  const refused = lockedError("local state ./s.json", info, "delete ./s.json.lock", elsewhere);
  assert.match(
    refused.message,
    `Process:   ${process.pid} on ${hostname()} (PID namespace ${info.pid_namespace})`,
  );
  assert.match(
    refused.message,
    `It was taken in another PID namespace on this host (${info.pid_namespace}; this run is in pid:[4026599999])`,
  );
  assert.not.match(refused.message, "stale");
  assert.match(refused.hint ?? "", "--lock-timeout");
  assert.match(refused.hint ?? "", `ark-sync state unlock ${info.id}`);
  // Where this run cannot read its own namespace, nothing is proven either.
  const blind = factsWith({ pidNamespace: () => undefined, isGone: () => true });
  assert.is(assessHolder(info, blind), "looks-gone");
});

test("a killed holder nobody reaped (a zombie, as under a container's PID 1) is gone", async () => {
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
    assert.is(assessHolder(here(pid), facts), "running", "alive");
    process.kill(pid, "SIGKILL");
    assert.ok(
      await waitFor(() => / Z /.test(readProc(`/proc/${pid}/stat`))),
      "the killed process is a zombie",
    );
    assert.is(assessHolder(here(pid), facts), "gone");
  } finally {
    parent.kill("SIGKILL");
  }
});

test.run();
