// What `projects` says about one project (docs/commands.md#projects): the connection, state and GitHub
// environment its ark-sync.yaml gives, every directory its endpoints are read from (its own and its
// bases', transitively) and its policy files, so that a change in any of them counts as a change of it.
import path from "node:path";
import type { Diagnostic } from "./diagnostic.js";
import { type DirectoryConnection, loadConfig } from "./load-config.js";
import { locateBase } from "./locate-base.js";
import { findRepositoryRoot } from "./repository-root.js";

export interface Project {
  dir: string;
  /** Empty when its ark-sync.yaml has problems. */
  connection: DirectoryConnection;
  /** The GitHub environment its ark-sync.yaml names for its apply; absent when it names none. */
  environment?: string;
  /** `dir` first, then its bases in the order they are listed, depth first, each once. */
  reads: string[];
  /** Its policy files: they change what it plans wherever they are kept. */
  policies: string[];
  /** Problems in its or a base's ark-sync.yaml: `reads` may then be incomplete. */
  diagnostics: Diagnostic[];
}

export async function readProject(dir: string): Promise<Project> {
  const project: Project = { dir, connection: {}, reads: [], policies: [], diagnostics: [] };
  const repository = await findRepositoryRoot(dir);
  const seen = new Set<string>();
  const visit = async (current: string, root: boolean): Promise<void> => {
    if (seen.has(path.resolve(current))) return; // a base listed twice, or a cycle (plan reports it)
    seen.add(path.resolve(current));
    project.reads.push(current);
    const { config, diagnostics } = await loadConfig(current);
    project.diagnostics.push(...diagnostics);
    if (config === undefined) return;
    if (root) {
      project.connection = config.connection;
      if (config.environment !== undefined) project.environment = config.environment;
      project.policies = config.rules.policies.map((policy) => policy.value);
    }
    for (const base of config.bases) {
      // Refused as plan refuses it, so nothing outside the repository is read or counted as a change; a
      // missing base is still a path whose change (its removal) changes the project.
      const located = await locateBase(base.value, repository);
      if ("outside" in located) {
        const problem = {
          ...base.at,
          severity: "error" as const,
          code: "bad_base",
          message: located.problem,
        };
        project.diagnostics.push(problem);
      } else {
        await visit(base.value, false);
      }
    }
  };
  await visit(dir, true);
  return project;
}
