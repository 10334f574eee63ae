// Lock holders: who takes a lock, how a lock's content is read back, what a later run can tell about
// its holder (docs/state.md#locking), and the message a refused run prints. Shared by the local and
// git backends; the facts about processes come from process-facts.ts.
import { randomUUID } from "node:crypto";
import { userInfo } from "node:os";
import type { Environment } from "../core/environment.js";
import { ArkSyncError } from "../core/errors.js";
import { arkSyncVersion } from "../core/version.js";
import type { LockInfo } from "./backend.js";
import { isRecord } from "./last-applied-shape.js";
import type { ProcessFacts } from "./process-facts.js";

export function newLockInfo(operation: string, env: Environment, facts: ProcessFacts): LockInfo {
  const host = facts.hostname();
  const info: LockInfo = {
    id: randomUUID(),
    who: `${currentUser(env)}@${host}`,
    host,
    pid: facts.pid,
    operation,
    since: new Date().toISOString(),
    version: arkSyncVersion,
  };
  const runUrl = githubRunUrl(env);
  if (runUrl) info.run_url = runUrl;
  const bootId = facts.bootId();
  if (bootId) info.boot_id = bootId;
  const pidNamespace = facts.pidNamespace();
  if (pidNamespace) info.pid_namespace = pidNamespace;
  return info;
}

export function serializeLockInfo(info: LockInfo): string {
  return `${JSON.stringify(info, null, 2)}\n`;
}

/** The holder recorded in a lock, or null when the content is not a lock we can read. */
export function parseLockInfo(text: string): LockInfo | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  const strings = ["id", "who", "host", "operation", "since", "version"] as const;
  if (!strings.every((key) => typeof value[key] === "string") || !Number.isSafeInteger(value.pid))
    return null;
  const info: LockInfo = {
    id: value.id as string,
    who: value.who as string,
    host: value.host as string,
    pid: value.pid as number,
    operation: value.operation as string,
    since: value.since as string,
    version: value.version as string,
  };
  if (typeof value.run_url === "string") info.run_url = value.run_url;
  if (typeof value.boot_id === "string") info.boot_id = value.boot_id;
  if (typeof value.pid_namespace === "string") info.pid_namespace = value.pid_namespace;
  return info;
}

/**
 * What this run can tell about a lock's holder. A pid means one process only on one machine, during
 * one boot, in one PID namespace: two containers sharing a state volume on one host have the same host
 * name and boot id, but each numbers its processes on its own.
 * - running: same machine, boot and namespace, and its process runs;
 * - gone: same machine, boot and namespace, and its process is gone: it provably no longer runs;
 * - looks-gone: same host and no such process here, but the lock does not say which boot or
 *   namespace it was taken in (an older ark-sync), or this run cannot read its own: likely, not proven;
 * - other-namespace: same host and boot, another PID namespace: its pid cannot be checked from here;
 * - unknown: another host, or another boot of a host of the same name.
 */
export type HolderStatus = "running" | "gone" | "looks-gone" | "other-namespace" | "unknown";

export function assessHolder(info: LockInfo, facts: ProcessFacts): HolderStatus {
  if (info.host !== facts.hostname()) return "unknown";
  const bootId = facts.bootId();
  if (info.boot_id !== undefined && bootId !== undefined && info.boot_id !== bootId) return "unknown";
  const namespace = facts.pidNamespace();
  if (info.pid_namespace !== undefined && namespace !== undefined && info.pid_namespace !== namespace)
    return "other-namespace";
  const proven =
    bootId !== undefined &&
    info.boot_id === bootId &&
    namespace !== undefined &&
    info.pid_namespace === namespace;
  if (!facts.isGone(info.pid)) return proven ? "running" : "unknown";
  return proven ? "gone" : "looks-gone";
}

/** Only a holder that provably no longer runs may have its local lock taken over. */
export function isHolderGone(info: LockInfo, facts: ProcessFacts): boolean {
  return assessHolder(info, facts) === "gone";
}

