// The git backend against real repositories: a local bare repository as origin and two clones, as
// two CI runners would have. HOME points at an empty folder, so git has no identity configured (as
// on a bare runner) and the backend's fallback identity is exercised.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { StateBackend } from "../../src/state/backend.js";
import { erroredStateFileName } from "../../src/state/errored-state.js";
import { createGitStateBackend } from "../../src/state/git-backend.js";
import { parseStateDocument } from "../../src/state/state-document.js";
import { git, makeTempDir, quietState, rejection, resource } from "./helpers.js";

const branch = "ark-sync-state";

interface Context {
  root: { path: string; remove(): void };
  origin: string;
  a: string;
  b: string;
  warnings: string[];
  home: string | undefined;
  backendA: StateBackend;
  backendB: StateBackend;
}

const gitState = suite<Context>("git backend");

gitState.before.each((context) => {
  context.root = makeTempDir("git");
  context.home = process.env.HOME;
  const home = join(context.root.path, "home");
  mkdirSync(home);
  process.env.HOME = home;
  context.origin = join(context.root.path, "origin.git");
  git(context.root.path, ["init", "--quiet", "--bare", "--initial-branch=main", context.origin]);
  context.a = join(context.root.path, "a");
  git(context.root.path, ["clone", "--quiet", context.origin, context.a]);
  writeFileSync(join(context.a, "README.md"), "# infra\n");
  mkdirSync(join(context.a, "manifests"));
  writeFileSync(join(context.a, "manifests", "chat.yaml"), "name: chat\n");
  git(context.a, ["add", "."]);
  git(context.a, ["commit", "--quiet", "-m", "initial"]);
  git(context.a, ["push", "--quiet", "origin", "main"]);
  context.b = join(context.root.path, "b");
  git(context.root.path, ["clone", "--quiet", context.origin, context.b]);
  context.warnings = [];
  const options = {
    warn: (message: string) => context.warnings.push(message),
    env: {},
    gitTimeoutMs: 20_000,
  };
  context.backendA = createGitStateBackend(branch, context.a, options);
  // B works from a subfolder: the backend uses the checkout that contains it.
  context.backendB = createGitStateBackend(branch, join(context.b, "manifests"), options);
});

gitState.after.each((context) => {
  if (context.home === undefined) delete process.env.HOME;
  else process.env.HOME = context.home;
  context.root.remove();
});

function remoteState(origin: string) {
  return parseStateDocument(git(origin, ["show", `refs/heads/${branch}:state.json`]), "origin");
}

function snapshot(checkout: string): Record<string, string> {
  return {
    status: git(checkout, ["status", "--porcelain=v1", "--untracked-files=all"]),
    head: git(checkout, ["rev-parse", "HEAD"]),
    symbolic: git(checkout, ["symbolic-ref", "HEAD"]),
    branches: git(checkout, ["for-each-ref", "refs/heads", "refs/tags"]),
    index: git(checkout, ["ls-files", "--stage"]),
    staged: git(checkout, ["diff", "--cached"]),
    unstaged: git(checkout, ["diff"]),
    stash: git(checkout, ["stash", "list"]),
    readme: readFileSync(join(checkout, "README.md"), "utf8"),
  };
}

gitState("describe names the branch and the remote, never its URL", ({ backendA }) => {
  assert.is(backendA.describe(), "git state branch ark-sync-state on origin");
});

gitState("both clones read null, A writes, both read the same state from origin", async (context) => {
  const { backendA, backendB, origin } = context;
  assert.is(await backendA.read(), null);
  assert.is(await backendB.read(), null);
  const lock = await backendA.lock({ operation: "apply" });
  assert.is(lock.current(), null);
  const first = await lock.write({ "default/chat": resource("ep-chat") });
  const second = await lock.write({ "default/chat": resource("ep-chat", 20) });
  await lock.release();
  assert.is(first.serial, 1);
  assert.is(second.serial, 2);
  assert.is(second.lineage, first.lineage);
  assert.equal(await backendA.read(), second);
  assert.equal(await backendB.read(), second);
  assert.equal(remoteState(origin), second);
  assert.is(
    git(origin, ["ls-tree", "--name-only", `refs/heads/${branch}`]),
    "state.json\n",
    "state.json alone",
  );
  assert.is(git(origin, ["rev-list", "--count", `refs/heads/${branch}`]).trim(), "2", "one commit per write");
  assert.is(git(origin, ["for-each-ref", `refs/heads/${branch}-lock`]), "", "the lock is gone");
  assert.equal(context.warnings, []);

  const lockB = await backendB.lock({ operation: "state rm" });
  assert.equal(lockB.current(), second);
  const third = await lockB.write({});
  await lockB.release();
  assert.is(third.serial, 3);
  assert.is(third.lineage, first.lineage);
  assert.equal(await backendA.read(), third);
});

