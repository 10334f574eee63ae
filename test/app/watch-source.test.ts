// The watcher's repository source against a real local bare repository: a shallow fetch of the ref
// on each read, the new commit checked out, untracked files (a local state) kept, origin set for a git
// state, and no credential of the URL in any message.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { openWatchSource } from "../../src/app/watch-source.js";
import { git, makeTempDir } from "../state/helpers.js";

function makeOrigin() {
  const root = makeTempDir("watch-source");
  const origin = join(root.path, "origin.git");
  const clone = join(root.path, "clone");
  git(root.path, ["init", "--quiet", "--bare", "--initial-branch=main", origin]);
  git(root.path, ["clone", "--quiet", origin, clone]);
  const commit = (file: string, text: string) => {
    writeFileSync(join(clone, file), text);
    git(clone, ["add", "-A"]);
    git(clone, ["commit", "--quiet", "-m", `write ${file}`]);
    git(clone, ["push", "--quiet", "origin", "HEAD:main"]);
    return git(clone, ["rev-parse", "HEAD"]).trim();
  };
  return { root, origin, clone, commit };
}

test("each read fetches the ref; a new commit is checked out, files the checkout does not know stay", async () => {
  const { root, origin, clone, commit } = makeOrigin();
  try {
    await mkdir(join(clone, "envs"));
    const first = commit("envs/a.yaml", "one\n");
    const workdir = join(root.path, "cache");
    const source = openWatchSource(
      { kind: "repository", url: origin, ref: "main", path: "envs", workdir },
      {},
      root.path,
    );
    const read1 = await source.read();
    assert.equal(read1, { directory: join(workdir, "envs"), commit: first, cwd: workdir });
    assert.is(readFileSync(join(read1.directory, "a.yaml"), "utf8"), "one\n");
    assert.is(git(workdir, ["rev-list", "--count", "HEAD"]).trim(), "1", "shallow");
    await mkdir(join(read1.directory, ".ark-sync"));
    writeFileSync(join(read1.directory, ".ark-sync", "state.json"), "{}");

    assert.equal(await source.read(), read1, "no new commit: the same");
    const second = commit("envs/a.yaml", "two\n");
    const read2 = await source.read();
    assert.is(read2.commit, second);
    assert.is(readFileSync(join(read2.directory, "a.yaml"), "utf8"), "two\n");
    assert.ok(existsSync(join(read2.directory, ".ark-sync", "state.json")), "the local state is kept");
    assert.is(git(workdir, ["remote", "get-url", "origin"]).trim(), origin, "origin, for a git state");
  } finally {
    root.remove();
  }
});

test("the default working copy is under $XDG_CACHE_HOME/ark-sync, one per URL and ref", async () => {
  const { root, origin, commit } = makeOrigin();
  try {
    commit("a.yaml", "one\n");
    const cache = join(root.path, "xdg");
    const read = await openWatchSource(
      { kind: "repository", url: origin, ref: "main", path: "." },
      { XDG_CACHE_HOME: cache },
      root.path,
    ).read();
    assert.ok(read.directory.startsWith(join(cache, "ark-sync", "repositories")), read.directory);
    assert.ok(existsSync(join(read.directory, "a.yaml")));
  } finally {
    root.remove();
  }
});

test("a failed fetch says so without the URL's credentials; the source describes itself without them", async () => {
  const root = makeTempDir("watch-source");
  try {
    const url = "http://robot:s3cret-token@127.0.0.1:9/org/manifests.git";
    const source = openWatchSource(
      { kind: "repository", url, ref: "main", path: "envs/prod", workdir: join(root.path, "cache") },
      {},
      root.path,
    );
    assert.is(source.describe, "http://***@127.0.0.1:9/org/manifests.git main:envs/prod");
    const error = await source.read().then(
      () => new Error("the fetch succeeded"),
      (thrown: Error) => thrown,
    );
    assert.match(error.message, /^git fetch failed: /);
    assert.not.match(error.message, "s3cret");
  } finally {
    root.remove();
  }
});

test.run();
