// The index `plan --all --out DIR` writes next to the plans it saved (docs/commands.md#plan): which
// directory each plan file is for and how its plan ended, so that `comment DIR` can post one comment
// per directory, a failed directory included. Paths of plan files are relative to the index.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ArkSyncError } from "../core/errors.js";
import type { Plan } from "../core/types.js";
import { readPlanFile } from "./plan-json.js";

export const PLANS_INDEX_FILE = "plans.json";
const FORMAT_VERSION = "1";

export interface PlansIndexEntry {
  /** The manifest directory, as `projects` names it. */
  dir: string;
  /** The saved plan, relative to the index; null when the directory could not be planned. */
  file: string | null;
  exit_code: 0 | 1 | 2;
  /** Why the directory could not be planned (the text printed on stderr), when file is null. */
  error?: string;
}

/** A manifest directory's plan, or why it has none. */
export type DirectoryPlan = { directory: string; plan: Plan } | { directory: string; error: string };

/** Every plan a directory written by `plan --all --out DIR` holds, in order, with its directory. */
export async function readSavedPlans(dir: string): Promise<DirectoryPlan[]> {
  const entries = await readPlansIndex(join(dir, PLANS_INDEX_FILE));
  return Promise.all(
    entries.map(async ({ dir: directory, file, error }) =>
      file === null
        ? { directory, error: error ?? "The directory could not be planned; the job log says why." }
        : { directory, plan: await readPlanFile(join(dir, file)) },
    ),
  );
}

export function renderPlansIndex(entries: readonly PlansIndexEntry[]): string {
  return `${JSON.stringify({ format_version: FORMAT_VERSION, plans: entries }, null, 2)}\n`;
}

async function readPlansIndex(path: string): Promise<PlansIndexEntry[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ArkSyncError("input", "plan_file_unreadable", `Could not read ${path}: ${String(error)}`, {
      hint: "Write a directory of plans with: ark-sync plan --all --out DIR",
      cause: error,
    });
  }
  return parsePlansIndex(text, path);
}

export function parsePlansIndex(text: string, source: string): PlansIndexEntry[] {
  const fail = (what: string) =>
    new ArkSyncError("input", "plan_file_invalid", `${source} is not an index of plans: ${what}`, {
      hint: "Write it again with: ark-sync plan --all --out DIR",
    });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw fail("it is not JSON");
  }
  const index = value as { format_version?: unknown; plans?: unknown } | null;
  if (index?.format_version !== FORMAT_VERSION) throw fail(`format_version is not "${FORMAT_VERSION}"`);
  if (!Array.isArray(index.plans)) throw fail("plans is not a list");
  return index.plans.map((entry: unknown, i) => {
    const candidate = entry as Partial<PlansIndexEntry> | null;
    const valid =
      typeof candidate?.dir === "string" &&
      candidate.dir !== "" &&
      (candidate.file === null || isPlainFileName(candidate.file)) &&
      (candidate.exit_code === 0 || candidate.exit_code === 1 || candidate.exit_code === 2) &&
      (candidate.error === undefined || typeof candidate.error === "string");
    if (!valid) throw fail(`plans[${i}] is not {dir, file, exit_code, error?}`);
    return candidate as PlansIndexEntry;
  });
}

/** A file next to the index: an index may not send `comment` to read files elsewhere. */
function isPlainFileName(file: unknown): file is string {
  return typeof file === "string" && /^[A-Za-z0-9._-]+$/.test(file) && !/^\.+$/.test(file);
}
