// The matrix that `ark-sync projects --json` prints, checked before it becomes the step's `matrix`
// output: a workflow's `fromJSON` would otherwise fail later, far from the cause (docs/github.md).
import { ArkSyncError } from "../core/errors.js";

export interface ProjectsMatrix {
  /** The JSON line as the CLI printed it, for `strategy.matrix: ${{ fromJSON(...) }}`. */
  json: string;
  count: number;
  /** Each entry's directory, in order. */
  dirs: string[];
}

export function readProjectsMatrix(stdout: string): ProjectsMatrix {
  const json = stdout.trim();
  const invalid = (why: string) =>
    new ArkSyncError("internal", "action_projects_invalid", `ark-sync projects --json printed ${why}`);
  // $GITHUB_OUTPUT's heredoc takes several lines, but fromJSON wants the one line the CLI promises.
  if (json.includes("\n")) throw invalid("more than one line");
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw invalid(`something that is not JSON: ${json.slice(0, 200)}`);
  }
  const include = (parsed as { include?: unknown } | null)?.include;
  if (!Array.isArray(include)) throw invalid('JSON without an "include" list');
  for (const entry of include) {
    if (typeof (entry as { dir?: unknown } | null)?.dir !== "string") {
      throw invalid(`an entry without a "dir": ${JSON.stringify(entry)}`);
    }
  }
  return { json, count: include.length, dirs: include.map((entry: { dir: string }) => entry.dir) };
}
