// When checking manifest files on a worker pays for itself: rent until the price of buying is paid.
// A worker costs some 0.2 s of CPU before its first answer (a thread, its own modules, the schema) and
// some 25 MiB, and then takes about half of what is left. A plainly written manifest costs about
// 0.12 ms a KiB to check inline, one yaml has to compose some six times that (docs/contributing.md
// #benchmarks), so sizes alone cannot tell: the pool starts once the files queued, at the rate inline
// checking has gone so far, would take longer than a worker's start-up is worth.

/** Inline checking measured for at least this long gives a rate to go by. */
export const SAMPLE_MS = 50;

/** Queued work worth a worker: it is ready after about 0.2 s, and saves half of what is left then. */
export const POOL_PAYS_AFTER_MS = 500;

export interface InlineCost {
  /** Time spent checking files inline (not reading them), this process. */
  ms: number;
  /** Manifest files checked inline in that time. */
  files: number;
  /** Manifest files waiting to be checked inline, every directory in flight. */
  queuedFiles: number;
}

export function poolPaysOff({ ms, files, queuedFiles }: InlineCost): boolean {
  if (ms < SAMPLE_MS || files === 0) return false;
  return (queuedFiles * ms) / files >= POOL_PAYS_AFTER_MS;
}
