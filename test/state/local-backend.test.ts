import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { StateDocument } from "../../src/core/types.js";
import type { StateBackend } from "../../src/state/backend.js";
import { erroredStateFileName } from "../../src/state/errored-state.js";
import { createLocalStateBackend } from "../../src/state/local-backend.js";
import { serializeLockInfo } from "../../src/state/lock-info.js";
import { parseStateDocument } from "../../src/state/state-document.js";
import { factsWith, makeTempDir, quietState, rejection, resource } from "./helpers.js";

interface Context {
  dir: { path: string; remove(): void };
  statePath: string;
  warnings: string[];
  backend: StateBackend;
}

const local = suite<Context>("local backend");

local.before.each((context) => {
  context.dir = makeTempDir("local");
  context.statePath = join(context.dir.path, "manifests", ".ark-sync", "state.json");
  context.warnings = [];
  context.backend = createLocalStateBackend(context.statePath, context.dir.path, {
    warn: (message) => context.warnings.push(message),
    env: {},
  });
});
local.after.each((context) => context.dir.remove());

function readDisk(path: string): StateDocument {
  return parseStateDocument(readFileSync(path, "utf8"), path);
}

local("describe names the path relative to the working directory", ({ backend }) => {
  assert.is(backend.describe(), "local state ./manifests/.ark-sync/state.json");
});

local("read gives null before any write", async ({ backend }) => {
  assert.is(await backend.read(), null);
});

local(
  "write/read round trip; serial rises by one per write; lineage kept",
  async ({ backend, statePath }) => {
    const lock = await backend.lock({ operation: "apply" });
    assert.is(lock.current(), null);
    const first = await lock.write({ "default/a": resource("ep-a") });
    const second = await lock.write({ "default/a": resource("ep-a"), "default/b": resource("ep-b") });
    await lock.release();
    assert.is(first.serial, 1);
    assert.is(second.serial, 2);
    assert.is(second.lineage, first.lineage);
    assert.equal(await backend.read(), second);
    assert.equal(readDisk(statePath), second);
    assert.equal(lock.current(), second);

    const again = await backend.lock({ operation: "apply" });
    assert.equal(again.current(), second, "the lock reads the state once held");
    const third = await again.write({});
    await again.release();
    assert.is(third.serial, 3);
    assert.is(third.lineage, first.lineage);
  },
);

local("the backup holds the state as it was before this lock's first write", async (context) => {
  const { backend, statePath } = context;
  const setup = await backend.lock({ operation: "apply" });
  const before = await setup.write({ "default/a": resource("ep-a") });
  await setup.release();
  assert.not.ok(existsSync(`${statePath}.backup`), "no backup when there was no previous state");

  const lock = await backend.lock({ operation: "state rm" });
  await lock.write({ "default/a": resource("ep-a", 20) });
  assert.equal(readDisk(`${statePath}.backup`), before);
  const latest = await lock.write({});
  await lock.release();
  assert.equal(readDisk(`${statePath}.backup`), before, "still the pre-run version after later writes");
  assert.equal(readDisk(statePath), latest);
});

local(
  "a second lock is refused with the holder's details; released, it can be taken",
  async ({ backend }) => {
    const first = await backend.lock({ operation: "apply" });
    const refused = await rejection(backend.lock({ operation: "state rm" }));
    assert.is(refused.code, "state_locked");
    assert.is(refused.kind, "external");
    for (const detail of [
      "state is locked: local state ./manifests/.ark-sync/state.json",
      `Lock ID:   ${first.info.id}`,
      "Operation: apply",
      `Who:       ${first.info.who}`,
      `Process:   ${process.pid} on ${hostname()}`,
      `Since:     ${first.info.since}`,
    ]) {
      assert.ok(refused.message.includes(detail), `${detail}\n in: ${refused.message}`);
    }
    assert.not.ok(refused.message.includes("stale"), "a live holder is not stale");
    assert.ok(refused.hint?.includes(`ark-sync state unlock ${first.info.id}`));
    await first.release();
    const second = await backend.lock({ operation: "state rm" });
    await second.release();
  },
);

local("concurrent lock attempts: exactly one wins", async ({ backend }) => {
  const results = await Promise.allSettled(
    Array.from({ length: 8 }, () => backend.lock({ operation: "apply" })),
  );
  const won = results.filter((result) => result.status === "fulfilled");
  assert.is(won.length, 1);
  for (const result of won) await result.value.release();
});

