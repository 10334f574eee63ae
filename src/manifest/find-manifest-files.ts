// Finds the manifest files (*.yaml, *.yml) under a directory, recursively. Names starting with "."
// (files and folders, e.g. .ark-sync/) are skipped. Symbolic links are followed, but each real
// directory is scanned once, so a link loop ends with a warning instead of recursing forever.
import type { Dirent, Stats } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { compareStrings } from "../core/attribute-paths.js";
import { describeFsError } from "../core/describe-fs-error.js";
import { ArkSyncError } from "../core/errors.js";
import type { Diagnostic } from "./diagnostic.js";

export interface ManifestFileList {
  /** `path.join(dir, relative)` for every manifest file, sorted. */
  files: string[];
  /** Entries that look like manifests but cannot be read, and skipped link loops. */
  diagnostics: Diagnostic[];
}

export function isManifestName(name: string): boolean {
  return name.endsWith(".yaml") || name.endsWith(".yml");
}

export async function findManifestFiles(dir: string): Promise<ManifestFileList> {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const scanned = new Map<string, string>([[await resolveRoot(dir), dir]]);
  const pending = [dir];
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    let entries: Dirent[];
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch (error) {
      diagnostics.push(
        problem(current, "error", "unreadable_directory", `cannot read directory: ${describeFsError(error)}`),
      );
      continue;
    }
    // Sorted, so which of two links to one directory is scanned (and which is skipped) never
    // depends on the file system's order.
    for (const entry of entries.sort((a, b) => compareStrings(a.name, b.name))) {
      if (entry.name.startsWith(".")) continue;
      const entryPath = path.join(current, entry.name);
      const manifestName = isManifestName(entry.name);
      let target: Dirent | Stats = entry;
      if (entry.isSymbolicLink()) {
        try {
          target = await stat(entryPath);
        } catch (error) {
          if (manifestName) {
            diagnostics.push(
              problem(entryPath, "error", "unreadable_file", `cannot read file: ${describeFsError(error)}`),
            );
          }
          continue;
        }
      }
      if (target.isDirectory()) {
        const real = await realpath(entryPath).catch(() => entryPath);
        const first = scanned.get(real);
        if (first === undefined) {
          scanned.set(real, entryPath);
          pending.push(entryPath);
        } else {
          const message = `directory skipped: it is ${first} again (a symbolic link loop or a second link)`;
          diagnostics.push(problem(entryPath, "warning", "directory_already_scanned", message));
        }
      } else if (manifestName) {
        if (target.isFile()) {
          files.push(entryPath);
        } else {
          const message = "not a regular file (a pipe, socket or device)";
          diagnostics.push(problem(entryPath, "error", "not_a_file", message));
        }
      }
    }
  }
  files.sort(compareStrings);
  return { files, diagnostics };
}

async function resolveRoot(dir: string): Promise<string> {
  let stats: Stats;
  try {
    stats = await stat(dir);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new ArkSyncError(
      "input",
      missing ? "manifest_dir_not_found" : "manifest_dir_unreadable",
      missing
        ? `manifest directory ${dir} does not exist`
        : `cannot read manifest directory ${dir}: ${describeFsError(error)}`,
      { hint: "Pass the directory that holds your *.yaml manifests (default: manifests)." },
    );
  }
  if (!stats.isDirectory()) {
    throw new ArkSyncError("input", "manifest_dir_not_directory", `${dir} is not a directory`, {
      hint: "Pass the directory that holds the manifest, not the file itself.",
    });
  }
  return realpath(dir).catch(() => path.resolve(dir));
}

function problem(file: string, severity: Diagnostic["severity"], code: string, message: string): Diagnostic {
  return { file, line: 1, col: 1, severity, code, message };
}
