// The Ark client ark-sync uses: one method per endpoint action, in manifest vocabulary, with bounded
// concurrency, retries under a shared budget, typed errors, and call counts for benchmarks.

import { ArkSyncError } from "../core/errors.js";
import { isOwnedByState } from "../core/ownership.js";
import { ownershipTagKey } from "../core/reserved-tags.js";
import type { Address, EndpointAttributes, LiveEndpoint } from "../core/types.js";
import { type ArkAction, arkActions } from "./actions.js";
import { confirmNotFound } from "./confirm-not-found.js";
import type { ArkCredentials } from "./credentials.js";
import { type DryRunResult, isRetryableDryRunError, readDryRun } from "./dry-run.js";
import { defaultUndoWait, undoDryRunCreate } from "./dry-run-undo.js";
import { type ArkErrorCategory, isArkApiError, isDryRunOperation, isOutcomeUnknown } from "./errors.js";
import { createLimiter } from "./limit-concurrency.js";
import {
  type ArkEndpoint,
  describeRequestModel,
  type EndpointUpdate,
  type ListEndpointsQuery,
  toCreateEndpointRequest,
  toListEndpointsRequest,
  toLiveEndpoint,
  toUpdateEndpointRequest,
} from "./mapping.js";
import {
  isSwitchTo,
  type ModelSwitchInfo,
  type SwitchStart,
  type SwitchTarget,
  servesModel,
  toModelSwitchInfo,
  toModelSwitchRequest,
} from "./model-switch.js";
import { readPages } from "./read-pages.js";
import { readReply } from "./read-reply.js";
import { createScrubber, type DebugSink } from "./redact.js";
import {
  defaultRetryPolicy,
  RetryBudget,
  type RetryContext,
  type RetryPolicy,
  runWithRetries,
} from "./retry.js";
import { createSdkTransport } from "./sdk-transport.js";

export type { DryRunResult } from "./dry-run.js";
export type { ModelSwitchInfo, SwitchStart, SwitchTarget } from "./model-switch.js";

export interface ArkClientConfig {
  /** Any Ark-compatible base URL, e.g. `http://127.0.0.1:8787`; default `https://ark.<region>.volcengineapi.com`. */
  apiUrl?: string;
  /** Default `cn-beijing`. */
  region?: string;
  credentials: ArkCredentials;
  /** Most calls in flight at once, across all methods. Default 10. */
  parallelism?: number;
  /** Overrides of defaultRetryPolicy. */
  retry?: Partial<RetryPolicy>;
  /** Per-request timeout. Default 10 000 ms (the SDK's). */
  timeoutMs?: number;
  /** Receives request/response/retry lines; never credentials. */
  debug?: DebugSink;
  /** Test hooks for the backoff: a number in [0, 1), and the wait. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Told of every HTTP request once it has ended, retries included (the watcher's metrics). */
  onCall?: (call: ArkCallRecord) => void;
}

/** How one request ended: answered with success; `dry_run_passed`, a DryRun check Ark says would pass
 * (it answers with the error DryRunOperation); the category of Ark's (or the network's) error; or
 * `internal` when ark-sync could not send it or read the answer. */
export type ArkCallOutcome = "success" | "dry_run_passed" | ArkErrorCategory | "internal";

export interface ArkCallRecord {
  action: ArkAction;
  outcome: ArkCallOutcome;
}

/** Counts since the client was made. `calls` counts HTTP requests, retries included. */
export interface ArkCallStats {
  calls: Record<ArkAction, number>;
  retries: number;
  throttled: number;
}

