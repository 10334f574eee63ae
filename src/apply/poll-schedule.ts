// When to look at an endpoint that is provisioning. The first look comes about when provisioning is
// expected to end, learned from the endpoints of this run: each one tells that its provisioning took
// longer than when it was last seen Scheduling and no longer than when it was first seen Running, and
// the estimate is the median of those intervals' midpoints. Seen Running at the first look, an
// endpoint halves its sample, so the estimate also comes down when it started too high. Later looks
// back off exponentially with jitter, capped, so a slow Ark is not polled hard. Looks at an endpoint
// being stopped back off the same way from the shortest gap.

export interface PollScheduleOptions {
  /** The estimate before anything was observed. Default 1 s: the first looks are cheap (batched), and
   * backoff soon spaces them out for an Ark that takes minutes. */
  initialEstimateMs?: number;
  /** Shortest and longest gap between two looks at one endpoint. Default 500 ms and 30 s. */
  minIntervalMs?: number;
  maxIntervalMs?: number;
  /** A number in [0, 1), for jitter. */
  random?: () => number;
}

/** Observations kept for the median. */
const sampleCount = 16;

export class PollSchedule {
  readonly #initialEstimateMs: number;
  readonly #minIntervalMs: number;
  readonly #maxIntervalMs: number;
  readonly #random: () => number;
  readonly #samples: number[] = [];

  constructor(options: PollScheduleOptions = {}) {
    this.#initialEstimateMs = options.initialEstimateMs ?? 1000;
    this.#minIntervalMs = options.minIntervalMs ?? 500;
    this.#maxIntervalMs = options.maxIntervalMs ?? 30_000;
    this.#random = options.random ?? Math.random;
  }

  /** How long provisioning is expected to take. */
  estimateMs(): number {
    if (this.#samples.length === 0) return this.#initialEstimateMs;
    const sorted = [...this.#samples].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] as number;
  }

  /** Delay from the start of provisioning to the first look. */
  firstLookMs(): number {
    return this.estimateMs();
  }

  /** Delay before look number `look + 1` (look counts from 1), after one that found it provisioning. */
  nextLookMs(look: number): number {
    const base = Math.max(this.#minIntervalMs, this.estimateMs() / 4);
    const backoff = Math.min(this.#maxIntervalMs, base * 1.5 ** Math.max(0, look - 1));
    return backoff * (0.8 + 0.4 * this.#random());
  }

  /** Delay before look number `look + 1` (look counts from 0) at an endpoint being stopped. How long a
   * stop takes is not learned: looks start at the shortest gap and back off, capped, with jitter. */
  stopLookMs(look: number): number {
    const backoff = Math.min(this.#maxIntervalMs, this.#minIntervalMs * 1.5 ** look);
    return backoff * (0.8 + 0.4 * this.#random());
  }

  /** Provisioning ended after `lowerMs` (last seen Scheduling, 0 if never) and by `upperMs`. */
  observe(lowerMs: number, upperMs: number): void {
    this.#samples.push(Math.max(this.#minIntervalMs / 2, (lowerMs + upperMs) / 2));
    if (this.#samples.length > sampleCount) this.#samples.shift();
  }

  /** Looks due this soon are taken along with one that is due now (one list call serves them). */
  batchWindowMs(): number {
    return Math.min(5000, Math.max(100, this.estimateMs() / 4));
  }
}
