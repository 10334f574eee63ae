// What one reconcile by `ark-sync sync` did and found (docs/sync.md): plain data, printed as text or
// JSON, sent to webhooks, and read by the watch loop's metrics.
import type { StatusRow } from "./status-rows.js";
import { needsAttention } from "./status-rows.js";
import type { SyncChange, SyncLeft } from "./sync-decision.js";

/** synced: nothing out of sync afterwards; out-of-sync: something left (report only, blocked); failed: an error. */
export type SyncResult = "synced" | "out-of-sync" | "failed";

export interface SyncReport {
  /** The manifest directory, as given. */
  directory: string;
  result: SyncResult;
  /** What this reconcile changed, each with why. */
  changes: SyncChange[];
  /** What it left, each with why. */
  left: SyncLeft[];
  /** Every endpoint's sync and health after the reconcile, as `ark-sync status` shows them. */
  rows: StatusRow[];
  /** Endpoints found drifted by this reconcile (before any self-heal). */
  driftDetected: number;
  /** The drift found, one line per value: `default/chat rate_limit.rpm 10 -> 99 (changed outside ark-sync)`. */
  drift: string[];
  /** The commit and run that triggered it, for links in notifications and audit. */
  trigger?: SyncTrigger;
  error?: { code: string; message: string };
}

export interface SyncTrigger {
  commit?: string;
  url?: string;
}

/** The result the rows give once the reconcile did what it could. */
export function resultOfRows(rows: readonly StatusRow[]): SyncResult {
  return needsAttention(rows) ? "out-of-sync" : "synced";
}

/** sync's exit code: 0 synced, 2 still out of sync, 1 failed. */
export function exitCodeOf(result: SyncResult): 0 | 1 | 2 {
  switch (result) {
    case "synced":
      return 0;
    case "out-of-sync":
      return 2;
    case "failed":
      return 1;
  }
}