/** Why a refused run was not let in, beyond the holder itself: e.g. a takeover guard in the way. */
export interface LockBlocker {
  lines: string[];
  hint: string;
}

/**
 * The refusal a second run sees. `where` is the backend's description; `manualRemoval` says how to
 * remove a lock whose content cannot be read (e.g. "delete ./manifests/.ark-sync/state.json.lock").
 */
export function lockedError(
  where: string,
  holder: LockInfo | null,
  manualRemoval: string,
  facts: ProcessFacts,
  blocker?: LockBlocker,
): ArkSyncError {
  if (holder === null) {
    return new ArkSyncError(
      "external",
      "state_locked",
      `state is locked: ${where}\nThe lock exists but its content cannot be read (a run may have been killed while taking it).`,
      { hint: `If no ark-sync run is using this state, ${manualRemoval}.` },
    );
  }
  const status = assessHolder(holder, facts);
  const stale = status === "gone" || status === "looks-gone";
  const lines = [`state is locked: ${where}`, ...describeHolder(holder)];
  if (stale) {
    lines.push(
      `The lock looks stale: process ${holder.pid} no longer runs on ${holder.host} (it was probably killed).`,
    );
  } else if (status === "other-namespace") {
    lines.push(
      `It was taken in another PID namespace on this host (${holder.pid_namespace}; this run is in ${facts.pidNamespace()}), ` +
        `e.g. another container: whether process ${holder.pid} still runs cannot be seen from here, so the lock is not taken over.`,
    );
  }
  const unlock = `ark-sync state unlock ${holder.id} DIR (with the same --state)`;
  const hint =
    blocker?.hint ??
    (stale
      ? `If no ark-sync run is using this state, remove the lock with: ${unlock}`
      : "Another ark-sync run is using this state: wait for it to finish, or run again with --lock-timeout DURATION " +
        `(e.g. --lock-timeout 10m) to wait for it. If you are sure it is gone, remove the lock with: ${unlock}`);
  return new ArkSyncError("external", "state_locked", [...lines, ...(blocker?.lines ?? [])].join("\n"), {
    hint,
  });
}

function describeHolder(holder: LockInfo, now = new Date()): string[] {
  const lines = [
    `  Lock ID:   ${holder.id}`,
    `  Operation: ${holder.operation}`,
    `  Who:       ${holder.who}`,
    `  Process:   ${holder.pid} on ${holder.host}${holder.pid_namespace ? ` (PID namespace ${holder.pid_namespace})` : ""}`,
    `  Since:     ${holder.since}${describeAge(holder.since, now)}`,
    `  Version:   ark-sync ${holder.version}`,
  ];
  if (holder.run_url) lines.push(`  Run:       ${holder.run_url}`);
  return lines;
}

function describeAge(since: string, now: Date): string {
  const seconds = Math.round((now.getTime() - Date.parse(since)) / 1000);
  if (!Number.isFinite(seconds) || seconds < 0) return "";
  if (seconds < 120) return ` (${seconds}s ago)`;
  if (seconds < 7200) return ` (${Math.round(seconds / 60)} minutes ago)`;
  return ` (${Math.round(seconds / 3600)} hours ago)`;
}

function currentUser(env: Environment): string {
  try {
    return userInfo().username;
  } catch {
    // A container user with no passwd entry.
    return env.USER || env.USERNAME || `uid${process.getuid?.() ?? "?"}`;
  }
}

function githubRunUrl(env: Environment): string | undefined {
  const { GITHUB_ACTIONS, GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = env;
  if (GITHUB_ACTIONS !== "true" || !GITHUB_SERVER_URL || !GITHUB_REPOSITORY || !GITHUB_RUN_ID)
    return undefined;
  return `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`;
}

export function unlockMismatch(where: string, lockId: string, holder: LockInfo): ArkSyncError {
  return new ArkSyncError(
    "usage",
    "state_unlock_mismatch",
    [`lock ID ${lockId} does not match the lock on ${where}:`, ...describeHolder(holder)].join("\n"),
    { hint: "Pass the Lock ID printed above, and only for a run you know is gone." },
  );
}
