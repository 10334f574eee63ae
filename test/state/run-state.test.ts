import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { run, type StateAction } from "../../src/app/state.js";
import { createLocalStateBackend } from "../../src/state/local-backend.js";
import { type RecordedIo, testContext } from "../app/context.js";
import { git, makeTempDir, quietState, recordIo, rejection, resource } from "./helpers.js";

/** Where a state command runs: the manifest directory, --state, and the working folder. */
interface CommandOptions {
  dir: string;
  state: string | undefined;
  cwd: string;
}

interface Context {
  dir: { path: string; remove(): void };
  options: CommandOptions;
  statePath: string;
}

function runState(action: StateAction, options: CommandOptions, io: RecordedIo) {
  const state = options.state === undefined ? {} : { state: options.state };
  return run({ action, dir: options.dir, ...state }, testContext({ io, cwd: options.cwd }));
}

const runStateList = (options: CommandOptions, io: RecordedIo) => runState({ kind: "list" }, options, io);
const runStateShow = (address: string, options: CommandOptions, io: RecordedIo) =>
  runState({ kind: "show", address }, options, io);
const runStateRm = (address: string, options: CommandOptions, io: RecordedIo) =>
  runState({ kind: "rm", address }, options, io);
const runStateUnlock = (lockId: string, options: CommandOptions, io: RecordedIo) =>
  runState({ kind: "unlock", lockId }, options, io);

const command = suite<Context>("state commands");

command.before.each(async (context) => {
  context.dir = makeTempDir("cmd");
  context.options = { dir: "manifests", state: undefined, cwd: context.dir.path };
  context.statePath = join(context.dir.path, "manifests", ".ark-sync", "state.json");
  const lock = await createLocalStateBackend(context.statePath, context.dir.path, quietState).lock({
    operation: "apply",
  });
  await lock.write({
    "prod/zeta": resource("ep-zeta"),
    "default/chat-prod": resource("ep-chat"),
    "default/a": { endpoint_id: "ep-imported", last_applied: null, applied_at: null },
  });
  await lock.release();
});
command.after.each((context) => context.dir.remove());

command("list prints addresses and endpoint ids, sorted and aligned, on stdout", async ({ options }) => {
  const io = recordIo();
  assert.is(await runStateList(options, io), 0);
  assert.is(
    io.stdout,
    "default/a          ep-imported\ndefault/chat-prod  ep-chat\nprod/zeta          ep-zeta\n",
  );
  assert.is(io.stderr, "");
});

command("list with no state says so on stderr and prints nothing", async ({ dir }) => {
  const io = recordIo();
  assert.is(await runStateList({ dir: "elsewhere", state: undefined, cwd: dir.path }, io), 0);
  assert.is(io.stdout, "");
  assert.ok(io.stderr.includes("No resources in local state ./elsewhere/.ark-sync/state.json"), io.stderr);
  assert.not.ok(existsSync(join(dir.path, "elsewhere")), "reading creates nothing");
});

command("show prints one resource as JSON with its address", async ({ options }) => {
  const io = recordIo();
  assert.is(await runStateShow("default/chat-prod", options, io), 0);
  assert.equal(JSON.parse(io.stdout), { address: "default/chat-prod", ...resource("ep-chat") });
});

command("show of an unknown address is a usage error; a case slip gets a suggestion", async ({ options }) => {
  const unknown = await rejection(runStateShow("default/nope", options, recordIo()));
  assert.is(unknown.code, "state_unknown_address");
  assert.is(unknown.kind, "usage");
  assert.ok(
    unknown.message.includes("no resource default/nope in local state ./manifests/.ark-sync/state.json"),
  );
  const slip = await rejection(runStateShow("default/Chat-Prod", options, recordIo()));
  assert.ok(slip.hint?.includes("Did you mean default/chat-prod?"), slip.hint);
  assert.is((await rejection(runStateShow("__proto__", options, recordIo()))).code, "state_unknown_address");
});

command(
  "rm removes the address, raises the serial, says Ark is untouched, and frees the lock",
  async (context) => {
    const { options, statePath } = context;
    const backend = createLocalStateBackend(statePath, context.dir.path, quietState);
    const before = await backend.read();
    const io = recordIo();
    assert.is(await runStateRm("default/chat-prod", options, io), 0);
    const after = await backend.read();
    assert.equal(Object.keys(after?.resources ?? {}), ["default/a", "prod/zeta"]);
    assert.is(after?.serial, (before?.serial ?? 0) + 1);
    assert.is(after?.lineage, before?.lineage);
    assert.ok(io.stdout.includes("Removed default/chat-prod (ep-chat)"), io.stdout);
    assert.ok(io.stdout.includes("The endpoint ep-chat on Ark is untouched"), io.stdout);
    assert.ok(io.stdout.includes("ark-sync import default/chat-prod ep-chat"), io.stdout);
    assert.not.ok(existsSync(`${statePath}.lock`));
  },
);

command(
  "rm of an unknown address changes nothing and frees the lock",
  async ({ options, statePath, dir }) => {
    const backend = createLocalStateBackend(statePath, dir.path, quietState);
    const before = await backend.read();
    assert.is(
      (await rejection(runStateRm("default/nope", options, recordIo()))).code,
      "state_unknown_address",
    );
    assert.equal(await backend.read(), before);
    assert.not.ok(existsSync(`${statePath}.lock`));
  },
);

command(
  "rm while another run holds the lock is refused with the holder",
  async ({ options, statePath, dir }) => {
    const held = await createLocalStateBackend(statePath, dir.path, quietState).lock({ operation: "apply" });
    const refused = await rejection(runStateRm("default/a", options, recordIo()));
    assert.is(refused.code, "state_locked");
    assert.ok(refused.message.includes("Operation: apply"));
    const io = recordIo();
    assert.is(await runStateUnlock(held.info.id, options, io), 0);
    assert.ok(io.stdout.includes(`Removed lock ${held.info.id}`), io.stdout);
    assert.is(await runStateRm("default/a", options, recordIo()), 0);
  },
);

command("the commands work on the git backend too", async ({ dir }) => {
  const origin = join(dir.path, "origin.git");
  git(dir.path, ["init", "--quiet", "--bare", origin]);
  const checkout = join(dir.path, "checkout");
  git(dir.path, ["clone", "--quiet", origin, checkout]);
  mkdirSync(join(checkout, "manifests"));
  writeFileSync(join(checkout, "manifests", "x.yaml"), "name: x\n");
  const options = { dir: "manifests", state: "git:ark-sync-state", cwd: checkout };
  const { resolveStateBackend } = await import("../../src/state/resolve-backend.js");
  const backend = await resolveStateBackend(options.state, options.dir, checkout, quietState);
  const lock = await backend.lock({ operation: "apply" });
  await lock.write({ "default/a": resource("ep-a"), "default/b": resource("ep-b") });
  await lock.release();
  assert.is(await runStateRm("default/a", options, recordIo()), 0);
  const io = recordIo();
  await runStateList(options, io);
  assert.is(io.stdout, "default/b  ep-b\n");
});

command.run();
