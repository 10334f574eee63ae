// Retries for Ark calls, after the AWS SDKs' "standard" retry mode:
// exponential backoff with full jitter, a bounded number of attempts, and a retry budget shared by
// every call of one client so that an outage does not turn into a retry storm.
import { type ArkApiError, isArkApiError, isRetryableCategory, isTimeoutError } from "./errors.js";

export interface RetryPolicy {
  /** Attempts per call, the first one included. */
  maxAttempts: number;
  /** Backoff base for server and network errors. */
  baseDelayMs: number;
  /** Backoff base for throttled answers: Ark needs longer to let a flow limit recover. */
  throttledBaseDelayMs: number;
  /** Upper bound of one delay. */
  maxDelayMs: number;
  /** Token bucket: a retry costs retryCost (timeoutRetryCost after a timeout); a call that
   * succeeds first time refunds successRefund, one that needed retries refunds what they cost. */
  budget: { capacity: number; retryCost: number; timeoutRetryCost: number; successRefund: number };
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 100,
  throttledBaseDelayMs: 500,
  maxDelayMs: 20_000,
  budget: { capacity: 500, retryCost: 5, timeoutRetryCost: 10, successRefund: 1 },
};

/** Full jitter: a uniform delay in [0, min(cap, base·2^retry)), where retry counts from 0. */
export function computeBackoffDelay(
  retry: number,
  baseMs: number,
  capMs: number,
  random: () => number,
): number {
  return random() * Math.min(capMs, baseMs * 2 ** retry);
}

export class RetryBudget {
  readonly capacity: number;
  #tokens: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#tokens = capacity;
  }

  get available(): number {
    return this.#tokens;
  }

  tryAcquire(cost: number): boolean {
    if (cost > this.#tokens) return false;
    this.#tokens -= cost;
    return true;
  }

  release(amount: number): void {
    this.#tokens = Math.min(this.capacity, this.#tokens + amount);
  }
}

export interface RetryContext {
  policy: RetryPolicy;
  budget: RetryBudget;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Told before each retry's delay; `retry` counts from 1. */
  onRetry?: (error: ArkApiError, retry: number, delayMs: number) => void;
  /** Told when a retryable error is given up on because the budget is empty. */
  onBudgetExhausted?: (error: ArkApiError) => void;
}

/**
 * Runs `attempt` until it succeeds or fails with an error that `shouldRetry` refuses, that is not an
 * ArkApiError, or after the last attempt or when the budget has no tokens left; then that error is
 * thrown as it is.
 */
export async function runWithRetries<T>(
  attempt: () => Promise<T>,
  context: RetryContext,
  shouldRetry: (error: ArkApiError) => boolean = (error) => isRetryableCategory(error.category),
): Promise<T> {
  const { policy, budget } = context;
  let spent = 0;
  for (let retry = 0; ; retry++) {
    try {
      const result = await attempt();
      budget.release(spent > 0 ? spent : policy.budget.successRefund);
      return result;
    } catch (error) {
      if (!isArkApiError(error) || !shouldRetry(error) || retry + 1 >= policy.maxAttempts) throw error;
      const cost = isTimeoutError(error) ? policy.budget.timeoutRetryCost : policy.budget.retryCost;
      if (!budget.tryAcquire(cost)) {
        context.onBudgetExhausted?.(error);
        throw error;
      }
      spent += cost;
      const base = error.category === "throttled" ? policy.throttledBaseDelayMs : policy.baseDelayMs;
      const delay = computeBackoffDelay(retry, base, policy.maxDelayMs, context.random);
      context.onRetry?.(error, retry + 1, delay);
      await context.sleep(delay);
    }
  }
}
