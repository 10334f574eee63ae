// What the watcher reads of one reconcile's report.
import type { StatusRow } from "../core/status-rows.js";

export interface WatchedReport {
  result: "synced" | "out-of-sync" | "failed";
  changes: readonly unknown[];
  rows: readonly StatusRow[];
  driftDetected: number;
  error?: { code: string; message: string };
}
