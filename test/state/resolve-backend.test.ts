import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isArkSyncError } from "../../src/core/errors.js";
import { redactCredentials } from "../../src/state/git-client.js";
import { compareAndSwapFailure } from "../../src/state/git-plumbing.js";
import { checkBranchName } from "../../src/state/git-ref-name.js";
import { parseStateSpec, resolveStateBackend } from "../../src/state/resolve-backend.js";
import { quietState, repoRoot } from "./helpers.js";

test("--state forms: default and local → <dir>/.ark-sync/state.json; local:PATH relative to cwd", async () => {
  assert.equal(parseStateSpec(undefined), { kind: "local", path: null });
  assert.equal(parseStateSpec("local"), { kind: "local", path: null });
  assert.equal(parseStateSpec("local:out/state.json"), { kind: "local", path: "out/state.json" });
  assert.equal(parseStateSpec("git:ark-sync-state"), { kind: "git", branch: "ark-sync-state" });
  const cwd = "/work/repo";
  assert.is(
    (await resolveStateBackend(undefined, "manifests", cwd, quietState)).describe(),
    "local state ./manifests/.ark-sync/state.json",
  );
  assert.is(
    (await resolveStateBackend("local", "infra/eps", cwd, quietState)).describe(),
    "local state ./infra/eps/.ark-sync/state.json",
  );
  assert.is(
    (await resolveStateBackend("local:s.json", "manifests", cwd, quietState)).describe(),
    "local state ./s.json",
  );
  assert.is(
    (await resolveStateBackend("local:/srv/s.json", "manifests", cwd, quietState)).describe(),
    "local state /srv/s.json",
  );
  assert.is(
    (await resolveStateBackend("git:team/state", "manifests", cwd, quietState)).describe(),
    "git state branch team/state on origin",
  );
});

test("unknown or empty specs are usage errors listing the accepted forms", () => {
  for (const spec of ["s3:bucket", "", "local:", "LOCAL", "git"]) {
    try {
      parseStateSpec(spec);
      assert.unreachable(`accepted ${JSON.stringify(spec)}`);
    } catch (error) {
      assert.ok(isArkSyncError(error) && error.kind === "usage", String(error));
      if (isArkSyncError(error))
        assert.ok(error.hint?.includes("local:PATH") && error.hint.includes("git:BRANCH"));
    }
  }
  try {
    parseStateSpec("git:--upload-pack=evil");
    assert.unreachable("accepted an option as a branch");
  } catch (error) {
    assert.ok(isArkSyncError(error) && error.code === "state_bad_branch");
  }
});

// Branch names are checked in TypeScript (before git is loaded); they must agree with git itself.
const branchNames = [
  "ark-sync-state",
  "team/prod-state",
  "state_2025",
  "a.b",
  "ünïcode",
  "x-lock",
  "a/b/c",
  "-x",
  "--upload-pack=x",
  "a..b",
  "a b",
  "a~1",
  "a^",
  "a:b",
  "a?",
  "a*",
  "a[b",
  "a\\b",
  "a\tb",
  "/a",
  "a/",
  "a//b",
  "a.",
  ".a",
  "a/.b",
  "a.lock",
  "a/b.lock/c",
  "a@{1}",
  "@",
  "HEAD",
  "",
];
for (const name of branchNames) {
  test(`branch name ${JSON.stringify(name)}: same verdict as git check-ref-format --branch`, () => {
    let gitAccepts = true;
    try {
      execFileSync("git", ["check-ref-format", "--branch", name], { stdio: "ignore" });
    } catch {
      gitAccepts = false;
    }
    // git expands "@" (and, in some versions, accepts "HEAD") as the current branch; ark-sync refuses both.
    if (name === "HEAD" || name === "@") assert.ok(checkBranchName(name) !== null);
    else assert.is(checkBranchName(name) === null, gitAccepts, String(checkBranchName(name)));
  });
}

test("push outcomes: rejections are compare-and-swap failures; hooks and network are not", () => {
  const rejectedLine = (reason: string) =>
    ` ! [rejected]        abc -> ark-sync-state (${reason})\nerror: failed to push`;
  assert.is(compareAndSwapFailure(rejectedLine("fetch first")), "fetch first");
  assert.is(compareAndSwapFailure(rejectedLine("non-fast-forward")), "non-fast-forward");
  assert.is(compareAndSwapFailure(rejectedLine("stale info")), "stale info");
  assert.is(
    compareAndSwapFailure(" ! [remote rejected] abc -> ark-sync-state-lock (failed to update ref)"),
    "failed to update ref",
  );
  assert.is(
    compareAndSwapFailure(
      " ! [remote rejected] main -> main (cannot lock ref 'refs/heads/main': is at 1 but expected 2)",
    ),
    "cannot lock ref 'refs/heads/main': is at 1 but expected 2",
  );
  assert.is(compareAndSwapFailure(" ! [remote rejected] abc -> main (protected branch hook declined)"), null);
  assert.is(
    compareAndSwapFailure("fatal: unable to access 'https://github.com/o/r.git/': Could not resolve host"),
    null,
  );
});

test("credentials are removed from git output", () => {
  const text =
    "fatal: unable to access 'https://x-access-token:ghs_abcdefghijklmnopqrstuvwxyz0123@github.com/o/r.git/'\n" +
    "remote: token ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345 and github_pat_11ABCDEFG0123456789_abcdefghijkl";
  const redacted = redactCredentials(text);
  assert.not.match(redacted, /ghs_|ghp_|github_pat_|x-access-token/);
  assert.ok(redacted.includes("https://***@github.com/o/r.git/"));
});

// simple-git must load only when the git backend is chosen: no static import chain from the CLI's
// state command or the local backend may reach it (dynamic `await import()` is fine).
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, "utf8");
  for (const match of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gm)) {
    const specifier = match[1] as string;
    if (match[0].startsWith("import type") || /^\s*import\s+type\s/.test(match[0])) continue;
    if (specifier.startsWith(".")) staticImports(resolve(dirname(file), specifier), seen);
    else seen.add(specifier);
  }
  return seen;
}

test("simple-git is not statically reachable from the state command, its use case or the local backend", () => {
  for (const entry of ["src/cli/commands/state.js", "src/app/state.js", "src/state/resolve-backend.js"]) {
    const reached = staticImports(join(repoRoot, "dist", entry));
    assert.not.ok(reached.has("simple-git"), `${entry} reaches simple-git statically`);
    assert.ok(reached.size > 1, "the walk found imports");
  }
  assert.ok(
    staticImports(join(repoRoot, "dist/src/state/git-backend.js")).has("simple-git"),
    "the check can fail",
  );
});

test.run();
