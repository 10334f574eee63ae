// The watcher's log (docs/deploy.md#the-watcher): one line per reconcile and per failure to look, as text
// or, with --json, as one JSON object per line. Names from manifests and Ark are escaped as plans
// escape them. Strings only.
import { sanitizeJson, sanitizeText } from "./format-value.js";

export type WatchEvent =
  | {
      event: "reconcile";
      result: "synced" | "out-of-sync" | "failed";
      /** What the reconcile did, one audit line each (`self-heal: default/chat rate_limit.rpm 99 -> 10`). */
      changes: readonly string[];
      /** How many changes it left (report only, or blocked by the policy). */
      left: number;
      durationMs: number;
      commit: string | null;
      error?: { code: string; message: string };
    }
  | { event: "fetch-failed"; error: { code: string; message: string } }
  | { event: "started"; source: string; listen: string | null }
  | { event: "stopping"; reason: string }
  | { event: "stopped" };

export function renderWatchEvent(at: Date, event: WatchEvent, json: boolean): string {
  if (json) return `${sanitizeJson(JSON.stringify({ time: at.toISOString(), ...jsonFields(event) }))}\n`;
  return `${sanitizeText(`${at.toISOString()} ${describeEvent(event)}`)}\n`;
}

function jsonFields(event: WatchEvent): Record<string, unknown> {
  switch (event.event) {
    case "reconcile": {
      const { durationMs, ...rest } = event;
      return { ...rest, duration_ms: Math.round(durationMs) };
    }
    case "fetch-failed":
    case "started":
    case "stopping":
    case "stopped":
      return event;
  }
}

function describeEvent(event: WatchEvent): string {
  switch (event.event) {
    case "reconcile": {
      const changes = [
        event.changes.length === 0 ? "no changes" : event.changes.join(", "),
        ...(event.left > 0 ? [`${event.left} left`] : []),
      ].join("; ");
      const commit = event.commit ? ` at ${event.commit.slice(0, 12)}` : "";
      const error = event.error ? `: ${event.error.code}: ${event.error.message}` : "";
      return `reconcile ${event.result}${commit} in ${seconds(event.durationMs)} (${changes})${error}`;
    }
    case "fetch-failed":
      return `fetch failed: ${event.error.code}: ${event.error.message}`;
    case "started":
      return `watching ${event.source}${event.listen ? `; serving /healthz and /metrics on ${event.listen}` : ""}`;
    case "stopping":
      return `stopping (${event.reason}): the reconcile in flight finishes first`;
    case "stopped":
      return "stopped";
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
