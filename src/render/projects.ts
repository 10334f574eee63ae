// `ark-sync projects` output (docs/commands.md#projects): JSON that a GitHub Actions matrix takes as
// it is (`strategy.matrix: ${{ fromJSON(...) }}`), or a table for people. Directory names and
// ark-sync.yaml values are escaped as plans escape them (JSON still reads as the same strings).
import { sanitizeJson, sanitizeText } from "./format-value.js";

/** One project as the matrix gives it; what its ark-sync.yaml does not set is null. */
export interface ProjectEntry {
  dir: string;
  region: string | null;
  api_url: string | null;
  state: string | null;
  /** The GitHub environment of its apply: its ark-sync.yaml's, else one named after the directory. */
  environment: string;
}

/** `{"include": [...]}` on one line, for `$GITHUB_OUTPUT`. */
export function renderProjectsJson(projects: ProjectEntry[]): string {
  return `${sanitizeJson(JSON.stringify({ include: projects }))}\n`;
}

export function renderProjectsTable(projects: ProjectEntry[]): string {
  const rows = [
    ["DIR", "REGION", "STATE", "ENVIRONMENT", "API URL"],
    ...projects.map((p) =>
      [p.dir, p.region ?? "-", p.state ?? "-", p.environment, p.api_url ?? "-"].map(sanitizeText),
    ),
  ];
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join("");
}
