// Where `sync --watch` reads manifests from (docs/deploy.md#the-watcher): a directory, read again on every
// reconcile, or a repository it pulls itself: a working copy in a cache folder, updated by a shallow
// fetch of one ref (`git fetch --depth 1`) on each look. The URL is the copy's `origin`, so that a git
// state (`--state git:BRANCH`) finds its branch there; every message names it without credentials.
import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { withoutUrlCredentials } from "../core/url-credentials.js";
import type { GitRunner } from "../state/git-client.js";
import type { Environment } from "./context.js";

export type WatchSource =
  | { kind: "directory"; dir: string }
  | { kind: "repository"; url: string; ref: string; path: string; workdir?: string };

/** What one look found: the directory to reconcile, the commit it holds (null for a directory), and
 * where the reconcile runs: the working copy, for a repository (a git state is a branch of its
 * origin; a relative --state path is inside it), else the watcher's own folder. */
export interface SourceSnapshot {
  directory: string;
  commit: string | null;
  cwd: string;
}

export interface SourceReader {
  /** The source, for logs: the directory, or the URL without credentials, the ref and the path. */
  describe: string;
  read(): Promise<SourceSnapshot>;
}

const gitTimeoutMs = 120_000;

export function openWatchSource(source: WatchSource, env: Environment, cwd: string): SourceReader {
  switch (source.kind) {
    case "directory": {
      const directory = resolve(cwd, source.dir);
      return { describe: source.dir, read: async () => ({ directory, commit: null, cwd }) };
    }
    case "repository":
      return openRepository(source, env, cwd);
  }
}

function openRepository(
  source: Extract<WatchSource, { kind: "repository" }>,
  env: Environment,
  cwd: string,
): SourceReader {
  const workdir = source.workdir ? resolve(cwd, source.workdir) : defaultWorkdir(source, env);
  let ready: Promise<void> | undefined;
  let checkedOut: string | null = null;
  return {
    describe: `${withoutUrlCredentials(source.url)} ${source.ref}:${source.path}`,
    async read() {
      // Loaded on first use, as everywhere: simple-git is no part of --help.
      const { createGitRunner } = await import("../state/git-client.js");
      ready ??= mkdir(workdir, { recursive: true })
        .then(() => initialize(createGitRunner(workdir, gitTimeoutMs), source.url))
        .catch((error: unknown) => {
          ready = undefined; // tried again on the next look
          throw error;
        });
      await ready;
      const git = createGitRunner(workdir, gitTimeoutMs);
      await git.run(["fetch", "--quiet", "--depth", "1", "--no-tags", "origin", source.ref]);
      const commit = (await git.run(["rev-parse", "--verify", "FETCH_HEAD^{commit}"])).trim();
      if (commit !== checkedOut) {
        // Untracked files stay: a local state under the directory (.ark-sync/) survives a new commit.
        await git.run(["checkout", "--quiet", "--force", "--detach", commit]);
        checkedOut = commit;
      }
      return { directory: join(workdir, source.path), commit, cwd: workdir };
    },
  };
}

/** A git repository whose origin is `url`. A copy left by an earlier run may name another URL (a
 * rotated token): it is set either way. */
async function initialize(git: GitRunner, url: string): Promise<void> {
  await git.run(["init", "--quiet"]);
  const remotes = (await git.run(["remote"])).split("\n");
  await git.run(["remote", remotes.includes("origin") ? "set-url" : "add", "origin", url]);
}

/** `$XDG_CACHE_HOME/ark-sync/repositories/<id>`, else under the OS temporary folder; one per URL and ref. */
function defaultWorkdir(source: { url: string; ref: string }, env: Environment): string {
  const id = createHash("sha256").update(`${source.url}\n${source.ref}`).digest("hex").slice(0, 16);
  const cache = env.XDG_CACHE_HOME ? join(env.XDG_CACHE_HOME, "ark-sync") : join(tmpdir(), "ark-sync-cache");
  return join(cache, "repositories", id);
}