export interface ArkClient {
  /** Every endpoint of the query's project matching it, all pages (100 per call: page 1 alone, then
   * more at once while Ark answers without throttling), oldest first, one per Id. List items carry no
   * `moderation`. */
  listEndpoints(query: ListEndpointsQuery): Promise<LiveEndpoint[]>;
  /** The endpoint, with every attribute; null when Ark does not know the id. */
  getEndpoint(id: string): Promise<LiveEndpoint | null>;
  /** The endpoint of `projectName` that this state may adopt by its ownership tag for `owner.address`
   * (core/ownership.ts), other than those in `exclude`; one ListEndpoints filtered by that tag. */
  findOwnedEndpoint(
    owner: { address: Address; state: string },
    projectName: string,
    exclude: readonly string[],
  ): Promise<LiveEndpoint | undefined>;
  /** Creates the endpoint tagged `ark-sync:address` = ownerAddress and `ark-sync:state` = the
   * owning state's lineage, and returns its id. After an answer that leaves the outcome unknown it
   * adopts the endpoint this state owns under that address, if any (findOwnedEndpoint), before trying
   * again: a retried create never makes a duplicate. `exclude` names endpoints that carry the tags
   * already and are not this create's (the old endpoint of a create-before-destroy). */
  createEndpoint(
    attributes: EndpointAttributes,
    owner: { address: Address; state: string },
    options?: { exclude?: readonly string[] },
  ): Promise<string>;
  /** CreateEndpoint's body plus `DryRun: true` and the DryRun marker `ark-sync:dry-run` = `runId`:
   * whether Ark would create it. When Ark answers with success instead, it deletes what Ark made (by
   * the answer's Id, stopping it first if Ark requires) and throws DryRunIgnoredError. */
  dryRunCreateEndpoint(
    attributes: EndpointAttributes,
    owner: { address: Address; state: string },
    runId: string,
  ): Promise<DryRunResult>;
  /** UpdateEndpoint. An update of rate_limit first reads the endpoint (GetEndpoint), so that RateLimit
   * members ark-sync does not manage are sent back as they are. */
  updateEndpoint(id: string, update: EndpointUpdate): Promise<void>;
  /** Resolves once the endpoint is gone, including when it already was: a not-found answer counts only
   * when GetEndpoint agrees, else it throws `ark_not_found_but_present`. */
  deleteEndpoint(id: string): Promise<void>;
  stopEndpoint(id: string): Promise<void>;
  startEndpoint(id: string): Promise<void>;
  /** CreateEndpointRolling. After an answer that leaves the outcome unknown it reads the endpoint before
   * trying again: it adopts a switch only when GetEndpointRolling says it moves to `model`, reports any
   * other as foreign, and sends nothing again when Ark already serves `model` (SwitchStart). When no
   * answer settles whether it started one, it throws `model_switch_unknown`. */
  startModelSwitch(endpointId: string, model: SwitchTarget): Promise<SwitchStart>;
  /** GetEndpointRolling; null when Ark does not know the id. */
  getModelSwitch(rollingId: string): Promise<ModelSwitchInfo | null>;
  /** RollbackEndpointRolling: the traffic steps back to the old model. */
  rollbackModelSwitch(rollingId: string): Promise<void>;
  /** CancelEndpointRolling: the traffic returns to the old model at once. */
  cancelModelSwitch(rollingId: string): Promise<void>;
  /** A read's `Result` as Ark sent it, unmapped, retried like any call: what `ark-sync doctor` checks
   * the shape of (docs/ark-api.md, Assumptions). Only reads can be named: it never changes Ark. */
  readRaw(action: ArkReadAction, body: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** A write as a person makes it in the console and ark-sync's own commands never make: CreateEndpoint
   * without ownership tags, UpdateEndpoint of Tags (src/ark/console-requests.ts builds the bodies). Sent
   * once, never retried: an answer that is lost is the person's to look into, as in the console. Only
   * the emulator's console commands call it, and only on the emulator (src/app/emulator-connection.ts). */
  writeAsConsole(action: ConsoleWriteAction, body: Record<string, unknown>): Promise<Record<string, unknown>>;
  stats(): ArkCallStats;
}

/** The actions that only read. */
export type ArkReadAction = "ListEndpoints" | "GetEndpoint" | "GetEndpointRolling";

/** The writes a console makes with bodies of its own. */
export type ConsoleWriteAction = "CreateEndpoint" | "UpdateEndpoint";

const pageSize = 100;

export function createArkClient(config: ArkClientConfig): ArkClient {
  const scrub = createScrubber(config.credentials);
  const sink = config.debug;
  const debug = sink ? (line: string) => sink(scrub(line)) : undefined;
  const transport = createSdkTransport({
    apiUrl: config.apiUrl,
    region: config.region ?? "cn-beijing",
    credentials: config.credentials,
    timeoutMs: config.timeoutMs ?? 10_000,
    debug,
    scrub,
  });
  const parallelism = config.parallelism ?? 10;
  const limit = createLimiter(parallelism);
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...config.retry };
  const stats: ArkCallStats = {
    calls: Object.fromEntries(arkActions.map((action) => [action, 0])) as Record<ArkAction, number>,
    retries: 0,
    throttled: 0,
  };
  const retryContext: RetryContext = {
    policy,
    budget: new RetryBudget(policy.budget.capacity),
    random: config.random ?? Math.random,
    sleep: config.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    onRetry: (error, retry, delayMs) => {
      stats.retries += 1;
      debug?.(`ark retry ${error.action} #${retry} in ${Math.round(delayMs)} ms after: ${error.message}`);
    },
    onBudgetExhausted: (error) => debug?.(`ark retry budget exhausted, giving up on ${error.action}`),
  };

