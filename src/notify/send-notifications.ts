// Sends a reconcile's notifications (docs/sync.md#notifications): for each webhook, one message about
// the events whose state changed since it last heard, in its format. A webhook that cannot be reached
// is logged by host and never fails the sync; its events stay unrecorded, so the next reconcile tries
// again. Returns the notification memory to keep.
import type { Environment } from "../core/environment.js";
import { planNotification } from "../core/notifications.js";
import type { NotifyFormat, NotifyTarget } from "../core/notify-target.js";
import type { SyncReport } from "../core/sync-report.js";
import { renderLarkCard } from "./lark-card.js";
import { composeMessage, type NotificationMessage } from "./message.js";
import { postWebhook, type WebhookHttp } from "./post-webhook.js";
import { renderSlackMessage } from "./slack-message.js";
import { resolveWebhook } from "./webhook.js";

export interface NotifyContext extends WebhookHttp {
  env: Environment;
  /** One line, already free of credentials. */
  log(line: string): void;
}

export interface NotifyOutcome {
  notified: Record<string, string>;
  sent: number;
  failed: number;
}

export async function sendNotifications(
  report: SyncReport,
  targets: readonly NotifyTarget[],
  notified: Readonly<Record<string, string>>,
  ctx: NotifyContext,
): Promise<NotifyOutcome> {
  let memory: Record<string, string> = { ...notified };
  let sent = 0;
  let failed = 0;
  for (const target of targets) {
    const resolved = resolveWebhook(target, ctx.env);
    if ("problem" in resolved) {
      ctx.log(`Warning: ${resolved.problem}.`);
      continue;
    }
    const { webhook } = resolved;
    const planned = planNotification(report, webhook.id, target.on, memory);
    memory = planned.notified;
    if (planned.send === null) continue;
    const message = composeMessage(report, planned.send.events);
    const delivery = await postWebhook(
      ctx,
      webhook.url,
      target.format,
      renderBody(target.format, message, report),
    );
    if (delivery.ok) {
      memory = { ...memory, ...planned.send.fingerprints };
      sent++;
      ctx.log(`Notified ${webhook.host} (${target.format}): ${planned.send.events.join(", ")}.`);
    } else {
      failed++;
      ctx.log(
        `Warning: could not notify ${webhook.host} (${target.format}) after ${delivery.attempts} attempts: ${delivery.reason}; the next reconcile tries again.`,
      );
    }
  }
  return { notified: memory, sent, failed };
}

function renderBody(format: NotifyFormat, message: NotificationMessage, report: SyncReport): unknown {
  switch (format) {
    case "json":
      return { event: message.event, events: message.sections.map((section) => section.event), report };
    case "lark":
      return renderLarkCard(message);
    case "slack":
      return renderSlackMessage(message);
  }
}
