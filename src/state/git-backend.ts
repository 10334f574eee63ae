// The git backend (docs/design.md §7): `state.json` alone on a dedicated branch of `origin`, so CI runners
// and repositories share state with no server. It never touches the working tree, the index or the
// current branch (see git-plumbing.ts). Pushes are compare-and-swap:
// - a state write is a fast-forward from the tip this run read; a rejection means another run wrote
//   state, which is never overwritten;
// - the lock is the branch `BRANCH-lock`, holding `lock.json`; taking it pushes a new root commit on
//   the condition that the branch does not exist, releasing deletes it on the condition that it
//   still holds our commit.
import { ArkSyncError, isArkSyncError } from "../core/errors.js";
import type { StateDocument } from "../core/types.js";
import type { LockInfo, LockRequest, StateBackend, StateBackendOptions, StateLock } from "./backend.js";
import { createGitRunner, type GitRunner } from "./git-client.js";
import {
  commitFile,
  fetchTip,
  listFiles,
  type PushResult,
  pushRef,
  readFile,
  remoteTip,
} from "./git-plumbing.js";
import { checkBranchName } from "./git-ref-name.js";
import { lockedError, newLockInfo, parseLockInfo, serializeLockInfo, unlockMismatch } from "./lock-info.js";
import { openLockSession } from "./lock-session.js";
import { systemProcessFacts } from "./process-facts.js";
import { parseStateDocument } from "./state-document.js";

const stateFile = "state.json";
const lockFile = "lock.json";
const defaultTimeoutMs = 60_000;
const fallbackIdentity = ["-c", "user.name=ark-sync", "-c", "user.email=ark-sync@localhost"];

interface Checkout {
  git: GitRunner;
  /** `-c user.*` arguments when git has no identity configured (a bare CI runner). */
  identity: string[];
}

