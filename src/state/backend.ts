// What every state backend offers (docs/design.md §7). Reads need no lock; writes happen only through a lock,
// which reads the state again once it is held, so no run ever writes on top of a state it did not see.

import type { Environment } from "../core/environment.js";
import type { Address, StateDocument, StateResource, SyncRecord } from "../core/types.js";
import type { ProcessFacts } from "./process-facts.js";

/** Who holds a lock, as stored in the lock and printed to a run that is refused. */
export interface LockInfo {
  /** A random nonce; `ark-sync state unlock ID` must name it. */
  id: string;
  /** user@host */
  who: string;
  host: string;
  pid: number;
  /** e.g. "apply", "state rm" */
  operation: string;
  /** ISO 8601 time the lock was taken. */
  since: string;
  /** The ark-sync version that took it. */
  version: string;
  /** The GitHub Actions run that holds it, when there is one. */
  run_url?: string;
  /** The holder machine's boot (Linux's boot_id): with `host`, tells whether its pid can be checked. */
  boot_id?: string;
  /** The holder's PID namespace, `pid:[INODE]`: its pid names the same process only in the same one. */
  pid_namespace?: string;
}

export interface StateLock {
  readonly info: LockInfo;
  /**
   * The state as read once the lock was held, then as last written by this lock; null while no
   * state exists yet. Plan against this, not against an earlier unlocked read.
   */
  current(): StateDocument | null;
  /**
   * Records `resources` as the whole new set (a snapshot is taken at the call), and with `sync`, sync's
   * record (else the document keeps the one it has). The backend keeps
   * the lineage, raises `serial` by one per persisted version, and resolves with the document
   * written. Writes are queued in order; while one is being persisted, later calls are merged and
   * only the newest is persisted next (each call carries the full set, so nothing is lost).
   * On failure it rejects with an ArkSyncError whose hint names the file where the document this run
   * meant to write was saved (`ark-sync-errored-state.json`).
   */
  write(resources: Readonly<Record<Address, StateResource>>, sync?: SyncRecord): Promise<StateDocument>;
  /** Waits for queued writes, then removes the lock if it is still ours. Never throws: problems go
   * to the backend's `warn`. */
  release(): Promise<void>;
}

export interface LockRequest {
  /** e.g. "apply", "state rm", "sync" */
  operation: string;
  /** Why this run writes, one line each (sync's audit: `self-heal: default/chat rate_limit.rpm 99 -> 10`):
   * the git backend's state commits lead with them. */
  note?: string[];
}

export interface StateBackend {
  /** e.g. "local state ./manifests/.ark-sync/state.json", "git state branch ark-sync-state on origin" */
  describe(): string;
  /** The current state, or null when none has been written yet. */
  read(): Promise<StateDocument | null>;
  /** Takes the lock or throws ArkSyncError("external", "state_locked") naming the holder. */
  lock(request: LockRequest): Promise<StateLock>;
  /** Removes a lock left behind (Terraform's force-unlock); refuses unless `lockId` is its id.
   * Resolves with the removed lock's holder. */
  forceUnlock(lockId: string): Promise<LockInfo>;
}

export interface StateBackendOptions {
  /** Non-fatal problems (a lock that could not be released). */
  warn: (message: string) => void;
  /** The environment of the run: who takes a lock, and the GitHub Actions run that holds it. */
  env: Environment;
  /** Git only: kill a git command that prints nothing for this long. Default 60 000 ms. */
  gitTimeoutMs?: number;
  /** Host, boot, PID namespace and liveness of processes; default: this process's (process-facts.ts). */
  facts?: ProcessFacts;
}
