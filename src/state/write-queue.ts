// Serialises a lock's writes. Each write carries the whole resource set, so while one version is
// being persisted, newer calls only replace the next version to persist: an apply that records every
// resource never waits for more than the write in flight plus one, however slow the backend (a push).
import type { Address, StateDocument, StateResource } from "../core/types.js";

type Resources = Record<Address, StateResource>;

interface Waiter {
  resolve(document: StateDocument): void;
  reject(error: unknown): void;
}

export interface WriteQueue {
  write(resources: Readonly<Resources>): Promise<StateDocument>;
  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void>;
}

export function createWriteQueue(persist: (resources: Resources) => Promise<StateDocument>): WriteQueue {
  let next: { resources: Resources; waiters: Waiter[] } | null = null;
  let draining: Promise<void> | null = null;

  async function drain(): Promise<void> {
    while (next !== null) {
      const batch = next;
      next = null;
      try {
        const document = await persist(batch.resources);
        for (const waiter of batch.waiters) waiter.resolve(document);
      } catch (error) {
        for (const waiter of batch.waiters) waiter.reject(error);
      }
    }
    draining = null;
  }

  return {
    write(resources) {
      // Snapshot now: callers keep mutating their map while the previous version is persisted.
      const snapshot = structuredClone(resources) as Resources;
      return new Promise<StateDocument>((resolve, reject) => {
        if (next === null) next = { resources: snapshot, waiters: [] };
        else next.resources = snapshot;
        next.waiters.push({ resolve, reject });
        draining ??= drain();
      });
    },
    async idle() {
      while (draining !== null) await draining;
    },
  };
}