  /** One request, under the concurrency limit, checked. */
  const send = async (action: ArkAction, body: Record<string, unknown>): Promise<Record<string, unknown>> => {
    stats.calls[action] += 1;
    try {
      const reply = await limit(() => transport(action, body));
      const result = readReply(action, reply, scrub, describeRequestModel(body));
      config.onCall?.({ action, outcome: "success" });
      return typeof result === "object" && result !== null ? (result as Record<string, unknown>) : {};
    } catch (error) {
      if (isArkApiError(error) && error.category === "throttled") stats.throttled += 1;
      config.onCall?.({ action, outcome: callOutcome(error) });
      throw error;
    }
  };
  const call = (action: ArkAction, body: Record<string, unknown>) =>
    runWithRetries(() => send(action, body), retryContext);
  const sendDryRun = (action: ArkAction, body: Record<string, unknown>) =>
    runWithRetries(() => send(action, { ...body, DryRun: true }), retryContext, isRetryableDryRunError);

  const listEndpoints = async (query: ListEndpointsQuery): Promise<LiveEndpoint[]> => {
    const request = toListEndpointsRequest(query);
    // Oldest first: an endpoint created while the pages are read lands after them, not in between.
    const page = (number: number, throttled: () => void) =>
      runWithRetries(
        () =>
          send("ListEndpoints", {
            ...request,
            SortBy: "CreateTime",
            SortOrder: "Asc",
            PageNumber: number,
            PageSize: pageSize,
          }),
        {
          ...retryContext,
          onRetry: (error, retry, delayMs) => {
            if (error.category === "throttled") throttled();
            retryContext.onRetry?.(error, retry, delayMs);
          },
        },
      );
    const pageCount = (first: Record<string, unknown>) =>
      typeof first.TotalCount === "number" ? Math.ceil(first.TotalCount / pageSize) : 1;
    const pages = await readPages(page, pageCount, parallelism);
    const byId = new Map<string, LiveEndpoint>();
    for (const result of pages) {
      const items = Array.isArray(result.Items) ? (result.Items as ArkEndpoint[]) : [];
      for (const item of items) {
        const endpoint = toLiveEndpoint(item);
        if (!byId.has(endpoint.endpoint_id)) byId.set(endpoint.endpoint_id, endpoint);
      }
    }
    return [...byId.values()];
  };

  const findOwnedEndpoint = async (
    owner: { address: Address; state: string },
    projectName: string,
    exclude: readonly string[],
  ): Promise<LiveEndpoint | undefined> => {
    const tagged = await listEndpoints({
      projectName,
      tagFilters: [{ key: ownershipTagKey, values: [owner.address] }],
    });
    return tagged.find(
      (endpoint) =>
        endpoint.owner_address === owner.address &&
        isOwnedByState(endpoint, owner.state) &&
        !exclude.includes(endpoint.endpoint_id),
    );
  };

