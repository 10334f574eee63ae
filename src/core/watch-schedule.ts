// When `sync --watch` looks again (docs/deploy.md#the-watcher): every poll period while reconciles
// succeed; after a failure an eighth of the interval, twice as long after each further one, up to the
// interval (exponential back-off); each wait moved by up to ±10 % so that watchers started together do
// not call Ark in step. Pure.

export interface WatchSchedule {
  /** How often to reconcile while all is well. */
  intervalMs: number;
  /** How often to look for a new commit (the repository source); at most the interval. */
  pollMs: number;
}

/** The first retry after a failure waits this share of the interval, each later one twice the last. */
const firstBackoffShare = 1 / 8;
const jitterShare = 0.1;

/**
 * The wait before the next look: after `failures` failed reconciles in a row, the back-off; else the
 * poll period. `random` is a number in [0, 1).
 */
export function nextWait(schedule: WatchSchedule, failures: number, random: number): number {
  const base =
    failures > 0
      ? Math.min(schedule.intervalMs, schedule.intervalMs * firstBackoffShare * 2 ** (failures - 1))
      : Math.min(schedule.pollMs, schedule.intervalMs);
  return Math.round(base * (1 + jitterShare * (2 * random - 1)));
}

/** Whether a reconcile is due: a new commit, a failure to retry, or an interval since the last one. */
export function isReconcileDue(facts: {
  commitChanged: boolean;
  lastFailed: boolean;
  sinceLastMs: number | null;
  intervalMs: number;
}): boolean {
  return (
    facts.commitChanged ||
    facts.lastFailed ||
    facts.sinceLastMs === null ||
    facts.sinceLastMs >= facts.intervalMs * (1 - jitterShare)
  );
}
