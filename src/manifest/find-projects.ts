// Finds the projects under a root: the directories that hold an ark-sync.yaml
// (docs/commands.md#projects). Names starting with "." (.git, .github) and node_modules are skipped,
// and symbolic links are not followed. A project's subdirectories are not searched: its manifests are
// read recursively, so everything below it belongs to it.
import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { compareStrings } from "../core/attribute-paths.js";
import { describeFsError } from "../core/describe-fs-error.js";
import { ArkSyncError } from "../core/errors.js";
import { CONFIG_FILE } from "./load-config.js";

/** `path.join(root, relative)` for every project under `root` (`root` itself included), sorted. */
export async function findProjects(root: string): Promise<string[]> {
  const projects: string[] = [];
  const pending = [root];
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    const entries = await readDirectory(current);
    if (entries.some((entry) => entry.name === CONFIG_FILE && entry.isFile())) {
      projects.push(current);
      continue;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith(".") && entry.name !== "node_modules") {
        pending.push(path.join(current, entry.name));
      }
    }
  }
  return projects.sort(compareStrings);
}

/** @throws ArkSyncError (kind "input") when `dir` is missing, not a directory or unreadable. */
async function readDirectory(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new ArkSyncError("input", "manifest_dir_not_found", `directory ${dir} does not exist`);
    }
    if (code === "ENOTDIR") {
      throw new ArkSyncError("input", "manifest_dir_not_directory", `${dir} is not a directory`);
    }
    const message = `cannot read directory ${dir}: ${describeFsError(error)}`;
    throw new ArkSyncError("input", "manifest_dir_unreadable", message);
  }
}