local(
  "a lock with no boot id (an older ark-sync) whose process is dead is reported stale; unlock needs its id",
  async (context) => {
    const { backend, statePath } = context;
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
      encoding: "utf8",
    });
    const deadPid = Number(dead.stdout);
    const lockInfo = {
      id: "11111111-2222-4333-8444-555555555555",
      who: "ci@elsewhere",
      host: hostname(),
      pid: deadPid,
      operation: "apply",
      since: "2025-01-01T00:00:00.000Z",
      version: "0.0.1",
    };
    mkdirSync(join(statePath, ".."), { recursive: true });
    writeFileSync(`${statePath}.lock`, serializeLockInfo(lockInfo));
    const refused = await rejection(backend.lock({ operation: "apply" }));
    assert.is(refused.code, "state_locked");
    assert.ok(
      refused.message.includes(`The lock looks stale: process ${deadPid} no longer runs on ${hostname()}`),
    );
    assert.ok(refused.hint?.includes(`ark-sync state unlock ${lockInfo.id}`), refused.hint);

    const wrong = await rejection(backend.forceUnlock("not-the-id"));
    assert.is(wrong.code, "state_unlock_mismatch");
    assert.ok(existsSync(`${statePath}.lock`), "a wrong id leaves the lock");
    const removed = await backend.forceUnlock(lockInfo.id);
    assert.equal(removed, lockInfo);
    assert.not.ok(existsSync(`${statePath}.lock`));
    const lock = await backend.lock({ operation: "apply" });
    await lock.release();
  },
);

local(
  "a lock taken in this boot by a process that is gone is taken over, saying so; a live one never is",
  async (context) => {
    const { backend, statePath } = context;
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
      encoding: "utf8",
    });
    const bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    const holder = (pid: number, boot: string) => ({
      id: "11111111-2222-4333-8444-555555555555",
      who: "ci@here",
      host: hostname(),
      pid,
      operation: "apply",
      since: "2025-01-01T00:00:00.000Z",
      version: "0.0.1",
      boot_id: boot,
      pid_namespace: pidNamespace(),
    });
    mkdirSync(join(statePath, ".."), { recursive: true });

    writeFileSync(`${statePath}.lock`, serializeLockInfo(holder(process.pid, bootId)));
    assert.is((await rejection(backend.lock({ operation: "apply" }))).code, "state_locked", "alive");
    writeFileSync(`${statePath}.lock`, serializeLockInfo(holder(Number(dead.stdout), "another-boot")));
    assert.is((await rejection(backend.lock({ operation: "apply" }))).code, "state_locked", "other boot");
    assert.equal(context.warnings, []);

    writeFileSync(`${statePath}.lock`, serializeLockInfo(holder(Number(dead.stdout), bootId)));
    const lock = await backend.lock({ operation: "apply" });
    assert.is(lock.info.boot_id, bootId, "new locks record this boot");
    assert.is(lock.info.pid_namespace, pidNamespace(), "and this PID namespace");
    assert.is(context.warnings.length, 1);
    assert.match(context.warnings[0] ?? "", `took over the lock on local state`);
    assert.match(context.warnings[0] ?? "", `left by ci@here (pid ${dead.stdout}, apply since`);
    assert.not.ok(existsSync(`${statePath}.lock.takeover`), "the guard is removed");
    await lock.release();
  },
);

/** This process's PID namespace, as a lock records it. */
function pidNamespace(): string {
  return `pid:[${statSync("/proc/self/ns/pid").ino}]`;
}

/** A pid that ran a moment ago and is gone now. */
function exitedPid(): number {
  const run = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
    encoding: "utf8",
  });
  return Number(run.stdout);
}

/** A lock or guard as a run of this machine, boot and PID namespace records it. */
function holderHere(id: string, pid: number, who = "ci@here") {
  return {
    id,
    who,
    host: hostname(),
    pid,
    operation: "apply",
    since: "2025-01-01T00:00:00.000Z",
    version: "0.1.0",
    boot_id: readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim(),
    pid_namespace: pidNamespace(),
  };
}

const deadId = "11111111-2222-4333-8444-555555555555";

