// `ark-sync sync` output (docs/sync.md#output): one line per change made and per change left, each
// with why, then the result; or the SyncReport as JSON. Names come from manifests and Ark and are
// escaped as plans escape them.
import { auditLine } from "../core/sync-decision.js";
import type { SyncReport, SyncResult } from "../core/sync-report.js";
import { sanitizeJson, sanitizeText } from "./format-value.js";

export function renderSyncJson(report: SyncReport): string {
  return `${sanitizeJson(JSON.stringify(report, null, 2))}\n`;
}

export function renderSyncText(report: SyncReport): string {
  const lines = [
    ...report.changes.map((change) => auditLine(change)),
    ...report.left.map((left) => `left: ${left.message}`),
    resultLine(report),
  ];
  return `${lines.map(sanitizeText).join("\n")}\n`;
}

function resultLine(report: SyncReport): string {
  const counts = [
    `${report.changes.length} changed`,
    `${report.left.length} left`,
    `${report.driftDetected} drifted`,
  ].join(", ");
  const error = report.error ? `: ${report.error.message}` : "";
  return `${describeResult(report.result)} ${report.directory} (${counts})${error}`;
}

function describeResult(result: SyncResult): string {
  switch (result) {
    case "synced":
      return "Synced:";
    case "out-of-sync":
      return "Out of sync:";
    case "failed":
      return "Failed:";
  }
}