  const callIgnoringNotFound = async (action: ArkAction, body: Record<string, unknown>) => {
    try {
      return await call(action, body);
    } catch (error) {
      if (isArkApiError(error) && error.category === "not_found") return null;
      throw error;
    }
  };

  const getEndpoint = async (id: string): Promise<LiveEndpoint | null> => {
    const result = await callIgnoringNotFound("GetEndpoint", { Id: id });
    return result === null ? null : toLiveEndpoint(result as ArkEndpoint);
  };
  // Not-found may also mean "you may not see it": confirmed with GetEndpoint (docs/ark-api.md).
  const deleteEndpoint = async (id: string): Promise<void> => {
    try {
      await call("DeleteEndpoint", { Id: id });
    } catch (error) {
      if (!isArkApiError(error) || error.category !== "not_found") throw error;
      await confirmNotFound(error, id, getEndpoint);
    }
  };
  /** Rethrows a not-found once GetEndpoint agrees the endpoint is gone, so callers may take it for gone. */
  const stopEndpoint = async (id: string): Promise<void> => {
    try {
      await call("StopEndpoint", { Id: id });
    } catch (error) {
      if (isArkApiError(error) && error.category === "not_found")
        await confirmNotFound(error, id, getEndpoint);
      throw error;
    }
  };
  const undoWait = { ...defaultUndoWait, sleep: retryContext.sleep };

  const getModelSwitch = async (rollingId: string): Promise<ModelSwitchInfo | null> => {
    const result = await callIgnoringNotFound("GetEndpointRolling", { Id: rollingId });
    return result === null ? null : toModelSwitchInfo(result);
  };

  /** What an unanswered CreateEndpointRolling left (docs/ark-api.md, Model switches): a switch moving to
   * `model` is adopted, any other one is foreign; an endpoint already serving `model` is not sent it
   * again. Undefined: no switch and the old model, so the call did not start one. */
  const findStartedSwitch = async (
    endpointId: string,
    model: SwitchTarget,
  ): Promise<SwitchStart | undefined> => {
    const endpoint = await getEndpoint(endpointId);
    const rollingId = endpoint?.rolling_id;
    if (rollingId !== undefined) {
      const info = await getModelSwitch(rollingId);
      if (!isSwitchTo(info, model)) return { kind: "foreign", rollingId, info };
      debug?.(`ark adopting ${rollingId}, started on ${endpointId} by an unanswered CreateEndpointRolling`);
      return { kind: "started", rollingId };
    }
    if (endpoint && servesModel(endpoint, model)) return { kind: "served", endpoint };
    return undefined;
  };

