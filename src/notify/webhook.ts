// A notify entry's webhook, resolved: its URL (from `url_env`, or as written), the host, which is all
// ark-sync ever prints of it (a webhook URL is a credential), and a stable id for the notification
// memory that reveals nothing of the URL.
import { createHash } from "node:crypto";
import type { Environment } from "../core/environment.js";
import type { NotifyTarget } from "../core/notify-target.js";

export interface Webhook {
  target: NotifyTarget;
  url: string;
  /** `open.feishu.cn`: how messages name it. */
  host: string;
  /** A hash of the URL and format, the key of its notification memory. */
  id: string;
}

export type ResolvedWebhook = { webhook: Webhook } | { problem: string };

export function resolveWebhook(target: NotifyTarget, env: Environment): ResolvedWebhook {
  const where = `${target.at.file}:${target.at.line}:${target.at.col}`;
  const url = "env" in target.url ? env[target.url.env] : target.url.literal;
  if (url === undefined || url === "") {
    const name = "env" in target.url ? target.url.env : "url";
    return { problem: `${where}: the webhook's ${name} is not set, so it is not notified` };
  }
  let host: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error("not http");
    host = parsed.host;
  } catch {
    return { problem: `${where}: the webhook URL is not an http(s) URL, so it is not notified` };
  }
  const id = createHash("sha256").update(`${target.format}\n${url}`).digest("hex").slice(0, 16);
  return { webhook: { target, url, host, id } };
}
