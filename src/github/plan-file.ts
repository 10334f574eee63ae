// Reads a saved plan (`ark-sync plan --out FILE`, the JSON rendering of a Plan) back as a Plan. The
// file leaves out the empty fields of a resource change, which read back empty.
import { readFile } from "node:fs/promises";
import { ArkSyncError } from "../core/errors.js";
import type { Plan, ResourceChange } from "../core/types.js";

export async function readPlanFile(path: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "it does not exist" : String(error);
    throw new ArkSyncError(
      "input",
      "plan_file_unreadable",
      `Could not read the plan file ${path}: ${reason}`,
      {
        hint: "Write it first with: ark-sync plan --out FILE",
        cause: error,
      },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ArkSyncError("input", "plan_file_invalid", `${path} is not JSON, so not a saved plan`, {
      hint: "Write it with: ark-sync plan --out FILE",
    });
  }
  return parsePlanDocument(value, path);
}

export function parsePlanDocument(value: unknown, source: string): Plan {
  const document = value as Partial<Plan> | null;
  const fail = (what: string) =>
    new ArkSyncError("input", "plan_file_invalid", `${source} is not a saved ark-sync plan: ${what}`, {
      hint: "Write it with: ark-sync plan --out FILE",
    });
  if (typeof document !== "object" || document === null || Array.isArray(document))
    throw fail("not a JSON object");
  if (document.format_version !== "1.0")
    throw fail(`format_version is ${JSON.stringify(document.format_version)}, not "1.0"`);
  if (!Array.isArray(document.resource_changes)) throw fail("resource_changes is not a list");
  const summary = document.summary;
  if (!summary || ![summary.add, summary.change, summary.destroy].every((n) => Number.isSafeInteger(n))) {
    throw fail("summary is not {add, change, destroy}");
  }
  const resourceChanges = document.resource_changes.map((change, i) => {
    const rc = change as Partial<ResourceChange> | null;
    if (!rc || typeof rc.address !== "string" || !rc.change || !Array.isArray(rc.change.actions)) {
      throw fail(`resource_changes[${i}] has no address or actions`);
    }
    return {
      ...rc,
      lifecycle: rc.lifecycle ?? {},
      change: {
        ...rc.change,
        after_unknown: rc.change.after_unknown ?? {},
        replace_paths: rc.change.replace_paths ?? [],
        patch: rc.change.patch ?? [],
      },
    } as ResourceChange;
  });
  return {
    format_version: "1.0",
    refreshed: document.refreshed ?? true,
    resource_changes: resourceChanges,
    resource_drift: Array.isArray(document.resource_drift) ? document.resource_drift : [],
    unmanaged: Array.isArray(document.unmanaged) ? document.unmanaged : [],
    warnings: Array.isArray(document.warnings) ? document.warnings : [],
    errors: Array.isArray(document.errors) ? document.errors : [],
    summary: { add: summary.add, change: summary.change, destroy: summary.destroy },
    state: document.state ?? null,
    plan_hash: typeof document.plan_hash === "string" ? document.plan_hash : "",
  };
}
