// `ark-sync doctor`'s output (docs/commands.md#doctor): a table of check, result, Ark's answer and what
// ark-sync does with it, then a count; or the same report as JSON. Returns strings; colour only when asked.
import type { DoctorReport, DoctorStatus } from "../core/doctor-report.js";
import { sanitizeJson, sanitizeText } from "./format-value.js";
import { createPalette, type Palette } from "./palette.js";
import { wrapText } from "./wrap-text.js";

export interface DoctorTextOptions {
  color: boolean;
  /** Columns for the table; 100 when unset. */
  width?: number;
}

const DEFAULT_WIDTH = 100;
const GAP = "  ";
const HEADINGS = ["RESULT", "CHECK", "ANSWER", "WHAT ARK-SYNC DOES WITH IT"] as const;

export function renderDoctorJson(report: DoctorReport): string {
  return `${sanitizeJson(JSON.stringify(report, null, 2))}\n`;
}

export function renderDoctorText(report: DoctorReport, options: DoctorTextOptions): string {
  const palette = createPalette(options.color);
  const width = Math.max(60, options.width ?? DEFAULT_WIDTH);
  const statusWidth = HEADINGS[0].length;
  const checkWidth = Math.max(HEADINGS[1].length, ...report.checks.map((check) => check.check.length));
  const rest = width - statusWidth - checkWidth - 3 * GAP.length;
  const answerWidth = Math.ceil(rest / 2);
  const doesWidth = rest - answerWidth;
  const line = (cells: string[], status?: DoctorStatus) => {
    const [result = "", check = "", answer = "", does = ""] = cells;
    const first = result.padEnd(statusWidth);
    const shown = status === undefined ? first : styleStatus(status, palette)(first);
    return [shown, check.padEnd(checkWidth), answer.padEnd(answerWidth), does].join(GAP).trimEnd();
  };
  // One block of lines per check, a blank line between blocks.
  const rows = report.checks.flatMap((check, index) => {
    const answer = wrapText(sanitizeText(check.answer), answerWidth);
    const does = wrapText(sanitizeText(check.ark_sync_does), doesWidth);
    const height = Math.max(1, answer.length, does.length);
    const block = Array.from({ length: height }, (_, i) =>
      i === 0
        ? line([check.status, check.check, answer[0] ?? "", does[0] ?? ""], check.status)
        : line(["", "", answer[i] ?? "", does[i] ?? ""]),
    );
    return index === 0 ? block : ["", ...block];
  });
  const { pass, warn, fail, skip } = report.summary;
  const counts = `${pass} passed, ${plural(warn, "warning")}, ${fail} failed, ${skip} skipped.`;
  const verdict =
    fail > 0
      ? "An answer contradicts what ark-sync assumes, or stops it from working with these settings: see the failed rows, and docs/ark-api.md (Assumptions)."
      : "Ark answered as ark-sync assumes.";
  return [
    `ark-sync doctor: ${sanitizeText(report.region)} at ${sanitizeText(report.api_url)}`,
    "",
    palette.bold(line([...HEADINGS])),
    ...rows,
    "",
    counts,
    ...wrapText(verdict, width),
    "",
  ].join("\n");
}

function styleStatus(status: DoctorStatus, palette: Palette): (text: string) => string {
  switch (status) {
    case "pass":
      return palette.create;
    case "warn":
      return palette.update;
    case "fail":
      return palette.destroy;
    case "skip":
      return palette.dim;
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