  return {
    listEndpoints,
    getEndpoint,
    findOwnedEndpoint,

    async createEndpoint(attributes, owner, options = {}) {
      const body = toCreateEndpointRequest(attributes, owner.address, owner.state);
      let mayExist = false;
      const attempt = async (): Promise<string> => {
        if (mayExist) {
          const owned = await findOwnedEndpoint(owner, attributes.project_name, options.exclude ?? []);
          if (owned) {
            debug?.(
              `ark adopting ${owned.endpoint_id}, created for ${owner.address} by an unanswered CreateEndpoint`,
            );
            return owned.endpoint_id;
          }
          // Looked up and absent: the unanswered create did not make one, so this attempt may.
          mayExist = false;
        }
        try {
          const result = await send("CreateEndpoint", body);
          if (typeof result.Id !== "string" || result.Id === "") {
            throw new ArkSyncError(
              "external",
              "ark_bad_answer",
              "Ark CreateEndpoint answered without an Id.",
            );
          }
          return result.Id;
        } catch (error) {
          if (isArkApiError(error) && isOutcomeUnknown(error)) mayExist = true;
          throw error;
        }
      };
      try {
        return await runWithRetries(attempt, retryContext);
      } catch (error) {
        // A create that may have happened is not a plain failure: the endpoint may be running.
        if (mayExist) throw createOutcomeUnknown(owner.address, error);
        throw error;
      }
    },

    dryRunCreateEndpoint: (attributes, owner, runId) =>
      readDryRun(
        "CreateEndpoint",
        sendDryRun("CreateEndpoint", toCreateEndpointRequest(attributes, owner.address, owner.state, runId)),
        (result) => undoDryRunCreate({ deleteEndpoint, stopEndpoint, getEndpoint }, result, undoWait),
      ),

    async updateEndpoint(id, update) {
      // Read-modify-write: a RateLimit may hold members ark-sync does not manage, sent back as read.
      const live =
        update.rate_limit === undefined ? null : await callIgnoringNotFound("GetEndpoint", { Id: id });
      const liveRateLimit = (live as ArkEndpoint | null)?.RateLimit;
      await call("UpdateEndpoint", toUpdateEndpointRequest(id, update, liveRateLimit));
    },

    deleteEndpoint,
    stopEndpoint,

    async startEndpoint(id) {
      await call("StartEndpoint", { Id: id });
    },

    async startModelSwitch(endpointId, model) {
      const body = toModelSwitchRequest(endpointId, model);
      let mayHaveStarted = false;
      const attempt = async (): Promise<SwitchStart> => {
        if (mayHaveStarted) {
          // Read before sending again: the unanswered call may have started the switch, it may even
          // have finished, or someone else's switch may hold the endpoint now.
          const found = await findStartedSwitch(endpointId, model);
          if (found) return found;
          mayHaveStarted = false;
        }
        try {
          const result = await send("CreateEndpointRolling", body);
          if (typeof result.Id !== "string" || result.Id === "") {
            throw new ArkSyncError(
              "external",
              "ark_bad_answer",
              "Ark CreateEndpointRolling answered without an Id.",
            );
          }
          return { kind: "started", rollingId: result.Id };
        } catch (error) {
          if (isArkApiError(error) && isOutcomeUnknown(error)) mayHaveStarted = true;
          throw error;
        }
      };
      try {
        return await runWithRetries(attempt, retryContext);
      } catch (error) {
        if (mayHaveStarted) throw switchOutcomeUnknown(endpointId, model, error);
        throw error;
      }
    },

    getModelSwitch,

    async rollbackModelSwitch(rollingId) {
      await call("RollbackEndpointRolling", { Id: rollingId });
    },

    async cancelModelSwitch(rollingId) {
      await call("CancelEndpointRolling", { Id: rollingId });
    },

    readRaw: (action, body) => call(action, body),

    writeAsConsole: (action, body) => send(action, body),

    stats: () => ({ ...stats, calls: { ...stats.calls } }),
  };
}

/** A create whose answer was lost or an error (5xx, reset) after which no look-up settled whether it happened. */
function createOutcomeUnknown(ownerAddress: Address, cause: unknown): ArkSyncError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ArkSyncError(
    "external",
    "create_outcome_unknown",
    `outcome unknown: CreateEndpoint may have made the endpoint, and no answer since says whether (${reason})`,
    {
      hint: `The endpoint may exist. The next plan or apply finds it by its ownership tag (ark-sync:address=${ownerAddress}) and adopts it; it is never created twice.`,
      cause,
    },
  );
}

/** A CreateEndpointRolling whose answer was lost, after which no read settled whether it started a switch. */
function switchOutcomeUnknown(endpointId: string, model: SwitchTarget, cause: unknown): ArkSyncError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ArkSyncError(
    "external",
    "model_switch_unknown",
    `outcome unknown: CreateEndpointRolling may have started switching ${endpointId} to ${model.name} ${model.model_version}, and no answer since says whether (${reason})`,
    {
      hint: `Look at ${endpointId} in the Ark console, or with GetEndpoint (its RollingId) and GetEndpointRolling. The next plan holds the endpoint while a switch is in progress, and plans the switch again if none started.`,
      cause,
    },
  );
}

function callOutcome(error: unknown): ArkCallOutcome {
  if (!isArkApiError(error)) return "internal";
  return isDryRunOperation(error) ? "dry_run_passed" : error.category;
}
