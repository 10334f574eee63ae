// The few git operations the git backend is built from, each one or two plumbing commands. None of
// them reads or writes the working tree, the index, HEAD or a local branch.
import { randomBytes } from "node:crypto";
import { isArkSyncError } from "../core/errors.js";
import type { GitRunner } from "./git-client.js";

export type PushResult = { ok: true } | { ok: false; reason: string };

/**
 * Fetches `remoteRef` from origin; its commit, or null when origin has no such ref. Each fetch lands
 * in a ref of its own, deleted after, and `--refmap=` keeps git from updating refs/remotes/origin/*,
 * so runs sharing a checkout never contend for a ref lock.
 */
export async function fetchTip(git: GitRunner, remoteRef: string): Promise<string | null> {
  const temp = `refs/ark-sync/fetch-${process.pid}-${randomBytes(6).toString("hex")}`;
  try {
    await git.run(["fetch", "--no-tags", "--quiet", "--refmap=", "origin", `+${remoteRef}:${temp}`]);
  } catch (error) {
    if (isArkSyncError(error) && /couldn't find remote ref/i.test(error.message)) return null;
    throw error;
  }
  try {
    return (await git.run(["rev-parse", "--verify", `${temp}^{commit}`])).trim();
  } finally {
    await git.run(["update-ref", "-d", temp]).catch(() => undefined);
  }
}

/** What origin's `ref` points at now, or null when it does not exist. */
export async function remoteTip(git: GitRunner, ref: string): Promise<string | null> {
  const line = (await git.run(["ls-remote", "origin", ref])).split("\n")[0] ?? "";
  return line === "" ? null : (line.split("\t")[0] ?? null);
}

/** The file names at the root of `commit`. */
export async function listFiles(git: GitRunner, commit: string): Promise<string[]> {
  const output = await git.run(["ls-tree", "--full-tree", "--name-only", commit]);
  return output.split("\n").filter((name) => name !== "");
}

export function readFile(git: GitRunner, commit: string, name: string): Promise<string> {
  return git.run(["show", `${commit}:${name}`]);
}

/** A commit whose tree holds one file. `identity` is `-c user.*` arguments, or none. */
export async function commitFile(
  git: GitRunner,
  identity: string[],
  file: { name: string; text: string },
  parent: string | null,
  message: string,
): Promise<string> {
  const blob = (await git.run(["hash-object", "-w", "--stdin"], file.text)).trim();
  const tree = (await git.run(["mktree"], `100644 blob ${blob}\t${file.name}\n`)).trim();
  const parents = parent === null ? [] : ["-p", parent];
  // --no-gpg-sign: a signing setup must not prompt for a passphrase in the middle of an apply.
  const commit = [...identity, "commit-tree", "--no-gpg-sign", tree, ...parents, "-m", message];
  return (await git.run(commit)).trim();
}

/**
 * Pushes `refspec` to origin without force. `lease` adds an exact expectation of the remote ref
 * (`ref:sha`, or `ref:` for "must not exist"). A lost compare-and-swap resolves `{ok: false}`;
 * any other failure throws.
 */
export async function pushRef(git: GitRunner, refspec: string, lease?: string): Promise<PushResult> {
  const leaseArgs = lease === undefined ? [] : [`--force-with-lease=${lease}`];
  try {
    // --no-verify: the user's pre-push hooks (tests, linters) are not for state commits.
    await git.run(["push", "--quiet", "--no-verify", ...leaseArgs, "origin", refspec]);
    return { ok: true };
  } catch (error) {
    const reason = compareAndSwapFailure(error instanceof Error ? error.message : String(error));
    if (reason) return { ok: false, reason };
    throw error;
  }
}

/**
 * Why a push lost a compare-and-swap, or null when it failed otherwise (network, permissions, a
 * protected branch). Git says `[rejected] (fetch first | non-fast-forward | stale info)` when it can
 * tell before sending; when two pushes race, the server's ref update fails instead.
 */
export function compareAndSwapFailure(output: string): string | null {
  const rejected = /! \[rejected\][^\n]*\(([^)\n]+)\)/.exec(output);
  if (rejected) return rejected[1] ?? "rejected";
  const raced =
    /! \[remote rejected\][^\n]*\((failed to update ref|failed to lock|incorrect old value[^)\n]*|cannot lock ref[^)\n]*)\)/.exec(
      output,
    );
  return raced ? (raced[1] ?? "remote rejected") : null;
}
