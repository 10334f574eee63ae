// `ark-sync projects [ROOT]`: every directory under ROOT with an ark-sync.yaml and the region, API URL
// and state it gives, as a table or as a GitHub Actions matrix (--json); with --changed-since REF only
// those whose files, or whose bases' files, changed (docs/commands.md#projects).
import { realpath } from "node:fs/promises";
import path from "node:path";
import { ArkSyncError } from "../core/errors.js";
import { formatDiagnostic } from "../manifest/diagnostic.js";
import { findProjects } from "../manifest/find-projects.js";
import { type Project, readProject } from "../manifest/read-project.js";
import { type ProjectEntry, renderProjectsJson, renderProjectsTable } from "../render/projects.js";
import { changedFiles } from "./changed-files.js";
import type { AppContext, ExitCode } from "./context.js";

export interface ProjectsOptions {
  root: string;
  json: boolean;
  /** A git revision: list only the projects changed since the branch left it. */
  changedSince?: string;
}

export async function run(options: ProjectsOptions, ctx: AppContext): Promise<ExitCode> {
  const { changedSince } = options;
  if (changedSince?.startsWith("-")) {
    throw new ArkSyncError("usage", "invalid_arguments", `--changed-since ${changedSince} is not a revision`);
  }
  const projects = await Promise.all((await findProjects(options.root)).map(readProject));
  for (const { diagnostics } of projects) {
    for (const diagnostic of diagnostics) ctx.io.err(`${formatDiagnostic(diagnostic)}\n`);
  }
  const listed =
    changedSince === undefined
      ? projects
      : await changedProjects(projects, changedSince, options.root, ctx.cwd);
  const entries = listed.map(entryOf);
  ctx.io.out(options.json ? renderProjectsJson(entries) : renderProjectsTable(entries));
  return 0;
}

/**
 * The projects with a changed file in their directory or a base's. A project whose ark-sync.yaml (or a
 * base's) has problems is always listed: its bases are not known, and its plan reports the problems.
 */
async function changedProjects(
  projects: Project[],
  ref: string,
  root: string,
  cwd: string,
): Promise<Project[]> {
  const changed = await changedFiles(path.resolve(cwd, root), ref);
  // git names files by their real path; a directory that does not exist (a base) has none.
  const real = async (dir: string) => {
    const absolute = path.resolve(cwd, dir);
    return `${await realpath(absolute).catch(() => absolute)}${path.sep}`;
  };
  const touched = await Promise.all(
    projects.map(async (project) => {
      if (project.diagnostics.length > 0) return true;
      const dirs = await Promise.all(project.reads.map(real));
      return changed.some((file) => dirs.some((dir) => file.startsWith(dir)));
    }),
  );
  return projects.filter((_, index) => touched[index]);
}

/** The entry with the directory as ROOT names it (`ROOT/sub/dir`), `/`-separated. */
function entryOf({ dir, connection }: Project): ProjectEntry {
  return {
    dir: dir.split(path.sep).join("/"),
    region: connection.region ?? null,
    api_url: connection.apiUrl ?? null,
    state: connection.state ?? null,
  };
}
