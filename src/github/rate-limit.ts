// When to retry a GitHub API answer, and after how long (docs.github.com, "Rate limits for the REST
// API"): honour `retry-after`; when `x-ratelimit-remaining` is 0, wait until `x-ratelimit-reset`; a
// secondary rate limit without either header means "wait at least a minute", growing exponentially.
// Server errors and dropped connections are retried only for requests that are safe to repeat.

export interface RetryDecision {
  /** Milliseconds to wait before the next attempt. */
  delayMs: number;
  /** For messages: "rate limit", "secondary rate limit" or "server error". */
  reason: string;
}

const SECONDARY_LIMIT_BASE_MS = 60_000;
const SERVER_ERROR_BASE_MS = 1_000;

/**
 * The retry for one answer, or null when it is final. `retry` counts earlier retries from 0;
 * `now` is the clock in milliseconds (x-ratelimit-reset is in epoch seconds).
 */
export function decideRetry(
  answer: { status: number; headers: Headers; bodyText: string },
  retry: number,
  idempotent: boolean,
  now: number,
): RetryDecision | null {
  const { status, headers } = answer;
  if (status === 403 || status === 429) {
    const retryAfter = parseSeconds(headers.get("retry-after"));
    if (retryAfter !== null) return { delayMs: retryAfter * 1000, reason: "rate limit" };
    if (headers.get("x-ratelimit-remaining") === "0") {
      const reset = parseSeconds(headers.get("x-ratelimit-reset"));
      if (reset !== null) return { delayMs: Math.max(1000, reset * 1000 - now + 1000), reason: "rate limit" };
    }
    if (status === 429 || /secondary rate limit|abuse detection/i.test(answer.bodyText)) {
      return { delayMs: SECONDARY_LIMIT_BASE_MS * 2 ** retry, reason: "secondary rate limit" };
    }
    return null;
  }
  if (idempotent && (status === 500 || status === 502 || status === 503 || status === 504)) {
    return { delayMs: SERVER_ERROR_BASE_MS * 2 ** retry, reason: "server error" };
  }
  return null;
}

/** The wait after a network error (no answer at all), for requests that are safe to repeat. */
export function networkRetryDelay(retry: number): number {
  return SERVER_ERROR_BASE_MS * 2 ** retry;
}

function parseSeconds(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value.trim());
}
