// The local backend (docs/design.md §7): `<dir>/.ark-sync/state.json`, replaced atomically on every write;
// `state.json.backup` holds the state as it was before this lock's first write (Terraform's
// .backup); `state.json.lock` is created exclusively and names its holder, and is taken over when
// that holder provably no longer runs (docs/state.md#locking).
import { type FileHandle, mkdir, open, unlink, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative } from "node:path";
import { ArkSyncError, type ErrorCode, isArkSyncError } from "../core/errors.js";
import { readRegularFile } from "../core/read-regular-file.js";
import type { StateDocument } from "../core/types.js";
import { removeLeftoverTempFiles, writeFileAtomic } from "./atomic-file.js";
import type { LockInfo, LockRequest, StateBackend, StateBackendOptions, StateLock } from "./backend.js";
import {
  isHolderGone,
  lockedError,
  newLockInfo,
  parseLockInfo,
  serializeLockInfo,
  unlockMismatch,
} from "./lock-info.js";
import { openLockSession } from "./lock-session.js";
import { systemProcessFacts } from "./process-facts.js";
import { parseStateDocument } from "./state-document.js";
import { withTakeoverGuard } from "./takeover-guard.js";

/** Largest state (or lock) file read: a state of thousands of endpoints is a few MiB. */
const MAX_STATE_BYTES = 64 * 1024 * 1024;