export function createGitStateBackend(
  branch: string,
  cwd: string,
  options: StateBackendOptions,
): StateBackend {
  const problem = checkBranchName(branch);
  if (problem) {
    throw new ArkSyncError(
      "usage",
      "state_bad_branch",
      `invalid state branch ${JSON.stringify(branch)}: ${problem}`,
    );
  }
  const { warn } = options;
  const facts = options.facts ?? systemProcessFacts();
  const lockBranch = `${branch}-lock`;
  const stateRef = `refs/heads/${branch}`;
  const lockRef = `refs/heads/${lockBranch}`;
  const where = `git state branch ${branch} on origin`;
  const manualRemoval = `delete the branch ${lockBranch} on origin (git push origin --delete ${lockBranch})`;
  let checkout: Promise<Checkout> | null = null;

  async function openCheckout(): Promise<Checkout> {
    let git: GitRunner;
    try {
      git = createGitRunner(cwd, options.gitTimeoutMs ?? defaultTimeoutMs);
      await git.run(["rev-parse", "--git-dir"]);
    } catch (error) {
      // A missing git binary or a timeout is reported as it is; only "not a repository" is the user's.
      if (isArkSyncError(error) && !/not a git repository/i.test(error.message)) throw error;
      throw new ArkSyncError(
        "usage",
        "state_not_git",
        `--state git:${branch} needs a git checkout; ${cwd} is not in one`,
      );
    }
    try {
      await git.run(["config", "--get", "remote.origin.url"]);
    } catch {
      throw new ArkSyncError(
        "usage",
        "state_no_origin",
        `--state git:${branch} needs a remote named origin`,
        {
          hint: "Add it with: git remote add origin URL",
        },
      );
    }
    const identity = await git.run(["var", "GIT_COMMITTER_IDENT"]).then(
      () => [],
      () => fallbackIdentity,
    );
    return { git, identity };
  }

  function prepare(): Promise<Checkout> {
    checkout ??= openCheckout();
    return checkout;
  }

  async function readStateAt(git: GitRunner, tip: string): Promise<StateDocument | null> {
    const names = await listFiles(git, tip);
    if (names.length === 0) return null;
    const others = names.filter((name) => name !== stateFile);
    if (others.length > 0) {
      throw new ArkSyncError(
        "usage",
        "state_branch_foreign",
        `branch ${branch} on origin is not an ark-sync state branch: it holds other files, e.g. ${others.slice(0, 3).join(", ")}`,
        {
          hint: "Keep state on a branch of its own, e.g. --state git:ark-sync-state; ark-sync never commits onto a branch with other files.",
        },
      );
    }
    const text = await readFile(git, tip, stateFile);
    return parseStateDocument(text, `${stateFile} on branch ${branch} (commit ${tip.slice(0, 12)})`);
  }

  async function readHolderAt(git: GitRunner, tip: string): Promise<LockInfo | null> {
    const text = await readFile(git, tip, lockFile).catch(() => null);
    return text === null ? null : parseLockInfo(text);
  }

  async function push(git: GitRunner, refspec: string, lease?: string): Promise<PushResult> {
    try {
      return await pushRef(git, refspec, lease);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ArkSyncError("external", "git_push_failed", message, {
        cause: error,
        hint:
          `ark-sync pushes the branches ${branch} and ${lockBranch} to origin: check that this checkout may push ` +
          "there (in GitHub Actions: `permissions: contents: write`) and that no branch protection covers them.",
      });
    }
  }

  function deleteLock(git: GitRunner, lockCommit: string): Promise<PushResult> {
    return push(git, `:${lockRef}`, `${lockRef}:${lockCommit}`);
  }

  async function lock(request: LockRequest): Promise<StateLock> {
    const current = await prepare();
    const { git, identity } = current;
    const info = newLockInfo(request.operation, options.env, facts);
    const lockCommit = await commitFile(
      git,
      identity,
      { name: lockFile, text: serializeLockInfo(info) },
      null,
      `ark-sync lock: ${info.operation} by ${info.who}`,
    );
    for (let attempt = 1; ; attempt++) {
      const result = await push(git, `${lockCommit}:${lockRef}`, `${lockRef}:`);
      if (result.ok) break;
      const holderTip = await fetchTip(git, lockRef);
      // The holder released between our push and our fetch: try again.
      if (holderTip === null && attempt < 3) continue;
      const holder = holderTip === null ? null : await readHolderAt(git, holderTip);
      throw lockedError(where, holder, manualRemoval, facts);
    }
    try {
      const tip = await fetchTip(git, stateRef);
      const original = tip === null ? null : await readStateAt(git, tip);
      return openSession(current, info, lockCommit, tip, original, request.note ?? []);
    } catch (error) {
      await deleteLock(git, lockCommit).catch(() => undefined);
      throw error;
    }
  }

  function openSession(
    { git, identity }: Checkout,
    info: LockInfo,
    lockCommit: string,
    originalTip: string | null,
    original: StateDocument | null,
    note: string[],
  ): StateLock {
    let tip = originalTip;
    let conflict: ArkSyncError | null = null;

    return openLockSession({
      info,
      original,
      cwd,
      async persist(document, text) {
        // After a conflict this run's base is stale: every later write would be one too.
        if (conflict) throw conflict;
        const trailer = `ark-sync: ${info.operation}, serial ${document.serial} (${info.who})`;
        // The why first, so `git log --oneline` of the state branch reads as an audit log.
        const message = note.length === 0 ? trailer : [...note, "", trailer].join("\n");
        const commit = await commitFile(git, identity, { name: stateFile, text }, tip, message);
        const result = await push(git, `${commit}:${stateRef}`).catch(async (error) => {
          // The push may have landed before the connection failed.
          if ((await remoteTip(git, stateRef).catch(() => null)) === commit) return { ok: true } as const;
          throw error;
        });
        if (!result.ok) {
          conflict = conflictError(result.reason);
          throw conflict;
        }
        tip = commit;
      },
      describeFailure: (error) =>
        new ArkSyncError("external", "state_write_failed", `cannot write ${where}: ${String(error)}`, {
          cause: error,
        }),
      async unlock() {
        try {
          const result = await deleteLock(git, lockCommit);
          if (!result.ok)
            warn(`the lock branch ${lockBranch} on origin was no longer this run's; it was left as it is`);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          warn(
            `could not release the lock on ${where}: ${reason}\n` +
              `Remove it with: ark-sync state unlock ${info.id} --state git:${branch}`,
          );
        }
      },
    });
  }

  function conflictError(reason: string): ArkSyncError {
    return new ArkSyncError(
      "external",
      "state_conflict",
      `state conflict: ${where} changed since this run read it (push rejected: ${reason}). ` +
        "Another run wrote state; nothing was overwritten.",
      {
        hint:
          "Run the command again: it starts from the state now on the branch. Endpoints this run created carry " +
          "the ark-sync:address tag, so the next plan adopts them rather than creating duplicates.",
      },
    );
  }

  return {
    describe: () => where,
    async read() {
      const { git } = await prepare();
      const tip = await fetchTip(git, stateRef);
      return tip === null ? null : readStateAt(git, tip);
    },
    lock,
    async forceUnlock(lockId) {
      const { git } = await prepare();
      const tip = await fetchTip(git, lockRef);
      if (tip === null) throw new ArkSyncError("usage", "state_not_locked", `${where} is not locked`);
      const holder = await readHolderAt(git, tip);
      if (holder === null) {
        throw new ArkSyncError(
          "usage",
          "state_unlock_unreadable",
          `the lock branch ${lockBranch} cannot be read`,
          {
            hint: `If no ark-sync run is using this state, ${manualRemoval}.`,
          },
        );
      }
      if (holder.id !== lockId) throw unlockMismatch(where, lockId, holder);
      const result = await deleteLock(git, tip);
      if (!result.ok) {
        throw new ArkSyncError(
          "external",
          "state_lock_changed",
          `the lock on ${where} changed while it was being removed`,
          {
            hint: "Run `ark-sync state unlock` again with the Lock ID it prints.",
          },
        );
      }
      return holder;
    },
  };
}
