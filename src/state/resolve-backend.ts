// `--state SPEC` → a backend. The git backend (and so simple-git) is imported only when chosen, so
// `--help` and the local backend never load it.
import { resolve } from "node:path";
import { ArkSyncError } from "../core/errors.js";
import type { StateBackend, StateBackendOptions } from "./backend.js";
import { checkBranchName } from "./git-ref-name.js";
import { createLocalStateBackend } from "./local-backend.js";

export type StateSpec = { kind: "local"; path: string | null } | { kind: "git"; branch: string };

const stateSpecForms =
  "local (the default: <DIR>/.ark-sync/state.json), local:PATH, or git:BRANCH (e.g. git:ark-sync-state)";

/** Checks `--state` without touching the disk or git. Throws ArkSyncError("usage"). */
export function parseStateSpec(spec: string | undefined): StateSpec {
  if (spec === undefined || spec === "local") return { kind: "local", path: null };
  if (spec.startsWith("local:") && spec.length > "local:".length) {
    return { kind: "local", path: spec.slice("local:".length) };
  }
  if (spec.startsWith("git:")) {
    const branch = spec.slice("git:".length);
    const problem = checkBranchName(branch);
    if (problem) {
      throw new ArkSyncError(
        "usage",
        "state_bad_branch",
        `invalid --state ${JSON.stringify(spec)}: ${problem}`,
        {
          hint: `Use ${stateSpecForms}.`,
        },
      );
    }
    return { kind: "git", branch };
  }
  throw new ArkSyncError("usage", "state_bad_spec", `unknown --state ${JSON.stringify(spec)}`, {
    hint: `Use ${stateSpecForms}.`,
  });
}

/**
 * The backend `spec` names. Local paths are relative to `cwd`; the default is
 * `<manifestDir>/.ark-sync/state.json`. The git backend works in the checkout containing `cwd`.
 */
export async function resolveStateBackend(
  spec: string | undefined,
  manifestDir: string,
  cwd: string,
  options: StateBackendOptions,
): Promise<StateBackend> {
  const parsed = parseStateSpec(spec);
  switch (parsed.kind) {
    case "local": {
      const path = resolve(cwd, parsed.path ?? resolve(cwd, manifestDir, ".ark-sync", "state.json"));
      // Only the default folder, which ark-sync made among the manifests, is kept out of git.
      return createLocalStateBackend(path, cwd, options, { keepOutOfGit: parsed.path === null });
    }
    case "git": {
      const { createGitStateBackend } = await import("./git-backend.js");
      return createGitStateBackend(parsed.branch, cwd, options);
    }
  }
}
