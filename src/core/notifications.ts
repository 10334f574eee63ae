// Which notifications a reconcile sends (docs/sync.md#notifications): one per change of state, not one
// per reconcile. Each event a report holds has a fingerprint of its lines; a webhook hears an event
// when its fingerprint differs from the last one it was sent, and an event that no longer holds is
// forgotten, so its return is news again. The memory lives in the state (SyncRecord.notified), which a
// cron-run sync and a watch loop share. Pure.
import { createHash } from "node:crypto";
import type { NotifyEvent } from "./notify-target.js";
import { auditLine, isBlocked } from "./sync-decision.js";
import type { SyncReport } from "./sync-report.js";

/** The lines that make up each event of the report; empty when the event does not hold. */
export function eventLines(report: SyncReport): Record<NotifyEvent, string[]> {
  return {
    drift: report.drift,
    applied: report.changes.map(auditLine),
    failed: report.error ? [`${report.error.code}: ${report.error.message}`] : [],
    blocked: report.left.filter(isBlocked).map((left) => left.message),
  };
}

/** The events, most urgent first: a message about several is titled by the first. */
export const eventUrgency: readonly NotifyEvent[] = ["failed", "blocked", "applied", "drift"];

export interface WebhookNotification {
  /** The events this webhook is to hear now, most urgent first. */
  events: NotifyEvent[];
  /** The memory entries to set once it is delivered. */
  fingerprints: Record<string, string>;
}

/**
 * For one webhook (`id`, listening to `on`): what to send now, and the memory without the events that
 * no longer hold. A failed reconcile says nothing about the other events, so their memory is kept.
 */
export function planNotification(
  report: SyncReport,
  id: string,
  on: readonly NotifyEvent[],
  notified: Readonly<Record<string, string>>,
): { send: WebhookNotification | null; notified: Record<string, string> } {
  const lines = eventLines(report);
  const memory = { ...notified };
  const send: WebhookNotification = { events: [], fingerprints: {} };
  for (const event of eventUrgency) {
    if (!on.includes(event)) continue;
    const key = `${event}:${id}`;
    if (lines[event].length === 0) {
      if (report.result !== "failed" || event === "failed") delete memory[key];
      continue;
    }
    const fingerprint = fingerprintOf(lines[event]);
    if (memory[key] === fingerprint) continue;
    send.events.push(event);
    send.fingerprints[key] = fingerprint;
  }
  return { send: send.events.length === 0 ? null : send, notified: memory };
}

function fingerprintOf(lines: string[]): string {
  return createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 32);
}