gitState("the working tree, index, HEAD and branches of the checkout are untouched", async (context) => {
  const { a, backendA } = context;
  writeFileSync(join(a, "README.md"), "# infra\nwork in progress\n");
  writeFileSync(join(a, "manifests", "new.yaml"), "name: new\n");
  git(a, ["add", "manifests/new.yaml"]);
  writeFileSync(join(a, "scratch.txt"), "untracked\n");
  const before = snapshot(a);
  await backendA.read();
  const lock = await backendA.lock({ operation: "apply" });
  await lock.write({ "default/chat": resource("ep-chat") });
  await lock.release();
  await backendA.read();
  assert.equal(snapshot(a), before);
  assert.is(git(a, ["for-each-ref", "refs/ark-sync"]), "", "no fetch refs left behind");
  assert.not.ok(existsSync(join(a, "state.json")));
  assert.not.ok(existsSync(join(a, erroredStateFileName)));
});

gitState(
  "a failing pre-push hook and commit signing settings do not get in the way",
  async ({ a, backendA, origin }) => {
    writeFileSync(join(a, ".git", "hooks", "pre-push"), "#!/bin/sh\necho hook ran >&2\nexit 1\n", {
      mode: 0o755,
    });
    git(a, ["config", "commit.gpgSign", "true"]);
    git(a, ["config", "gpg.program", "false"]);
    const lock = await backendA.lock({ operation: "apply" });
    const written = await lock.write({ "default/chat": resource("ep-chat") });
    await lock.release();
    assert.equal(remoteState(origin), written);
  },
);

gitState("a second lock from another clone is refused with the holder's details", async (context) => {
  const { backendA, backendB } = context;
  const held = await backendA.lock({ operation: "apply" });
  const refused = await rejection(backendB.lock({ operation: "apply" }));
  assert.is(refused.code, "state_locked");
  for (const detail of [
    "state is locked: git state branch ark-sync-state on origin",
    `Lock ID:   ${held.info.id}`,
    "Operation: apply",
    `Who:       ${held.info.who}`,
    `Process:   ${process.pid}`,
    `Since:     ${held.info.since}`,
  ]) {
    assert.ok(refused.message.includes(detail), `${detail}\n in: ${refused.message}`);
  }
  assert.ok(refused.hint?.includes(`ark-sync state unlock ${held.info.id}`), refused.hint);
  await held.release();
  const next = await backendB.lock({ operation: "apply" });
  await next.release();
});

gitState("concurrent lock attempts from both clones: exactly one wins", async (context) => {
  const attempts = [context.backendA, context.backendB, context.backendA, context.backendB].map((backend) =>
    backend.lock({ operation: "apply" }),
  );
  const results = await Promise.allSettled(attempts);
  const won = results.filter((result) => result.status === "fulfilled");
  assert.is(won.length, 1);
  for (const result of results) {
    if (result.status === "rejected")
      assert.is((result.reason as { code?: string }).code, "state_locked", String(result.reason));
  }
  for (const result of won) await result.value.release();
});

