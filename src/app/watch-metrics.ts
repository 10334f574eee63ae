// `/metrics` of `sync --watch` (docs/deploy.md#health-and-metrics), through prom-client, in a registry of
// its own (no default process metrics: only what is documented). Every name starts with `ark_sync_`.
import { Counter, Gauge, Registry } from "prom-client";
import type { ArkCallRecord } from "../ark/client.js";
import type { StatusRow } from "../core/status-rows.js";
import type { WatchedReport } from "./watch-report.js";

export interface WatchMetrics {
  /** After each reconcile: its result, the endpoints it saw, the drift it found. */
  recordReconcile(report: WatchedReport, endedAt: Date): void;
  recordCall(call: ArkCallRecord): void;
  /** The exposition text and its content type. */
  expose(): Promise<{ contentType: string; text: string }>;
}

export function createWatchMetrics(): WatchMetrics {
  const registry = new Registry();
  const registers = [registry];
  const endpoints = new Gauge({
    name: "ark_sync_endpoints",
    help: "Endpoints seen by the last reconcile that read them, by sync status and Ark health",
    labelNames: ["sync", "health"] as const,
    registers,
  });
  const reconciles = new Counter({
    name: "ark_sync_reconciles_total",
    help: "Reconciles by result (synced, out-of-sync, failed)",
    labelNames: ["result"] as const,
    registers,
  });
  const lastSuccess = new Gauge({
    name: "ark_sync_last_successful_sync_timestamp_seconds",
    help: "When the last reconcile that did not fail ended (Unix time)",
    registers,
  });
  const drift = new Counter({
    name: "ark_sync_drift_detected_total",
    help: "Drifted endpoints found, summed over reconciles",
    registers,
  });
  const calls = new Counter({
    name: "ark_sync_ark_calls_total",
    help: "Requests to Ark by action and outcome (success, or the error's category), retries included",
    labelNames: ["action", "outcome"] as const,
    registers,
  });
  for (const result of ["synced", "out-of-sync", "failed"] as const) reconciles.inc({ result }, 0);

  return {
    recordReconcile(report, endedAt) {
      reconciles.inc({ result: report.result });
      drift.inc(report.driftDetected);
      if (report.result !== "failed") lastSuccess.set(endedAt.getTime() / 1000);
      // A failed reconcile that read nothing leaves the last counts as they were.
      if (report.result !== "failed" || report.rows.length > 0) setEndpoints(endpoints, report.rows);
    },
    recordCall(call) {
      calls.inc({ action: call.action, outcome: call.outcome });
    },
    async expose() {
      return { contentType: registry.contentType, text: await registry.metrics() };
    },
  };
}

function setEndpoints(gauge: Gauge<"sync" | "health">, rows: readonly StatusRow[]): void {
  gauge.reset();
  const counts = new Map<string, { sync: string; health: string; count: number }>();
  for (const row of rows) {
    const health = row.health ?? "None";
    const key = `${row.sync}\n${health}`;
    const entry = counts.get(key) ?? { sync: row.sync, health, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  for (const { sync, health, count } of counts.values()) gauge.set({ sync, health }, count);
}
