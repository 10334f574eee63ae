// Which projects changed since a revision (docs/commands.md#projects), for `projects --changed-since`
// and `plan --all --changed-since`: those with a changed file in their directory or a base's, or a
// changed policy file. Changed means what the branch changed since it left REF (`git diff
// REF...HEAD`, as a pull request's diff is), or what is not committed yet (changed, staged, or
// untracked and not ignored); a rename counts as both names.
import { realpath } from "node:fs/promises";
import path from "node:path";
import { ArkSyncError } from "../core/errors.js";
import type { Project } from "../manifest/read-project.js";
import { createGitRunner } from "../state/git-client.js";

const GIT_TIMEOUT_MS = 60_000;

/** Absolute paths, each once, of the files changed in the repository that holds `dir`. */
async function changedFiles(dir: string, ref: string): Promise<string[]> {
  const git = createGitRunner(dir, GIT_TIMEOUT_MS);
  const top = (await git.run(["rev-parse", "--show-toplevel"])).trim();
  const lists = await Promise.all([
    git.run(["diff", "--name-only", "--no-renames", "-z", `${ref}...HEAD`, "--"]),
    git.run(["diff", "--name-only", "--no-renames", "-z", "HEAD", "--"]),
    git.run(["ls-files", "--others", "--exclude-standard", "-z", "--full-name", "--", top]),
  ]);
  const names = new Set(lists.flatMap((list) => list.split("\0").filter((name) => name !== "")));
  return [...names].map((name) => path.join(top, name));
}

/**
 * The projects with a changed file in their directory or a base's. A project whose ark-sync.yaml (or a
 * base's) has problems is always listed: its bases are not known, and its plan reports the problems.
 * `ref` has passed checkChangedSince: the callers check it before they read anything.
 */
export async function changedProjects(
  projects: Project[],
  ref: string,
  root: string,
  cwd: string,
): Promise<Project[]> {
  const changed = await changedFiles(path.resolve(cwd, root), ref);
  // git names files by their real path; a directory that does not exist (a base) has none.
  const real = async (name: string) => {
    const absolute = path.resolve(cwd, name);
    return realpath(absolute).catch(() => absolute);
  };
  const touched = await Promise.all(
    projects.map(async (project) => {
      if (project.diagnostics.length > 0) return true;
      const dirs = (await Promise.all(project.reads.map(real))).map((dir) => `${dir}${path.sep}`);
      const policies = await Promise.all(project.policies.map(real));
      return changed.some((file) => policies.includes(file) || dirs.some((dir) => file.startsWith(dir)));
    }),
  );
  return projects.filter((_, index) => touched[index]);
}

/**
 * Refuses a `--changed-since` that names no revision, before anything is read. An empty one is what a
 * workflow passes when its event has no base (`${{ github.event.pull_request.base.sha }}` outside a
 * pull request): taken as it was, it would list nothing and the run would pass having checked nothing.
 */
export function checkChangedSince(ref: string): void {
  if (ref.trim() === "") {
    throw new ArkSyncError("usage", "invalid_arguments", "--changed-since was given no revision", {
      hint: 'Pass the commit to compare with, e.g. --changed-since "$BASE_SHA" (a pull request\'s base); to list every project, leave --changed-since out.',
    });
  }
  if (ref.startsWith("-")) {
    throw new ArkSyncError("usage", "invalid_arguments", `--changed-since ${ref} is not a revision`);
  }
}