local(
  "a lock from another PID namespace on this host is never taken over, though its pid names nothing here",
  async (context) => {
    const { statePath } = context;
    // A run in another container on this host: same host name and boot id, a namespace of its own, in
    // which the holder's pid (this process's) does not exist.
    const elsewhere = createLocalStateBackend(statePath, context.dir.path, {
      warn: (message) => context.warnings.push(message),
      env: {},
      facts: factsWith({ pidNamespace: () => "pid:[4026599999]", isGone: () => true }),
    });
    const holder = await context.backend.lock({ operation: "apply" });
    const refused = await rejection(elsewhere.lock({ operation: "apply" }));
    assert.is(refused.code, "state_locked");
    assert.match(refused.message, `Lock ID:   ${holder.info.id}`);
    assert.match(refused.message, `(PID namespace ${pidNamespace()})`);
    assert.match(refused.message, "It was taken in another PID namespace on this host");
    assert.match(refused.hint ?? "", "--lock-timeout");
    assert.equal(context.warnings, []);
    assert.equal(JSON.parse(readFileSync(`${statePath}.lock`, "utf8")).id, holder.info.id, "still held");
    await holder.write({ "default/a": resource("ep-a") });
    await holder.release();
  },
);

local(
  "a lock of this boot whose holder recorded no PID namespace (an older ark-sync) only looks stale",
  async ({ backend, statePath, warnings }) => {
    mkdirSync(join(statePath, ".."), { recursive: true });
    const { pid_namespace: _, ...older } = holderHere(deadId, exitedPid());
    writeFileSync(`${statePath}.lock`, serializeLockInfo(older));
    const refused = await rejection(backend.lock({ operation: "apply" }));
    assert.is(refused.code, "state_locked");
    assert.match(refused.message, "The lock looks stale");
    assert.match(refused.hint ?? "", `ark-sync state unlock ${deadId}`);
    assert.equal(warnings, []);
  },
);

local(
  "a takeover guard left by a process that is gone is taken over too, and both takeovers are named",
  async ({ backend, statePath, warnings }) => {
    mkdirSync(join(statePath, ".."), { recursive: true });
    const guardId = "99999999-2222-4333-8444-555555555555";
    writeFileSync(`${statePath}.lock`, serializeLockInfo(holderHere(deadId, exitedPid())));
    writeFileSync(
      `${statePath}.lock.takeover`,
      serializeLockInfo(holderHere(guardId, exitedPid(), "ci@guard")),
    );
    const lock = await backend.lock({ operation: "apply" });
    assert.is(warnings.length, 2, warnings.join("\n"));
    assert.match(
      warnings[0] ?? "",
      "removed the takeover guard ./manifests/.ark-sync/state.json.lock.takeover left by ci@guard",
    );
    assert.match(
      warnings[1] ?? "",
      "took over the lock on local state ./manifests/.ark-sync/state.json left by ci@here",
    );
    assert.not.ok(existsSync(`${statePath}.lock.takeover`));
    assert.equal(readdirSync(join(statePath, "..")).sort(), ["state.json.lock"], "nothing left aside");
    await lock.release();
  },
);

local(
  "runs racing to take over a dead holder's lock past a dead guard: exactly one wins, none fails oddly",
  async ({ backend, statePath }) => {
    mkdirSync(join(statePath, ".."), { recursive: true });
    for (let round = 0; round < 5; round++) {
      writeFileSync(`${statePath}.lock`, serializeLockInfo(holderHere(deadId, exitedPid())));
      const guard = holderHere("99999999-2222-4333-8444-555555555555", exitedPid(), "ci@guard");
      writeFileSync(`${statePath}.lock.takeover`, serializeLockInfo(guard));
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () => backend.lock({ operation: "apply" })),
      );
      const won = results.filter((result) => result.status === "fulfilled");
      const refusals = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
      assert.is(won.length, 1, refusals.map(String).join("\n"));
      for (const refusal of refusals) assert.is(refusal.code, "state_locked", String(refusal));
      for (const result of won) await result.value.release();
      assert.not.ok(existsSync(`${statePath}.lock`));
      assert.not.ok(existsSync(`${statePath}.lock.takeover`), "no guard left behind");
    }
  },
);

