// Delivers one notification: POST of JSON, retried with back-off on what may pass (a network error, a
// timeout, 429, 5xx; Lark's non-zero `code` in a 200), at most `attempts` times. Never throws, and
// what it says of a failure names no URL: a webhook URL is a credential.
import type { NotifyFormat } from "../core/notify-target.js";

export interface WebhookHttp {
  fetch: typeof fetch;
  sleep(ms: number): Promise<void>;
}

export type Delivery = { ok: true; attempts: number } | { ok: false; attempts: number; reason: string };

export const deliveryAttempts = 3;
const firstBackoffMs = 1000;
const timeoutMs = 10_000;

export async function postWebhook(
  http: WebhookHttp,
  url: string,
  format: NotifyFormat,
  body: unknown,
): Promise<Delivery> {
  let reason = "";
  for (let attempt = 1; attempt <= deliveryAttempts; attempt++) {
    if (attempt > 1) await http.sleep(firstBackoffMs * 2 ** (attempt - 2));
    const answer = await postOnce(http, url, format, body);
    if (answer.ok) return { ok: true, attempts: attempt };
    reason = answer.reason;
    if (!answer.retry) return { ok: false, attempts: attempt, reason };
  }
  return { ok: false, attempts: deliveryAttempts, reason };
}

async function postOnce(
  http: WebhookHttp,
  url: string,
  format: NotifyFormat,
  body: unknown,
): Promise<{ ok: true } | { ok: false; retry: boolean; reason: string }> {
  let response: Response;
  try {
    response = await http.fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { ok: false, retry: true, reason: describeNetworkError(error) };
  }
  const text = await response.text().catch(() => "");
  if (!response.ok) {
    const retry = response.status === 429 || response.status >= 500;
    return { ok: false, retry, reason: `HTTP ${response.status}` };
  }
  // A Lark bot answers 200 with {"code": N, "msg": …} when it refuses (a bad card, a rate limit).
  const code = format === "lark" ? larkCode(text) : 0;
  return code === 0 ? { ok: true } : { ok: false, retry: true, reason: `Lark answered code ${code}` };
}

function larkCode(text: string): number {
  try {
    const answer = JSON.parse(text) as { code?: unknown; StatusCode?: unknown };
    const code = answer.code ?? answer.StatusCode ?? 0;
    return typeof code === "number" ? code : 0;
  } catch {
    return 0;
  }
}

/** The error's code (ECONNREFUSED, a timeout), never its message: undici's may quote the URL. */
function describeNetworkError(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `no answer within ${timeoutMs / 1000}s`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === "string" ? `network error (${cause.code})` : "network error";
}
