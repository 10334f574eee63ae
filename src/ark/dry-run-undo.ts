// What an Ark that ignored DryRun made is deleted at once (docs/ark-api.md, DryRun): by the Id its
// answer gives, stopping the endpoint first when Ark refuses to delete it while it runs, as apply's
// destroy does (docs/ark-api.md, Statuses). Whatever fails is reported, never thrown: the caller must
// still say that Ark acted.
import type { LiveEndpoint } from "../core/types.js";
import { isArkApiError, isDeleteRefusedWhileRunning } from "./errors.js";

export interface DryRunUndo {
  /** The Id Ark's answer gave; undefined when it gave none. */
  endpointId: string | undefined;
  /** True once the endpoint is gone. */
  removed: boolean;
  /** Why it is not gone. */
  problem?: string;
}

export interface UndoCalls {
  /** Resolves once the endpoint is gone, including when it already was. */
  deleteEndpoint(id: string): Promise<void>;
  stopEndpoint(id: string): Promise<void>;
  getEndpoint(id: string): Promise<LiveEndpoint | null>;
}

/** How long to wait for a stop: `polls` reads of the endpoint, `pollMs` apart. */
export interface UndoWait {
  sleep: (ms: number) => Promise<void>;
  pollMs: number;
  polls: number;
}

export const defaultUndoWait = { pollMs: 2000, polls: 30 } as const;

/** Deletes the endpoint a DryRun CreateEndpoint's success answer names. */
export async function undoDryRunCreate(
  calls: UndoCalls,
  result: Record<string, unknown>,
  wait: UndoWait,
): Promise<DryRunUndo> {
  const id = typeof result.Id === "string" && result.Id !== "" ? result.Id : undefined;
  if (id === undefined) return { endpointId: id, removed: false, problem: "Ark's answer gave no Id" };
  try {
    if (await deleted(calls, id)) return { endpointId: id, removed: true };
    await calls.stopEndpoint(id);
    for (let poll = 0; poll < wait.polls; poll++) {
      const endpoint = await calls.getEndpoint(id);
      if (endpoint === null) return { endpointId: id, removed: true };
      if (endpoint.status === "Stopped") {
        await calls.deleteEndpoint(id);
        return { endpointId: id, removed: true };
      }
      await wait.sleep(wait.pollMs);
    }
    const seconds = Math.round((wait.polls * wait.pollMs) / 1000);
    return { endpointId: id, removed: false, problem: `it was not Stopped ${seconds} s after StopEndpoint` };
  } catch (error) {
    if (isArkApiError(error) && error.category === "not_found") return { endpointId: id, removed: true };
    return {
      endpointId: id,
      removed: false,
      problem: error instanceof Error ? error.message : String(error),
    };
  }
}

/** DeleteEndpoint; false when Ark refused it because the endpoint is Running. */
async function deleted(calls: UndoCalls, id: string): Promise<boolean> {
  try {
    await calls.deleteEndpoint(id);
    return true;
  } catch (error) {
    if (isDeleteRefusedWhileRunning(error)) return false;
    throw error;
  }
}
