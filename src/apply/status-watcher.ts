// Waits for endpoints to become Running after a create, or Stopped after a stop. One watcher serves the
// whole apply: looks that fall due together are answered by one ListEndpoints call per project filtered
// by Ids (100 per call, ProjectName set: docs/ark-api.md, ListEndpoints), or by GetEndpoint when only
// one of a project is due, so polling 200 provisioning endpoints costs a few calls per round, not 200.
// An endpoint the list does not return is confirmed with GetEndpoint before it counts as gone (a list
// may lag behind a create).
import type { ArkClient } from "../ark/client.js";
import { isArkApiError, isRetryableCategory } from "../ark/errors.js";
import { ArkSyncError } from "../core/errors.js";
import type { LiveEndpoint } from "../core/types.js";
import { formatDuration } from "./format-duration.js";
import type { PollSchedule } from "./poll-schedule.js";

export interface StatusWatcher {
  /**
   * Resolves with the endpoint once it is Running; Scheduling, or a status unknown to ark-sync, is
   * still on its way. Rejects with an ArkSyncError whose code is `endpoint_abnormal` or
   * `endpoint_failed` (with Ark's StatusReason), `endpoint_stopped`, `endpoint_vanished`,
   * `wait_timeout`, `interrupted` (the signal aborted), or an Ark error that retrying cannot fix.
   */
  waitUntilRunning(endpointId: string, options: WaitOptions): Promise<LiveEndpoint>;
  /**
   * Resolves with the endpoint once it is Stopped, or with null once it is gone (which is what a stop
   * before a delete is for); every other status is still on its way. Rejects with `wait_timeout`,
   * `interrupted`, or an Ark error that retrying cannot fix.
   */
  waitUntilStopped(endpointId: string, options: WaitOptions): Promise<LiveEndpoint | null>;
}

export interface WaitOptions {
  /** The endpoint's project: its id is looked up in that project's list. */
  projectName: string;
  /** When the change being waited for was made (the watcher's clock). */
  startedAt: number;
  timeoutMs: number;
}

export interface StatusWatcherOptions {
  client: Pick<ArkClient, "getEndpoint" | "listEndpoints">;
  schedule: PollSchedule;
  /** Aborting stops every wait at once. */
  signal: AbortSignal;
  now?: () => number;
  debug?: (line: string) => void;
}

interface Waiter {
  id: string;
  /** The endpoint's project: its ids are looked up in that project's list. */
  projectName: string;
  goal: "Running" | "Stopped";
  startedAt: number;
  deadline: number;
  timeoutMs: number;
  dueAt: number;
  looks: number;
  /** Time since startedAt when it was last seen provisioning. */
  lastSeenProvisioningMs: number;
  lastStatus: string;
  resolve(endpoint: LiveEndpoint | null): void;
  reject(error: Error): void;
}

const idsPerList = 100;