local(
  "a takeover guard in the way is named, with its owner, in the refusal",
  async ({ backend, statePath, warnings }) => {
    mkdirSync(join(statePath, ".."), { recursive: true });
    const guard = `${statePath}.lock.takeover`;
    writeFileSync(`${statePath}.lock`, serializeLockInfo(holderHere(deadId, exitedPid())));

    // Its owner runs (this process): someone is taking the lock over right now.
    writeFileSync(
      guard,
      serializeLockInfo(holderHere("99999999-2222-4333-8444-555555555555", process.pid, "ci@guard")),
    );
    let refused = await rejection(backend.lock({ operation: "apply" }));
    assert.is(refused.code, "state_locked");
    assert.match(refused.message, "The lock looks stale");
    assert.match(
      refused.message,
      `It is being taken over right now by ci@guard (pid ${process.pid} on ${hostname()}`,
    );
    assert.match(refused.message, "holds the takeover guard ./manifests/.ark-sync/state.json.lock.takeover");
    assert.match(refused.hint ?? "", "--lock-timeout");

    // An empty guard, as an older ark-sync left one: who left it cannot be told.
    writeFileSync(guard, "");
    refused = await rejection(backend.lock({ operation: "apply" }));
    assert.match(
      refused.message,
      "the takeover guard ./manifests/.ark-sync/state.json.lock.takeover is in the way, and who left it cannot be read",
    );
    assert.match(refused.hint ?? "", "delete ./manifests/.ark-sync/state.json.lock.takeover");
    assert.ok(existsSync(guard), "a guard whose owner is unknown stays");
    assert.equal(warnings, []);
  },
);

local("a lock held on another host is not called stale", async ({ backend, statePath }) => {
  mkdirSync(join(statePath, ".."), { recursive: true });
  const info = {
    id: "x",
    who: "a@b",
    host: "some-other-host",
    pid: 1,
    operation: "apply",
    since: "2025-01-01T00:00:00Z",
    version: "1",
  };
  writeFileSync(`${statePath}.lock`, serializeLockInfo(info));
  const refused = await rejection(backend.lock({ operation: "apply" }));
  assert.ok(refused.message.includes("Process:   1 on some-other-host"));
  assert.not.ok(refused.message.includes("stale"));
});

local("an unreadable lock file is still a lock, and the message says how to remove it", async (context) => {
  const { backend, statePath } = context;
  mkdirSync(join(statePath, ".."), { recursive: true });
  writeFileSync(`${statePath}.lock`, "");
  const refused = await rejection(backend.lock({ operation: "apply" }));
  assert.is(refused.code, "state_locked");
  assert.ok(refused.message.includes("cannot be read"));
  assert.ok(refused.hint?.includes("delete ./manifests/.ark-sync/state.json.lock"), refused.hint);
});

local("forceUnlock with no lock says so", async ({ backend }) => {
  assert.is((await rejection(backend.forceUnlock("x"))).code, "state_not_locked");
});

local("release removes only our own lock; a lock taken over is left and warned about", async (context) => {
  const { backend, statePath, warnings } = context;
  const lock = await backend.lock({ operation: "apply" });
  await backend.forceUnlock(lock.info.id);
  const other = await backend.lock({ operation: "state rm" });
  await lock.release();
  assert.ok(existsSync(`${statePath}.lock`), "the other run's lock stays");
  assert.ok(
    warnings.some((warning) => warning.includes("no longer this run's")),
    warnings.join("\n"),
  );
  await other.release();
  assert.not.ok(existsSync(`${statePath}.lock`));
});

local(
  "a write after our lock was removed is refused and saved to the errored-state file",
  async (context) => {
    const { backend, dir, statePath } = context;
    const lock = await backend.lock({ operation: "apply" });
    await lock.write({ "default/a": resource("ep-a") });
    await backend.forceUnlock(lock.info.id);
    const other = await backend.lock({ operation: "state rm" });
    const refused = await rejection(
      lock.write({ "default/a": resource("ep-a"), "default/b": resource("ep-b") }),
    );
    assert.is(refused.code, "state_lock_lost");
    assert.ok(refused.message.includes("held by"), refused.message);
    assert.ok(refused.hint?.includes(`./${erroredStateFileName}`), refused.hint);
    const errored = readDisk(join(dir.path, erroredStateFileName));
    assert.equal(Object.keys(errored.resources), ["default/a", "default/b"]);
    assert.equal(Object.keys(readDisk(statePath).resources), ["default/a"], "state untouched");
    await other.release();
    await lock.release();
  },
);

