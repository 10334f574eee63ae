// What a held lock does, whatever the backend: each write builds the next document (same lineage,
// serial + 1), checks that it reads back, persists it through the backend, and on failure saves
// it to the errored-state file; release waits for queued writes, then gives the lock back.
import { ArkSyncError, isArkSyncError } from "../core/errors.js";
import type { StateDocument } from "../core/types.js";
import type { LockInfo, StateLock } from "./backend.js";
import { withErroredState } from "./errored-state.js";
import {
  checkBeforeWrite,
  newStateDocument,
  nextStateDocument,
  serializeStateDocument,
} from "./state-document.js";
import { createWriteQueue } from "./write-queue.js";

export interface LockSessionParts {
  info: LockInfo;
  /** The state read once the lock was held. */
  original: StateDocument | null;
  /** Where the errored-state file goes. */
  cwd: string;
  /** Stores one version; throws on failure. */
  persist(document: StateDocument, text: string): Promise<void>;
  /** Turns a failure that is not an ArkSyncError into one. */
  describeFailure(error: unknown): ArkSyncError;
  /** Gives the lock back; reports its own problems, never throws. */
  unlock(): Promise<void>;
}

export function openLockSession(parts: LockSessionParts): StateLock {
  let current = parts.original;
  const basis = parts.original ?? newStateDocument();
  let released = false;

  const queue = createWriteQueue(async (resources, sync) => {
    const document = nextStateDocument(current ?? basis, resources, sync ?? (current ?? basis).sync);
    const text = serializeStateDocument(document);
    checkBeforeWrite(text);
    try {
      await parts.persist(document, text);
    } catch (error) {
      const failure = isArkSyncError(error) ? error : parts.describeFailure(error);
      throw await withErroredState(failure, document, parts.cwd);
    }
    current = document;
    return document;
  });

  return {
    info: parts.info,
    current: () => current,
    write(resources, sync) {
      if (released) {
        return Promise.reject(
          new ArkSyncError("internal", "state_lock_released", "state written after its lock was released"),
        );
      }
      return queue.write(resources, sync);
    },
    async release() {
      if (released) return;
      released = true;
      await queue.idle();
      await parts.unlock();
    },
  };
}
