// Serialises a lock's writes. Each write carries the whole resource set, so while one version is
// being persisted, newer calls only replace the next version to persist: an apply that records every
// resource never waits for more than the write in flight plus one, however slow the backend (a push).
import type { Address, StateDocument, StateResource, SyncRecord } from "../core/types.js";

type Resources = Record<Address, StateResource>;

interface Waiter {
  resolve(document: StateDocument): void;
  reject(error: unknown): void;
}

export interface WriteQueue {
  /** With `sync`, that record is written too; a later write without one keeps it. */
  write(resources: Readonly<Resources>, sync?: SyncRecord): Promise<StateDocument>;
  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void>;
}

export function createWriteQueue(
  persist: (resources: Resources, sync: SyncRecord | undefined) => Promise<StateDocument>,
): WriteQueue {
  let next: { resources: Resources; sync: SyncRecord | undefined; waiters: Waiter[] } | null = null;
  let draining: Promise<void> | null = null;

  async function drain(): Promise<void> {
    while (next !== null) {
      const batch = next;
      next = null;
      try {
        const document = await persist(batch.resources, batch.sync);
        for (const waiter of batch.waiters) waiter.resolve(document);
      } catch (error) {
        for (const waiter of batch.waiters) waiter.reject(error);
      }
    }
    draining = null;
  }

  return {
    write(resources, sync) {
      // Snapshot now: callers keep mutating their map while the previous version is persisted.
      const snapshot = structuredClone(resources) as Resources;
      const record = sync === undefined ? undefined : structuredClone(sync);
      return new Promise<StateDocument>((resolve, reject) => {
        if (next === null) next = { resources: snapshot, sync: record, waiters: [] };
        else {
          next.resources = snapshot;
          next.sync = record ?? next.sync;
        }
        next.waiters.push({ resolve, reject });
        draining ??= drain();
      });
    },
    async idle() {
      while (draining !== null) await draining;
    },
  };
}
