// The files `projects --changed-since REF` counts as changed (docs/commands.md#projects): what the
// branch changed since it left REF (`git diff REF...HEAD`, as a pull request's diff is), and what is
// not committed yet (changed, staged or untracked and not ignored). A rename counts as both names.
import path from "node:path";
import { createGitRunner } from "../state/git-client.js";

const GIT_TIMEOUT_MS = 60_000;

/** Absolute paths, each once, of the files changed in the repository that holds `dir`. */
export async function changedFiles(dir: string, ref: string): Promise<string[]> {
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