export function createStatusWatcher(options: StatusWatcherOptions): StatusWatcher {
  const { client, schedule, signal } = options;
  const now = options.now ?? (() => performance.now());
  const waiters = new Set<Waiter>();
  let timer: NodeJS.Timeout | null = null;
  let looking = false;

  const settle = (waiter: Waiter, outcome: { endpoint: LiveEndpoint | null } | { error: Error }) => {
    if (!waiters.delete(waiter)) return;
    if ("endpoint" in outcome) waiter.resolve(outcome.endpoint);
    else waiter.reject(outcome.error);
  };

  signal.addEventListener(
    "abort",
    () => {
      if (timer) clearTimeout(timer);
      timer = null;
      for (const waiter of [...waiters]) {
        settle(waiter, {
          error: new ArkSyncError(
            "external",
            "interrupted",
            `stopped waiting for ${waiter.id} to be ${waiter.goal} (interrupted)`,
          ),
        });
      }
    },
    { once: true },
  );

  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (looking || waiters.size === 0 || signal.aborted) return;
    let next = Number.POSITIVE_INFINITY;
    for (const waiter of waiters) next = Math.min(next, waiter.dueAt, waiter.deadline);
    timer = setTimeout(() => void tick(), Math.max(0, next - now()));
  };

  const tick = async () => {
    timer = null;
    looking = true;
    try {
      const at = now();
      for (const waiter of [...waiters]) {
        if (waiter.deadline <= at) {
          settle(waiter, {
            error: new ArkSyncError(
              "external",
              "wait_timeout",
              `${waiter.id} was ${waiter.lastStatus ? `still ${waiter.lastStatus}, ` : ""}not ${waiter.goal} after ${formatDuration(waiter.timeoutMs)}`,
              { hint: "Check the endpoint in the Ark console; a longer --wait-timeout may help." },
            ),
          });
        }
      }
      const horizon = at + schedule.batchWindowMs();
      const due = [...waiters].filter((waiter) => waiter.dueAt <= horizon);
      await Promise.all(
        batchesOf(due).map(({ projectName, ids }) =>
          lookAt(
            projectName,
            ids,
            due.filter((waiter) => waiter.projectName === projectName && ids.includes(waiter.id)),
          ),
        ),
      );
    } finally {
      looking = false;
      arm();
    }
  };

  const lookAt = async (projectName: string, ids: string[], mine: Waiter[]) => {
    const sentAt = now();
    let found: Map<string, LiveEndpoint | null>;
    try {
      found = await readStatuses(projectName, ids);
    } catch (error) {
      if (signal.aborted) return;
      const permanent = isArkApiError(error) ? !isRetryableCategory(error.category) : true;
      options.debug?.(`apply: status check of ${ids.length} endpoint(s) failed: ${String(error)}`);
      for (const waiter of mine) {
        if (permanent) settle(waiter, { error: error instanceof Error ? error : new Error(String(error)) });
        else reschedule(waiter, sentAt);
      }
      return;
    }
    const answeredAt = now();
    for (const waiter of mine) {
      if (!waiters.has(waiter)) continue;
      const endpoint = found.get(waiter.id) ?? null;
      if (waiter.goal === "Stopped") {
        if (endpoint === null || endpoint.status === "Stopped") settle(waiter, { endpoint });
        else {
          waiter.lastStatus = endpoint.status;
          reschedule(waiter, answeredAt);
        }
        continue;
      }
      if (endpoint === null) {
        settle(waiter, {
          error: new ArkSyncError(
            "external",
            "endpoint_vanished",
            `${waiter.id} disappeared while ark-sync waited for it to be Running (deleted outside ark-sync?)`,
          ),
        });
        continue;
      }
      waiter.lastStatus = endpoint.status;
      switch (endpoint.status) {
        case "Running":
          schedule.observe(waiter.lastSeenProvisioningMs, answeredAt - waiter.startedAt);
          settle(waiter, { endpoint });
          break;
        case "Abnormal":
        case "Failed":
          settle(waiter, { error: brokenEndpoint(waiter.id, endpoint) });
          break;
        case "Stopped":
          settle(waiter, {
            error: new ArkSyncError(
              "external",
              "endpoint_stopped",
              `${waiter.id} was stopped while ark-sync waited for it to be Running (stopped outside ark-sync?)`,
            ),
          });
          break;
        default:
          waiter.lastSeenProvisioningMs = sentAt - waiter.startedAt;
          reschedule(waiter, answeredAt);
      }
    }
  };

  const reschedule = (waiter: Waiter, at: number) => {
    waiter.looks += 1;
    const gap =
      waiter.goal === "Running" ? schedule.nextLookMs(waiter.looks) : schedule.stopLookMs(waiter.looks);
    waiter.dueAt = at + gap;
  };

  /** Status of each id of the project; null for an endpoint Ark no longer has. */
  const readStatuses = async (
    projectName: string,
    ids: string[],
  ): Promise<Map<string, LiveEndpoint | null>> => {
    const found = new Map<string, LiveEndpoint | null>();
    if (ids.length > 1) {
      for (const endpoint of await client.listEndpoints({ projectName, filter: { ids } })) {
        found.set(endpoint.endpoint_id, endpoint);
      }
    }
    const unlisted = ids.filter((id) => !found.has(id));
    const confirmed = await Promise.all(unlisted.map((id) => client.getEndpoint(id)));
    unlisted.forEach((id, i) => {
      found.set(id, confirmed[i] ?? null);
    });
    return found;
  };

  const wait = (id: string, goal: Waiter["goal"], { projectName, startedAt, timeoutMs }: WaitOptions) =>
    new Promise<LiveEndpoint | null>((resolve, reject) => {
      if (signal.aborted) {
        reject(new ArkSyncError("external", "interrupted", `did not wait for ${id} (interrupted)`));
        return;
      }
      const firstLookMs = goal === "Running" ? schedule.firstLookMs() : schedule.stopLookMs(0);
      waiters.add({
        id,
        goal,
        projectName,
        startedAt,
        deadline: startedAt + timeoutMs,
        timeoutMs,
        dueAt: startedAt + firstLookMs,
        looks: 0,
        lastSeenProvisioningMs: 0,
        lastStatus: "",
        resolve,
        reject,
      });
      arm();
    });

  return {
    // A wait for Running resolves only with an endpoint (a gone one rejects).
    waitUntilRunning: (id, options) => wait(id, "Running", options) as Promise<LiveEndpoint>,
    waitUntilStopped: (id, options) => wait(id, "Stopped", options),
  };
}

/** The due ids grouped by project, at most 100 a batch (one ListEndpoints call each). */
function batchesOf(due: readonly Waiter[]): { projectName: string; ids: string[] }[] {
  const byProject = new Map<string, Set<string>>();
  for (const { projectName, id } of due) {
    const ids = byProject.get(projectName) ?? new Set<string>();
    byProject.set(projectName, ids.add(id));
  }
  return [...byProject].flatMap(([projectName, set]) => {
    const ids = [...set];
    return Array.from({ length: Math.ceil(ids.length / idsPerList) }, (_, i) => ({
      projectName,
      ids: ids.slice(i * idsPerList, (i + 1) * idsPerList),
    }));
  });
}

/** An endpoint that ended Abnormal or Failed: a wait for Running ends at once (docs/ark-api.md, Statuses). */
function brokenEndpoint(id: string, endpoint: LiveEndpoint): ArkSyncError {
  return new ArkSyncError(
    "external",
    endpoint.status === "Failed" ? "endpoint_failed" : "endpoint_abnormal",
    `${id} is ${endpoint.status}: ${endpoint.status_reason ?? "Ark gave no StatusReason"}`,
    {
      hint: "The endpoint exists and is recorded in state. Fix it in the Ark console, or delete it there and apply again to create a new one.",
    },
  );
}
