// What the watcher reads of one reconcile's report.
import type { SyncReport } from "../core/sync-report.js";

export type WatchedReport = Pick<
  SyncReport,
  "result" | "changes" | "left" | "rows" | "driftDetected" | "error"
>;
