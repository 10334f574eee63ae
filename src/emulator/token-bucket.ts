// The requests-per-second limit: a token bucket holding up to one second's worth of requests (at
// least one), refilled continuously from the emulator's clock.

export class TokenBucket {
  private readonly ratePerMs: number;
  private readonly capacity: number;
  private readonly clock: () => number;
  private tokens: number;
  private updatedAt: number;

  constructor(requestsPerSecond: number, clock: () => number) {
    this.ratePerMs = requestsPerSecond / 1000;
    this.capacity = Math.max(1, requestsPerSecond);
    this.clock = clock;
    this.tokens = this.capacity;
    this.updatedAt = clock();
  }

  /** Takes one token; false when the bucket is empty (the request is throttled). */
  take(): boolean {
    const now = this.clock();
    this.tokens = Math.min(this.capacity, this.tokens + Math.max(0, now - this.updatedAt) * this.ratePerMs);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
