// The Ark client as apply uses it: every call first waits for the pacer, and every answer tells the
// pacer how Ark is coping (the client counts throttled answers, retries included).
import { setTimeout as delay } from "node:timers/promises";
import type { ArkClient } from "../ark/client.js";
import { isAbortError, NotStartedError } from "./interruption.js";
import { createPacer, type Pacer } from "./pacer.js";

export type ApplyClient = Pick<
  ArkClient,
  | "createEndpoint"
  | "updateEndpoint"
  | "deleteEndpoint"
  | "stopEndpoint"
  | "getEndpoint"
  | "listEndpoints"
  | "findOwnedEndpoint"
  | "startModelSwitch"
  | "getModelSwitch"
  | "rollbackModelSwitch"
  | "cancelModelSwitch"
  | "dryRunCreateEndpoint"
  | "stats"
>;

export interface PacedClient extends ApplyClient {
  /** Reports throttles the client saw since the last report; for the retry sleep hook. */
  reportThrottles(): void;
}

function createPacedClient(
  client: ApplyClient,
  pacer: Pacer,
  signal: AbortSignal,
  debug?: (line: string) => void,
): PacedClient {
  let reported = 0;
  const reportThrottles = () => {
    const total = client.stats().throttled;
    if (total <= reported) return;
    pacer.throttled(total - reported);
    debug?.(
      `apply: Ark throttled ${total - reported} more request(s); pacing calls at ${pacer.rate()?.toFixed(1)}/s`,
    );
    reported = total;
  };
  const paced =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        await pacer.acquire(signal);
      } catch (error) {
        // Stopped while waiting for its turn: the call was never sent.
        throw isAbortError(error) ? new NotStartedError() : error;
      }
      try {
        const result = await call(...args);
        pacer.succeeded();
        return result;
      } finally {
        reportThrottles();
      }
    };
  return {
    createEndpoint: paced(client.createEndpoint),
    updateEndpoint: paced(client.updateEndpoint),
    deleteEndpoint: paced(client.deleteEndpoint),
    stopEndpoint: paced(client.stopEndpoint),
    getEndpoint: paced(client.getEndpoint),
    listEndpoints: paced(client.listEndpoints),
    findOwnedEndpoint: paced(client.findOwnedEndpoint),
    startModelSwitch: paced(client.startModelSwitch),
    getModelSwitch: paced(client.getModelSwitch),
    dryRunCreateEndpoint: paced(client.dryRunCreateEndpoint),
    // Undoing a failed or interrupted switch must not wait for a turn that an interrupt cancels.
    rollbackModelSwitch: client.rollbackModelSwitch,
    cancelModelSwitch: client.cancelModelSwitch,
    stats: () => client.stats(),
    reportThrottles,
  };
}

/**
 * A client made by `connect` whose retries wait out their backoff, then their turn with the pacer;
 * `signal` cuts both short. Returns the client (for reads before apply) and its paced form.
 */
export async function connectPacedClient(
  connect: (sleep: (ms: number) => Promise<void>) => Promise<ArkClient>,
  signal: AbortSignal,
  debug?: (line: string) => void,
): Promise<{ client: ArkClient; paced: PacedClient }> {
  const pacer = createPacer();
  let paced: PacedClient | null = null;
  const client = await connect(async (ms) => {
    await delay(ms, undefined, { signal });
    paced?.reportThrottles();
    await pacer.acquire(signal);
  });
  paced = createPacedClient(client, pacer, signal, debug);
  return { client, paced };
}
