// The default local state folder, <DIR>/.ark-sync/, sits among the manifests: `git add manifests`
// must not commit the state, its backup or its lock (docs/state.md). A path given with local:PATH is
// the user's own choice and is left alone.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { resolveStateBackend } from "../../src/state/resolve-backend.js";
import { git, makeTempDir, quietState } from "./helpers.js";

test("git add manifests leaves the default state folder out", async () => {
  const repo = makeTempDir("default-folder");
  try {
    git(repo.path, ["init", "--quiet", "--initial-branch=main"]);
    mkdirSync(join(repo.path, "manifests"));
    writeFileSync(join(repo.path, "manifests", "chat.yaml"), "name: chat\n");
    const backend = await resolveStateBackend(undefined, "manifests", repo.path, quietState);
    const lock = await backend.lock({ operation: "apply" });
    await lock.write({});
    await lock.write({});
    await lock.release();
    assert.ok(existsSync(join(repo.path, "manifests", ".ark-sync", "state.json")));
    git(repo.path, ["add", "manifests"]);
    assert.is(git(repo.path, ["diff", "--cached", "--name-only"]).trim(), "manifests/chat.yaml");

    const chosen = await resolveStateBackend(
      "local:elsewhere/state.json",
      "manifests",
      repo.path,
      quietState,
    );
    const other = await chosen.lock({ operation: "apply" });
    await other.write({});
    await other.release();
    assert.not.ok(existsSync(join(repo.path, "elsewhere", ".gitignore")), "local:PATH is left as given");
  } finally {
    repo.remove();
  }
});

test.run();
