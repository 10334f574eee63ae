// Manifest diagnostics as GitHub annotations on the pull request's diff: `::error file=…,line=…,col=…::`
// workflow commands. GitHub shows at most 10 per level per step and drops the rest silently, so at
// most 10 errors and 10 warnings are printed (in file order), a notice says how many more there are,
// and every diagnostic is listed in the job summary.
import { isAbsolute, relative, sep } from "node:path";
import type { Environment } from "../core/environment.js";
import { compareDiagnostics, type Diagnostic } from "../manifest/diagnostic.js";
import { codeSpan, escapeMarkdownText } from "../render/markdown-escape.js";
import { appendStepSummary, remainingSummaryBytes } from "./step-summary.js";

export const ANNOTATIONS_PER_LEVEL = 10;

export interface RenderedAnnotations {
  /** Workflow command lines for stdout, each ending with a newline. */
  commands: string;
  /** Markdown for $GITHUB_STEP_SUMMARY listing every diagnostic. */
  summary: string;
}

export interface AnnotationOptions {
  /** $GITHUB_WORKSPACE: absolute file paths under it are made relative, as annotations need. */
  workspace?: string;
  /** Byte budget for the summary; default 1 MiB. */
  summaryBytes?: number;
}

export function renderAnnotations(
  diagnostics: Diagnostic[],
  options: AnnotationOptions = {},
): RenderedAnnotations {
  const sorted = [...diagnostics]
    .map((d) => ({ ...d, file: repositoryPath(d.file, options.workspace) }))
    .sort(compareDiagnostics);
  const lines: string[] = [];
  for (const level of ["error", "warning"] as const) {
    const ofLevel = sorted.filter((d) => d.severity === level);
    for (const d of ofLevel.slice(0, ANNOTATIONS_PER_LEVEL)) {
      const properties = [
        `file=${escapeProperty(d.file)}`,
        `line=${d.line}`,
        `col=${d.col}`,
        `title=${escapeProperty(`ark-sync validate (${d.code})`)}`,
      ];
      lines.push(`::${level} ${properties.join(",")}::${escapeData(d.message)}`);
    }
  }
  const hidden = {
    error: Math.max(0, sorted.filter((d) => d.severity === "error").length - ANNOTATIONS_PER_LEVEL),
    warning: Math.max(0, sorted.filter((d) => d.severity === "warning").length - ANNOTATIONS_PER_LEVEL),
  };
  if (hidden.error + hidden.warning > 0) {
    const parts = [count(hidden.error, "more error"), count(hidden.warning, "more warning")].filter(Boolean);
    const message = `GitHub shows at most ${ANNOTATIONS_PER_LEVEL} annotations per level: ${parts.join(" and ")} are listed in the job summary.`;
    lines.push(`::notice title=${escapeProperty("ark-sync validate")}::${escapeData(message)}`);
  }
  return {
    commands: lines.map((line) => `${line}\n`).join(""),
    summary: renderSummary(sorted, options.summaryBytes ?? 1024 * 1024),
  };
}

/**
 * For `validate` under GitHub Actions (GITHUB_ACTIONS=true): prints the annotations with `write` (stdout)
 * and appends every diagnostic to $GITHUB_STEP_SUMMARY when it is set.
 */
export async function reportDiagnosticsToGitHub(
  diagnostics: Diagnostic[],
  options: { env: Environment; write: (text: string) => void },
): Promise<void> {
  const summaryPath = options.env.GITHUB_STEP_SUMMARY;
  const summaryBytes = summaryPath ? await remainingSummaryBytes(summaryPath) : 0;
  const rendered = renderAnnotations(diagnostics, {
    ...(options.env.GITHUB_WORKSPACE ? { workspace: options.env.GITHUB_WORKSPACE } : {}),
    summaryBytes,
  });
  options.write(rendered.commands);
  if (summaryPath && rendered.summary !== "") await appendStepSummary(summaryPath, rendered.summary);
}

/** Workflow command data: `%`, CR and LF escaped (as @actions/core does). */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Workflow command property values: also `:` and `,`, which separate properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function renderSummary(diagnostics: Diagnostic[], budgetBytes: number): string {
  if (diagnostics.length === 0) return "";
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const head = `### ark-sync validate: ${[count(errors, "error"), count(warnings, "warning")].filter(Boolean).join(", ")}\n\n`;
  const items = diagnostics.map(
    (d) =>
      `- **${d.severity}** ${codeSpan(`${d.file}:${d.line}:${d.col}`)} ${codeSpan(d.code)}: ${escapeMarkdownText(d.message)}\n`,
  );
  const reserve = 200;
  let used = Buffer.byteLength(head) + reserve;
  let shown = 0;
  for (const item of items) {
    const size = Buffer.byteLength(item);
    if (used + size > budgetBytes) break;
    used += size;
    shown += 1;
  }
  if (used > budgetBytes) return "";
  const rest = items.length - shown;
  const tail =
    rest > 0
      ? `- **... and ${rest} more, not shown: the job summary is limited to 1 MiB per step. Run \`ark-sync validate\` locally to see them all.**\n`
      : "";
  return `${head}${items.slice(0, shown).join("")}${tail}`;
}

function repositoryPath(file: string, workspace: string | undefined): string {
  const relativeFile =
    workspace && isAbsolute(file) && !relative(workspace, file).startsWith("..")
      ? relative(workspace, file)
      : file;
  return relativeFile.split(sep).join("/");
}

function count(n: number, noun: string): string {
  return n === 0 ? "" : `${n} ${noun}${n === 1 ? "" : "s"}`;
}