local(
  "a failed write keeps the old state and saves what was meant in the errored-state file",
  async (context) => {
    const { backend, dir, statePath } = context;
    const setup = await backend.lock({ operation: "apply" });
    const before = await setup.write({ "default/a": resource("ep-a") });
    await setup.release();
    const lock = await backend.lock({ operation: "apply" });
    // Make the rename fail: the state path becomes a folder that is not empty.
    const { renameSync } = await import("node:fs");
    renameSync(statePath, `${statePath}.moved`);
    mkdirSync(join(statePath, "blocker"), { recursive: true });
    const refused = await rejection(lock.write({ "default/b": resource("ep-b") }));
    assert.is(refused.code, "state_write_failed");
    assert.ok(refused.message.includes("cannot write ./manifests/.ark-sync/state.json"), refused.message);
    const errored = readDisk(join(dir.path, erroredStateFileName));
    assert.is(errored.serial, before.serial + 1);
    assert.is(errored.lineage, before.lineage);
    assert.equal(Object.keys(errored.resources), ["default/b"]);
    const leftovers = readdirSync(join(statePath, "..")).filter((name) => name.includes(".tmp-"));
    assert.equal(leftovers, [], "no temp file left behind");
    await lock.release();
  },
);

local(
  "an unreadable state file is a clear error that names the file and points at the backup",
  async (context) => {
    const { backend, statePath } = context;
    const lock = await backend.lock({ operation: "apply" });
    await lock.write({ "default/a": resource("ep-a") });
    await lock.release();
    const next = await backend.lock({ operation: "apply" });
    await next.write({});
    await next.release();
    writeFileSync(statePath, '{"version": 1, "lin');
    const refused = await rejection(backend.read());
    assert.is(refused.code, "state_invalid");
    assert.ok(refused.message.includes("./manifests/.ark-sync/state.json"), refused.message);
    assert.ok(refused.message.includes("not valid JSON"));
    assert.ok(refused.hint?.includes("./manifests/.ark-sync/state.json.backup"), refused.hint);
    assert.ok(refused.hint?.includes("--state local:./manifests/.ark-sync/state.json.backup"), refused.hint);
    // A refused lock leaves no lock behind.
    assert.is((await rejection(backend.lock({ operation: "apply" }))).code, "state_invalid");
    assert.not.ok(existsSync(`${statePath}.lock`));
  },
);

local(
  "temp files left by a killed writer are removed when the lock is next taken",
  async ({ backend, statePath }) => {
    mkdirSync(join(statePath, ".."), { recursive: true });
    writeFileSync(`${statePath}.tmp-123-0badc0de`, "{");
    writeFileSync(`${statePath}.backup.tmp-123-0badc0de`, "{");
    writeFileSync(join(statePath, "..", "unrelated.tmp-123-0badc0de"), "keep");
    const lock = await backend.lock({ operation: "apply" });
    await lock.release();
    assert.equal(readdirSync(join(statePath, "..")).sort(), ["unrelated.tmp-123-0badc0de"]);
  },
);

local("many queued writes: each resolves, later ones are merged, the last one wins", async (context) => {
  const { backend } = context;
  const lock = await backend.lock({ operation: "apply" });
  const resources: Record<string, ReturnType<typeof resource>> = {};
  const writes: Promise<StateDocument>[] = [];
  for (let index = 0; index < 200; index++) {
    resources[`default/r${index}`] = resource(`ep-r${index}`);
    writes.push(lock.write(resources));
  }
  const written = await Promise.all(writes);
  await lock.release();
  const final = await backend.read();
  assert.is(Object.keys(final?.resources ?? {}).length, 200);
  const serials = written.map((document) => document.serial);
  assert.ok(serials.every((serial, index) => index === 0 || serial >= (serials[index - 1] as number)));
  assert.is(final?.serial, serials[serials.length - 1]);
  // Each promise resolves with a document containing at least the resources passed to it.
  for (const [index, document] of written.entries()) {
    assert.ok(Object.keys(document.resources).length >= index + 1);
  }
});

local("local:PATH with a custom name keeps lock and backup next to it", async ({ dir }) => {
  const path = join(dir.path, "prod.json");
  const backend = createLocalStateBackend(path, dir.path, quietState);
  assert.is(backend.describe(), "local state ./prod.json");
  const lock = await backend.lock({ operation: "apply" });
  assert.ok(existsSync(`${path}.lock`));
  await lock.write({});
  await lock.release();
  assert.equal(readdirSync(dir.path).sort(), ["prod.json"]);
});

local.run();
