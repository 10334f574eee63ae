// The git branch each planned directory keeps its state on, so that the plan comment can warn when
// nothing protects it (docs/github.md#recommended-rulesets): the `--state` given to the command, else
// the `state:` of the directory's ark-sync.yaml. A local state, or an ark-sync.yaml with problems (its
// plan fails on them), names no branch.
import { resolve } from "node:path";
import { loadConfig } from "../manifest/load-config.js";
import { parseStateSpec } from "../state/resolve-backend.js";

/** Directory → state branch, for the directories whose state is `git:BRANCH`. */
export async function readStateBranches(
  directories: readonly string[],
  cwd: string,
  state: string | undefined,
): Promise<Map<string, string>> {
  const branches = new Map<string, string>();
  for (const directory of directories) {
    const spec = state ?? (await loadConfig(resolve(cwd, directory))).config?.connection.state;
    const branch = gitBranchOf(spec);
    if (branch !== null) branches.set(directory, branch);
  }
  return branches;
}

function gitBranchOf(spec: string | undefined): string | null {
  try {
    const parsed = parseStateSpec(spec);
    return parsed.kind === "git" ? parsed.branch : null;
  } catch {
    return null; // not a state spec: the plan itself stopped on it
  }
}
