// The commit of the manifests' checkout, recorded with each applied resource. `git rev-parse HEAD`
// in the manifest folder: cheap, and absent (undefined) outside a checkout or without git.
import { execFile } from "node:child_process";
import type { Environment } from "../core/environment.js";

export function readGitCommit(dir: string, env: Environment): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      "git",
      ["rev-parse", "--verify", "--quiet", "HEAD"],
      { cwd: dir, timeout: 5000, env: { ...env, GIT_OPTIONAL_LOCKS: "0" } },
      (error, stdout) => {
        const commit = String(stdout).trim();
        resolve(!error && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commit) ? commit : undefined);
      },
    );
  });
}
