// What `/healthz` answers (docs/deploy.md#health-and-metrics): healthy while the last reconcile succeeded
// and it ended within three intervals; before the first one ends, healthy for three intervals from the
// start. Pure.

export interface WatchHealth {
  healthy: boolean;
  reason: string;
}

export interface WatchHealthFacts {
  nowMs: number;
  startedAtMs: number;
  intervalMs: number;
  /** The last reconcile that ended: when, and its error when it failed. */
  last: { endedAtMs: number; failure: string | null } | null;
}

const intervalsOfGrace = 3;

export function judgeWatchHealth({ nowMs, startedAtMs, intervalMs, last }: WatchHealthFacts): WatchHealth {
  const limitMs = intervalsOfGrace * intervalMs;
  if (last === null) {
    return nowMs - startedAtMs <= limitMs
      ? { healthy: true, reason: "starting: no reconcile has ended yet" }
      : { healthy: false, reason: `no reconcile has ended in ${seconds(nowMs - startedAtMs)}` };
  }
  if (last.failure !== null) return { healthy: false, reason: `the last reconcile failed: ${last.failure}` };
  const age = nowMs - last.endedAtMs;
  return age <= limitMs
    ? { healthy: true, reason: `the last reconcile succeeded ${seconds(age)} ago` }
    : { healthy: false, reason: `the last successful reconcile ended ${seconds(age)} ago` };
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}