export function createLocalStateBackend(
  statePath: string,
  cwd: string,
  options: StateBackendOptions,
  placement: { keepOutOfGit: boolean } = { keepOutOfGit: false },
): StateBackend {
  const { warn } = options;
  const facts = options.facts ?? systemProcessFacts();
  const backupPath = `${statePath}.backup`;
  const lockPath = `${statePath}.lock`;
  const takeoverPath = `${lockPath}.takeover`;
  const shown = (path: string) => displayPath(path, cwd);
  const where = `local state ${shown(statePath)}`;

  async function readText(path: string): Promise<string | null> {
    // A regular file within a limit: `local:/dev/zero` must not be read until memory runs out, nor a
    // pipe wait for a writer, nor a /proc file be read at all.
    const read = await readRegularFile(path, MAX_STATE_BYTES);
    if ("bytes" in read) return new TextDecoder().decode(read.bytes);
    if (read.code === "unreadable_file" && read.errno === "ENOENT") return null;
    throw new ArkSyncError("external", "state_read_failed", `cannot read ${shown(path)}: ${read.reason}`);
  }

  async function parseState(text: string): Promise<StateDocument> {
    try {
      return parseStateDocument(text, shown(statePath));
    } catch (error) {
      if (!isArkSyncError(error) || (await readText(backupPath).catch(() => null)) === null) throw error;
      const hint =
        `The version before the last run's first write is in ${shown(backupPath)}: check it with ` +
        `\`ark-sync state list --state local:${shown(backupPath)}\`, then copy it over ${shown(statePath)} to restore it.`;
      throw new ArkSyncError(error.kind, error.code, error.message, { hint });
    }
  }

  async function readHolder(): Promise<LockInfo | null | "none"> {
    const text = await readText(lockPath);
    return text === null ? "none" : parseLockInfo(text);
  }

  async function lock(request: LockRequest): Promise<StateLock> {
    await mkdir(dirname(statePath), { recursive: true }).catch((error) => {
      throw fileError("state_lock_failed", `cannot create the folder of ${shown(statePath)}`, error);
    });
    if (placement.keepOutOfGit) await ignoreFolderInGit(dirname(statePath));
    const info = newLockInfo(request.operation, options.env, facts);
    const handle = await createLockFile(info);
    try {
      await handle.writeFile(serializeLockInfo(info), "utf8");
      await handle.sync();
      await handle.close();
    } catch (error) {
      // Never leave an empty lock behind: every later run would be refused.
      await handle.close().catch(() => undefined);
      await unlink(lockPath).catch(() => undefined);
      throw fileError("state_lock_failed", `cannot write the lock ${shown(lockPath)}`, error);
    }
    try {
      await removeLeftoverTempFiles(statePath);
      const originalText = await readText(statePath);
      const original = originalText === null ? null : await parseState(originalText);
      return openSession(info, originalText, original);
    } catch (error) {
      await unlink(lockPath).catch(() => undefined);
      throw error;
    }
  }

  async function createLockFile(info: LockInfo): Promise<FileHandle> {
    const manualRemoval = `delete ${shown(lockPath)}`;
    // A holder that releases between our attempt and our read of its lock: try again.
    for (let attempt = 1; ; attempt++) {
      try {
        return await open(lockPath, "wx");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
          throw fileError("state_lock_failed", `cannot create the lock ${shown(lockPath)}`, error);
        }
      }
      const holder = await readHolder();
      if (holder !== "none" && holder !== null && isHolderGone(holder, facts)) {
        const outcome = await takeOver(holder, info);
        if ("blocked" in outcome) throw lockedError(where, holder, manualRemoval, facts, outcome.blocked);
        // Not taken over because the lock changed meanwhile: read the new one.
        if (outcome.done || attempt < 3) continue;
      }
      if (holder !== "none" || attempt === 3) {
        throw lockedError(where, holder === "none" ? null : holder, manualRemoval, facts);
      }
    }
  }

  /**
   * Removes a lock whose holder no longer runs, as the operating-system lock of Terraform's local
   * backend dies with its process. The takeover guard makes one run at a time do it, and the lock is
   * removed only if it is still that holder's, so a lock another run took meanwhile is never removed.
   */
  async function takeOver(holder: LockInfo, info: LockInfo) {
    const guard = { path: takeoverPath, owner: info, facts, show: shown, warn };
    return withTakeoverGuard(guard, async () => {
      const current = await readHolder();
      if (current !== "none" && current?.id !== holder.id) return false;
      if (current !== "none" && !(await tryUnlink(lockPath))) return false;
      warn(
        `took over the lock on ${where} left by ${holder.who} (pid ${holder.pid}, ${holder.operation} since ${holder.since}): that process no longer runs on this machine.`,
      );
      return true;
    }).catch((error) => {
      if (isArkSyncError(error)) throw error;
      throw fileError("state_lock_failed", `cannot take over the lock ${shown(lockPath)}`, error);
    });
  }

  function openSession(
    info: LockInfo,
    originalText: string | null,
    original: StateDocument | null,
  ): StateLock {
    let backedUp = originalText === null;

    async function assertStillLocked(): Promise<void> {
      const holder = await readHolder();
      if (holder !== "none" && holder?.id === info.id) return;
      const by =
        holder !== "none" && holder !== null ? `; it is now held by ${holder.who} (${holder.operation})` : "";
      throw new ArkSyncError(
        "external",
        "state_lock_lost",
        `the lock on ${where} is no longer held by this run (someone removed it${by}); nothing was written`,
      );
    }

    return openLockSession({
      info,
      original,
      cwd,
      async persist(_document, text) {
        await assertStillLocked();
        if (!backedUp && originalText !== null) await writeFileAtomic(backupPath, originalText);
        backedUp = true;
        await writeFileAtomic(statePath, text);
      },
      describeFailure: (error) => fileError("state_write_failed", `cannot write ${shown(statePath)}`, error),
      async unlock() {
        try {
          const holder = await readHolder();
          if (holder !== "none" && holder?.id === info.id) await unlink(lockPath);
          else warn(`the lock on ${where} was no longer this run's; it was left as it is`);
        } catch (error) {
          warn(`could not remove the lock ${shown(lockPath)}: ${messageOf(error)}; remove it by hand`);
        }
      },
    });
  }

  return {
    describe: () => where,
    async read() {
      const text = await readText(statePath);
      return text === null ? null : parseState(text);
    },
    lock,
    async forceUnlock(lockId) {
      const holder = await readHolder();
      if (holder === "none") throw new ArkSyncError("usage", "state_not_locked", `${where} is not locked`);
      if (holder === null) {
        throw new ArkSyncError(
          "usage",
          "state_unlock_unreadable",
          `the lock ${shown(lockPath)} cannot be read`,
          {
            hint: `If no ark-sync run is using this state, delete ${shown(lockPath)}.`,
          },
        );
      }
      if (holder.id !== lockId) throw unlockMismatch(where, lockId, holder);
      await unlink(lockPath);
      return holder;
    },
  };
}

/** `./manifests/.ark-sync/state.json` inside cwd, the absolute path elsewhere. */
/** Removes `path`; false when it could not be removed. */
async function tryUnlink(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch {
    return false;
  }
}

function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? `./${rel}` : path;
}

function fileError(code: ErrorCode, message: string, error: unknown): ArkSyncError {
  return new ArkSyncError("external", code, `${message}: ${messageOf(error)}`, { cause: error });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The default state folder sits among the manifests, so `git add manifests` would commit the state,
 * its backup and its lock: a `.gitignore` of `*` in it keeps them out (docs/state.md). Written once,
 * never overwritten; a folder that cannot take it is not an error.
 */
async function ignoreFolderInGit(folder: string): Promise<void> {
  const text =
    "# ark-sync's local state: not for commits (docs/state.md). Use --state git:BRANCH to share it.\n*\n";
  await writeFile(join(folder, ".gitignore"), text, { flag: "wx" }).catch(() => undefined);
}
