// What a notification says, whatever its format: a title named by its most urgent event, the
// directory, the lines of each event, and links to the commit and the run (docs/sync.md#notifications).
import { eventLines } from "../core/notifications.js";
import type { NotifyEvent } from "../core/notify-target.js";
import type { SyncReport } from "../core/sync-report.js";

export interface NotificationMessage {
  /** The most urgent event; it names the title and the colour. */
  event: NotifyEvent;
  /** `ark-sync: manifests/prod drifted`. */
  title: string;
  directory: string;
  sections: Array<{ event: NotifyEvent; heading: string; lines: string[] }>;
  commit?: string;
  runUrl?: string;
}

/** At most this many lines per event: a chat message is no place for a thousand. */
const maxLines = 20;

export function composeMessage(report: SyncReport, events: NotifyEvent[]): NotificationMessage {
  const lines = eventLines(report);
  const [event = "drift"] = events;
  return {
    event,
    title: `ark-sync: ${report.directory} ${titleWords(event, report)}`,
    directory: report.directory,
    sections: events.map((each) => ({ event: each, heading: headingOf(each), lines: shorten(lines[each]) })),
    ...(report.trigger?.commit === undefined ? {} : { commit: report.trigger.commit }),
    ...(report.trigger?.url === undefined ? {} : { runUrl: report.trigger.url }),
  };
}

function titleWords(event: NotifyEvent, report: SyncReport): string {
  switch (event) {
    case "failed":
      return "sync failed";
    case "blocked":
      return "has changes waiting for a person";
    case "applied":
      return `synced ${report.changes.length} ${report.changes.length === 1 ? "change" : "changes"}`;
    case "drift":
      return `drifted (${report.driftDetected} ${report.driftDetected === 1 ? "endpoint" : "endpoints"})`;
  }
}

function headingOf(event: NotifyEvent): string {
  switch (event) {
    case "failed":
      return "Failed";
    case "blocked":
      return "Blocked: needs a person";
    case "applied":
      return "Applied";
    case "drift":
      return "Drift (changed outside ark-sync)";
  }
}

function shorten(lines: string[]): string[] {
  if (lines.length <= maxLines) return lines;
  return [...lines.slice(0, maxLines), `… and ${lines.length - maxLines} more`];
}
