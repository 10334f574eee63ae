// The repository a directory's bases must lie in (docs/manifests.md#overlays-ark-syncyaml): the top level
// of the git work tree that holds it, found as git finds it, by the nearest `.git` (a folder, or a file in
// a linked worktree or submodule) at or above it; outside any, the directory itself. Real paths, so a
// symbolic link cannot lead a base out.
import { lstat, realpath } from "node:fs/promises";
import path from "node:path";

export async function findRepositoryRoot(dir: string): Promise<string> {
  // A missing directory is reported by the scan that reads it.
  const real = await realpath(dir).catch(() => path.resolve(dir));
  for (let current = real; ; current = path.dirname(current)) {
    const found = await lstat(path.join(current, ".git")).then(
      () => true,
      () => false,
    );
    if (found) return current;
    if (path.dirname(current) === current) return real;
  }
}

/** Whether the real path `real` is `root` or lies under it. */
export function isWithin(root: string, real: string): boolean {
  const relative = path.relative(root, real);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}