gitState(
  "a write based on an old tip is a conflict: origin keeps A's state, B's goes to the errored file",
  async (context) => {
    const { backendA, backendB, origin, b } = context;
    const setup = await backendA.lock({ operation: "apply" });
    const base = await setup.write({ "default/chat": resource("ep-chat") });
    await setup.release();

    const lockB = await backendB.lock({ operation: "apply" });
    assert.equal(lockB.current(), base);
    // An operator removes B's lock (believing B dead), and A applies meanwhile.
    await backendA.forceUnlock(lockB.info.id);
    const lockA = await backendA.lock({ operation: "apply" });
    const fromA = await lockA.write({
      "default/chat": resource("ep-chat"),
      "default/a-only": resource("ep-a"),
    });
    await lockA.release();

    const refused = await rejection(
      lockB.write({ "default/chat": resource("ep-chat"), "default/b-only": resource("ep-b") }),
    );
    assert.is(refused.code, "state_conflict");
    assert.is(refused.kind, "external");
    assert.ok(refused.message.includes("nothing was overwritten"), refused.message);
    assert.match(refused.message, /push rejected: (fetch first|non-fast-forward)/);
    assert.ok(refused.hint?.includes(`./${erroredStateFileName}`), refused.hint);
    assert.equal(remoteState(origin), fromA, "origin still holds A's state");

    const errored = parseStateDocument(
      readFileSync(join(b, "manifests", erroredStateFileName), "utf8"),
      "errored",
    );
    assert.equal(Object.keys(errored.resources), ["default/b-only", "default/chat"]);
    assert.is(errored.lineage, base.lineage);
    assert.is(errored.serial, base.serial + 1);

    // Later writes of the same run are refused too, without pushing.
    assert.is((await rejection(lockB.write({}))).code, "state_conflict");
    assert.equal(remoteState(origin), fromA);
    await lockB.release();
    assert.ok(
      context.warnings.some((warning) => warning.includes("no longer this run's")),
      context.warnings.join("\n"),
    );
  },
);

gitState("unlock needs the lock's id; a wrong id leaves it", async ({ backendA, backendB, origin }) => {
  assert.is((await rejection(backendB.forceUnlock("nope"))).code, "state_not_locked");
  const held = await backendA.lock({ operation: "apply" });
  const wrong = await rejection(backendB.forceUnlock("nope"));
  assert.is(wrong.code, "state_unlock_mismatch");
  assert.ok(wrong.message.includes(held.info.id));
  assert.not.equal(git(origin, ["for-each-ref", `refs/heads/${branch}-lock`]), "");
  const removed = await backendB.forceUnlock(held.info.id);
  assert.equal(removed, held.info);
  assert.is(git(origin, ["for-each-ref", `refs/heads/${branch}-lock`]), "");
});

gitState("a branch that holds other files is refused, and nothing is pushed to it", async (context) => {
  const { a, origin } = context;
  const onMain = createGitStateBackend("main", a, { ...quietState, warn: () => undefined });
  const mainBefore = git(origin, ["rev-parse", "refs/heads/main"]);
  const refused = await rejection(onMain.read());
  assert.is(refused.code, "state_branch_foreign");
  assert.ok(refused.message.includes("README.md"), refused.message);
  assert.is((await rejection(onMain.lock({ operation: "apply" }))).code, "state_branch_foreign");
  assert.is(git(origin, ["rev-parse", "refs/heads/main"]), mainBefore);
  assert.is(git(origin, ["for-each-ref", "refs/heads/main-lock"]), "", "the lock was given back");
});

gitState("outside a git checkout, or without origin: usage errors", async ({ root, a }) => {
  const outside = join(root.path, "plain");
  mkdirSync(outside);
  assert.is(
    (await rejection(createGitStateBackend(branch, outside, quietState).read())).code,
    "state_not_git",
  );
  git(a, ["remote", "rename", "origin", "upstream"]);
  assert.is((await rejection(createGitStateBackend(branch, a, quietState).read())).code, "state_no_origin");
});

gitState("credentials in the remote URL never appear in errors", async ({ a }) => {
  git(a, [
    "remote",
    "set-url",
    "origin",
    "https://x-access-token:ghs_SuperSecretToken1234567890@127.0.0.1:9/o/r.git",
  ]);
  const refused = await rejection(
    createGitStateBackend(branch, a, { ...quietState, gitTimeoutMs: 10_000 }).read(),
  );
  assert.is(refused.code, "git_failed");
  assert.not.ok(refused.message.includes("SuperSecret"), refused.message);
  assert.not.ok(refused.message.includes("x-access-token:"), refused.message);
});

gitState("bad branch names are refused before git runs", () => {
  for (const name of ["-delete", "a..b", "a b", "x.lock", "", "HEAD"]) {
    try {
      createGitStateBackend(name, ".", quietState);
      assert.unreachable(`accepted ${JSON.stringify(name)}`);
    } catch (error) {
      assert.is((error as { code?: string }).code, "state_bad_branch");
    }
  }
});

gitState.run();
