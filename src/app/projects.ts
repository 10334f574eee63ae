// `ark-sync projects [ROOT]`: every directory under ROOT with an ark-sync.yaml and the region, API URL,
// state and GitHub environment it gives, as a table or as a GitHub Actions matrix (--json); with
// --changed-since REF only those whose files, or whose bases' files, changed (docs/commands.md#projects).
import path from "node:path";
import { withoutUrlCredentials } from "../core/url-credentials.js";
import { findProjects } from "../manifest/find-projects.js";
import { type Project, readProject } from "../manifest/read-project.js";
import { type ProjectEntry, renderProjectsJson, renderProjectsTable } from "../render/projects.js";
import { changedProjects, checkChangedSince } from "./changed-projects.js";
import type { AppContext, ExitCode } from "./context.js";
import { printDiagnostics } from "./print-diagnostics.js";

export interface ProjectsOptions {
  root: string;
  json: boolean;
  /** A git revision: list only the projects changed since the branch left it. */
  changedSince?: string;
}

export async function run(options: ProjectsOptions, ctx: AppContext): Promise<ExitCode> {
  const { changedSince } = options;
  if (changedSince !== undefined) checkChangedSince(changedSince);
  const projects = await Promise.all((await findProjects(options.root)).map(readProject));
  for (const { diagnostics } of projects) {
    printDiagnostics(diagnostics, ctx.io);
  }
  const listed =
    changedSince === undefined
      ? projects
      : await changedProjects(projects, changedSince, options.root, ctx.cwd);
  const entries = listed.map((project) => entryOf(project, ctx.cwd));
  ctx.io.out(options.json ? renderProjectsJson(entries) : renderProjectsTable(entries));
  return 0;
}

/** The entry with the directory as ROOT names it (`ROOT/sub/dir`), `/`-separated. */
function entryOf({ dir, connection, environment }: Project, cwd: string): ProjectEntry {
  return {
    dir: slashes(dir),
    region: connection.region ?? null,
    // The matrix lands in workflow logs; the jobs read the URL from ark-sync.yaml itself.
    api_url: connection.apiUrl === undefined ? null : withoutUrlCredentials(connection.apiUrl),
    state: connection.state === undefined ? null : withoutUrlCredentials(connection.state),
    environment: environment ?? defaultEnvironment(dir, cwd),
  };
}

/**
 * `ark-sync-apply/<dir>`, the directory named from the working directory (the repository's root in the
 * workflow templates), however ROOT was written: an environment of its own that nobody has given
 * secrets, so that a directory whose apply environment was never set up cannot apply
 * (docs/github.md#credentials-and-environments).
 */
function defaultEnvironment(dir: string, cwd: string): string {
  const relative = slashes(path.relative(cwd, path.resolve(cwd, dir)));
  return relative === "" ? "ark-sync-apply" : `ark-sync-apply/${relative}`;
}

function slashes(dir: string): string {
  return dir.split(path.sep).join("/");
}
