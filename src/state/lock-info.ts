// Lock holders: who takes a lock, how a lock's content is read back, and the message a refused run
// prints. Shared by the local and git backends.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import type { Environment } from "../core/environment.js";
import { ArkSyncError } from "../core/errors.js";
import { arkSyncVersion } from "../core/version.js";
import type { LockInfo } from "./backend.js";
import { isRecord } from "./last-applied-shape.js";

export function newLockInfo(operation: string, env: Environment): LockInfo {
  const host = hostname();
  const info: LockInfo = {
    id: randomUUID(),
    who: `${currentUser(env)}@${host}`,
    host,
    pid: process.pid,
    operation,
    since: new Date().toISOString(),
    version: arkSyncVersion,
  };
  const runUrl = githubRunUrl(env);
  if (runUrl) info.run_url = runUrl;
  const bootId = currentBootId();
  if (bootId) info.boot_id = bootId;
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
  return info;
}

/**
 * True when the holder provably no longer runs: it took the lock on this machine during this boot
 * (same host and boot id, so its pid means the same process) and that process is gone. Only then may
 * a local lock be taken over; a lock without a boot id, or from another boot, needs `state unlock`.
 */
export function isHolderGone(info: LockInfo): boolean {
  const bootId = currentBootId();
  return bootId !== undefined && info.boot_id === bootId && isLockStale(info);
}

/** This machine's boot id (Linux), or undefined where there is none to read. */
function currentBootId(): string | undefined {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/** True when the holder ran on this host and its process is gone (killed, crashed). */
export function isLockStale(info: LockInfo): boolean {
  if (info.host !== hostname()) return false;
  try {
    process.kill(info.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
  return isZombie(info.pid);
}

/** A killed process nobody has reaped yet (PID 1 of many containers never does) still answers kill 0. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
  } catch {
    return false;
  }
}

/**
 * The refusal a second run sees. `where` is the backend's description; `manualRemoval` says how to
 * remove a lock whose content cannot be read (e.g. "delete ./manifests/.ark-sync/state.json.lock").
 */
export function lockedError(where: string, holder: LockInfo | null, manualRemoval: string): ArkSyncError {
  if (holder === null) {
    return new ArkSyncError(
      "external",
      "state_locked",
      `state is locked: ${where}\nThe lock exists but its content cannot be read (a run may have been killed while taking it).`,
      { hint: `If no ark-sync run is using this state, ${manualRemoval}.` },
    );
  }
  const stale = isLockStale(holder);
  const lines = [`state is locked: ${where}`, ...describeHolder(holder)];
  if (stale) {
    lines.push(
      `The lock looks stale: process ${holder.pid} no longer runs on ${holder.host} (it was probably killed).`,
    );
  }
  const hint = stale
    ? `If no ark-sync run is using this state, remove the lock with: ark-sync state unlock ${holder.id} (with the same --dir/--state)`
    : `Another ark-sync run is using this state; wait for it to finish. If you are sure it is gone, remove the lock with: ark-sync state unlock ${holder.id} (with the same --dir/--state)`;
  return new ArkSyncError("external", "state_locked", lines.join("\n"), { hint });
}

function describeHolder(holder: LockInfo, now = new Date()): string[] {
  const lines = [
    `  Lock ID:   ${holder.id}`,
    `  Operation: ${holder.operation}`,
    `  Who:       ${holder.who}`,
    `  Process:   ${holder.pid} on ${holder.host}`,
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
