// Records what apply did, one resource at a time: every change goes into one resource map and the
// whole map is written through the state lock (which serialises and merges writes). A failed write
// never loses anything: the backend saves the document to ark-sync-errored-state.json, the failure is
// kept for the summary, and the next write again carries every resource.
import type { Address, StateDocument, StateResource } from "../core/types.js";
import type { StateLock } from "../state/backend.js";

export interface StateRecorder {
  /** The current record of an address (as written or about to be). */
  get(address: Address): StateResource | undefined;
  /** Records the endpoint now managed at `address`; resolves true once persisted, false if the
   * write failed (see `failure`). Never rejects. With `movedFrom`, the record under that address is
   * dropped in the same write, so the endpoint is never recorded twice, nor not at all. */
  put(address: Address, resource: StateResource, movedFrom?: Address): Promise<boolean>;
  /** Forgets `address`; resolves like `put`. */
  remove(address: Address): Promise<boolean>;
  /** Several changes in one write; skips the write when nothing changed. */
  update(change: (resources: Record<Address, StateResource>) => void): Promise<boolean>;
  /** The endpoints recorded under any address. */
  endpointIds(): string[];
  /** The error of the latest write, if it failed (null once a later write succeeded). */
  failure(): Error | null;
  /** The document of the latest successful write of this run, if any. */
  lastWritten(): StateDocument | null;
  /** Resolves once every write started so far has settled. */
  settle(): Promise<void>;
}

export function createStateRecorder(
  lock: Pick<StateLock, "current" | "write">,
  onFailure: (error: Error) => void,
): StateRecorder {
  const resources: Record<Address, StateResource> = { ...(lock.current()?.resources ?? {}) };
  const pending = new Set<Promise<boolean>>();
  let failure: Error | null = null;
  let written: StateDocument | null = null;
  let sequence = 0;
  let settledSequence = 0;

  const write = (): Promise<boolean> => {
    const mine = ++sequence;
    const result = lock.write(resources).then(
      (document) => {
        if (mine > settledSequence) {
          settledSequence = mine;
          failure = null;
          written = document;
        }
        return true;
      },
      (error: unknown) => {
        const problem = error instanceof Error ? error : new Error(String(error));
        if (mine > settledSequence) {
          settledSequence = mine;
          failure = problem;
        }
        onFailure(problem);
        return false;
      },
    );
    pending.add(result);
    void result.finally(() => pending.delete(result));
    return result;
  };

  return {
    get: (address) => resources[address],
    put(address, resource, movedFrom) {
      if (movedFrom !== undefined) delete resources[movedFrom];
      resources[address] = resource;
      return write();
    },
    remove(address) {
      delete resources[address];
      return write();
    },
    update(change) {
      const before = JSON.stringify(resources);
      change(resources);
      return JSON.stringify(resources) === before ? Promise.resolve(true) : write();
    },
    endpointIds: () => Object.values(resources).map((resource) => resource.endpoint_id),
    failure: () => failure,
    lastWritten: () => written,
    async settle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
