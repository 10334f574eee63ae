// `ark-sync sync --watch` (docs/deploy.md#the-watcher): a long-running reconciler. It looks at its source
// every poll period (a directory, or a repository it fetches), reconciles when the commit changed, a
// failure is to be retried, or an interval has passed, one reconcile at a time; serves /healthz and
// /metrics when asked; and on SIGTERM or SIGINT lets the reconcile in flight finish its Ark calls
// (apply's interrupt handling: state written, lock released), closes the server and exits 0.
import { isArkSyncError } from "../core/errors.js";
import { auditLine } from "../core/sync-decision.js";
import { judgeWatchHealth } from "../core/watch-health.js";
import { isReconcileDue } from "../core/watch-schedule.js";
import { renderWatchEvent, type WatchEvent } from "../render/watch-log.js";
import type { AppContext, ExitCode } from "./context.js";
import { stickySignals } from "./stop-signals.js";
import { reconcileDirectory, type SyncOptions } from "./sync.js";
import { abortableWait, type LookOutcome, runWatchLoop } from "./watch-loop.js";
import type { WatchMetrics } from "./watch-metrics.js";
import type { WatchedReport } from "./watch-report.js";
import { openWatchSource, type WatchSource } from "./watch-source.js";

export interface WatchOptions {
  source: WatchSource;
  intervalMs: number;
  /** How often to fetch the repository (at most the interval); a directory is read every interval. */
  pollMs: number;
  listen: { host: string; port: number } | null;
  json: boolean;
}

export interface SyncWatchOptions extends WatchOptions {
  /** How each reconcile connects, and its state and apply settings. */
  sync: Omit<SyncOptions, "dir" | "trigger">;
}

export function run(options: SyncWatchOptions, ctx: AppContext): Promise<ExitCode> {
  return watch(options, ctx, (dir, trigger, reconcileContext) =>
    reconcileDirectory({ ...options.sync, dir, trigger }, reconcileContext),
  );
}

/** One reconcile of `directory`, by its sync policy; never throws for Ark or manifest problems. */
export type Reconcile = (
  directory: string,
  trigger: { commit?: string },
  ctx: AppContext,
) => Promise<WatchedReport>;

export async function watch(options: WatchOptions, ctx: AppContext, reconcile: Reconcile): Promise<ExitCode> {
  const log = (event: WatchEvent) => ctx.io.out(renderWatchEvent(ctx.clock.date(), event, options.json));
  const startedAtMs = ctx.clock.now();
  let last: { endedAtMs: number; failure: string | null } | null = null;
  const metrics = options.listen ? await loadMetrics() : null;
  // Started first: a --listen that cannot be served fails the command before anything else.
  const server =
    options.listen && metrics
      ? await (await import("./watch-server.js")).startWatchServer(options.listen, {
          health: () =>
            judgeWatchHealth({ nowMs: ctx.clock.now(), startedAtMs, intervalMs: options.intervalMs, last }),
          metrics: () => metrics.expose(),
        })
      : null;
  const stop = new AbortController();
  const signals = stickySignals(ctx.signals, (name) => {
    if (stop.signal.aborted) return;
    log({ event: "stopping", reason: name });
    stop.abort();
  });
  const reconcileContext: AppContext = {
    ...ctx,
    signals,
    connectArk: (settings) =>
      ctx.connectArk(metrics ? { ...settings, onCall: (call) => metrics.recordCall(call) } : settings),
  };
  const source = openWatchSource(options.source, ctx.env, ctx.cwd);
  let lastCommit: string | null = null;
  let lastReconcileMs: number | null = null;

  const look = async (): Promise<LookOutcome> => {
    let snapshot: Awaited<ReturnType<typeof source.read>>;
    try {
      snapshot = await source.read();
    } catch (error) {
      const failure = describeFailure(error);
      log({ event: "fetch-failed", error: failure });
      last = { endedAtMs: ctx.clock.now(), failure: `fetch: ${failure.message}` };
      return "failed";
    }
    const due = isReconcileDue({
      commitChanged: snapshot.commit !== lastCommit,
      lastFailed: last !== null && last.failure !== null,
      sinceLastMs: lastReconcileMs === null ? null : ctx.clock.now() - lastReconcileMs,
      intervalMs: options.intervalMs,
    });
    if (!due) return "idle";
    const started = ctx.clock.now();
    lastReconcileMs = started;
    lastCommit = snapshot.commit;
    const report = await reconcile(snapshot.directory, snapshot.commit ? { commit: snapshot.commit } : {}, {
      ...reconcileContext,
      cwd: snapshot.cwd,
    }).catch((error): WatchedReport => {
      const failure = describeFailure(error);
      return { result: "failed", changes: [], left: [], rows: [], driftDetected: 0, error: failure };
    });
    const ended = ctx.clock.now();
    metrics?.recordReconcile(report, ctx.clock.date());
    log({
      event: "reconcile",
      result: report.result,
      changes: report.changes.map(auditLine),
      left: report.left.length,
      durationMs: ended - started,
      commit: snapshot.commit,
      ...(report.error ? { error: report.error } : {}),
    });
    const failed = report.result === "failed";
    last = { endedAtMs: ended, failure: failed ? (report.error?.message ?? "failed") : null };
    return failed ? "failed" : "succeeded";
  };

  log({ event: "started", source: source.describe, listen: server?.url ?? null });
  try {
    await runWatchLoop({
      schedule: { intervalMs: options.intervalMs, pollMs: options.pollMs },
      look,
      signal: stop.signal,
      wait: abortableWait,
      random: Math.random,
    });
  } finally {
    signals.dispose();
    await server?.close();
  }
  log({ event: "stopped" });
  return 0;
}

/** prom-client, loaded only when /metrics is served. */
async function loadMetrics(): Promise<WatchMetrics> {
  const { createWatchMetrics } = await import("./watch-metrics.js");
  return createWatchMetrics();
}

function describeFailure(error: unknown): { code: string; message: string } {
  if (isArkSyncError(error)) return { code: error.code, message: error.message };
  return { code: "internal", message: error instanceof Error ? error.message : String(error) };
}
