// The Ark emulator as a library: an HTTP server on 127.0.0.1 speaking Ark's control-plane protocol,
// with hooks for tests and demos (seed, inspect, drift, delete outside, Abnormal, Failed, model
// switches, faults, stats).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ArkSyncError } from "../core/errors.js";
import { modelTypeOf, supportsRolling, systemTag } from "./actions/create-endpoint.js";
import { sortTags } from "./actions/endpoint-params.js";
import { checkSwitchable } from "./actions/endpoint-rolling.js";
import { defaultOrder } from "./actions/list-endpoints.js";
import type { ArkEndpoint, ArkModelReference, ArkRollingInfo } from "./ark-types.js";
import { createDataFileWriter, loadDataFile } from "./data-file.js";
import { createEndpointId } from "./endpoint-id.js";
import { EndpointStore, formatTime } from "./endpoint-store.js";
import { FaultQueue, type FaultSpec } from "./fault-queue.js";
import { type CallRecord, createRequestHandler, type EmulatorStats } from "./handle-request.js";
import { type EmulatorIam, IdentityStore } from "./identities.js";
import { ignorableCreateFields, ignorableUpdateFields, ignoredFieldSet } from "./ignored-fields.js";
import { requireKnownModel } from "./model-catalogue.js";
import { RollingStore, type SwitchFailure } from "./rolling-store.js";
import { TokenBucket } from "./token-bucket.js";

export type {
  ArkEndpoint,
  ArkEndpointItem,
  ArkModelReference,
  ArkRollingInfo,
  ArkTag,
  EndpointStatus,
} from "./ark-types.js";
export type { FaultKind, FaultSpec } from "./fault-queue.js";
export type { CallRecord, EmulatorStats } from "./handle-request.js";
export type { EmulatorIam, EmulatorOidcProvider, EmulatorRole, EmulatorUser } from "./identities.js";
export type { SwitchFailure } from "./rolling-store.js";
export { systemTag };

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. The server always binds 127.0.0.1. */
  port?: number;
  /** The account's main key: every Ark action, but no sts:AssumeRole (roles are assumed by users). */
  accessKey: string;
  secretKey: string;
  /** When set, requests with the main key must also carry this X-Security-Token (signed). */
  sessionToken?: string;
  /** IAM users with fewer permissions, roles STS issues sessions for, and OIDC providers. */
  iam?: EmulatorIam;
  /** The region of the credential scope; default "cn-beijing". */
  region?: string;
  /** How long Scheduling lasts after CreateEndpoint / StartEndpoint; default 2000 ms. */
  provisioningDelayMs?: number;
  /** DeleteEndpoint of a Running endpoint answers 403 OperationDenied.EndpointStatus; default true. */
  refuseDeleteRunning?: boolean;
  /** UpdateEndpoint answers success but leaves these fields as they are (e.g. ["Moderation"]);
   * default none. Any of Name, Description, RateLimit, Moderation. */
  ignoreUpdateFields?: string[];
  /** CreateEndpoint answers success but gives these fields their defaults; default none. Any of
   * Description, ModelUnitId, Moderation, RateLimit. */
  ignoreCreateFields?: string[];
  /** CreateEndpoint with `DryRun: true` creates the endpoint and answers its Id, as an Ark that ignored
   * DryRun would; default false: it answers DryRunOperation (docs/ark-api.md, DryRun). */
  ignoreDryRun?: boolean;
  /** ListEndpoints leaves these endpoint ids off every page, while TotalCount counts them and
   * GetEndpoint finds them, as a list shifted by a delete between its pages may; default none. */
  listSkipsEndpoints?: string[];
  /** ListEndpoints without Filter or TagFilters leaves these endpoint ids off its pages, while
   * TotalCount counts them and a filtered list and GetEndpoint find them: the page a delete shifted
   * past them; default none. */
  listShiftsPast?: string[];
  /** DeleteEndpoint answers NotFound.Endpoint (HTTP 404) and leaves the endpoint, as Ark may answer a
   * caller who may not see it; default false. */
  deleteAnswersNotFound?: boolean;
  /** Added to every answer; default 0. */
  latencyMs?: number;
  /** Requests per second before FlowLimitExceeded / HTTP 429 (burst: one second's worth); default unlimited. */
  requestsPerSecond?: number;
  /** The rate limit and `throttle` faults answer AccountFlowLimitExceeded with HTTP 400 instead, as
   * ark-cli reports Ark does while paging (its status is undocumented); default false. */
  throttleAsAccountFlowLimit?: boolean;
  /** How far a model switch's gray moves each step; default 20 (percent). */
  rollingStepPercent?: number;
  /** How long each step of a model switch takes; default 200 ms. */
  rollingStepMs?: number;
  /** RollbackEndpointRolling steps back one step and holds there, Reverting, as observed on Ark;
   * default false: back to 0 % (docs/ark-api.md, Emulator choices). */
  rollbackOneStep?: boolean;
  /** GetEndpointRolling leaves out RollingIn and RollingOut; default false. */
  rollingInfoWithoutModels?: boolean;
  /** Largest accepted X-Date skew either way; default 900 s. */
  maxClockSkewSeconds?: number;
  /** Persistence: loaded at start, replaced atomically after every change. */
  dataFile?: string;
  /** The clock for lifecycle deadlines, timestamps, X-Date checks and the rate limit; default Date.now. */
  now?: () => number;
  /** Called after every request (for a log). */
  onCall?: (record: CallRecord) => void;
}

/** An endpoint to put straight into the emulator: anything not given takes CreateEndpoint's default. */
export type EndpointSeed = Partial<Omit<ArkEndpoint, "EndpointModelType">> & {
  Name: string;
  ModelReference: ArkModelReference;
};

/** Writable fields changed "outside ark-sync", e.g. in the console. */
export type EndpointChange = Partial<
  Omit<ArkEndpoint, "Id" | "EndpointModelType" | "Status" | "StatusReason" | "CreateTime" | "UpdateTime">
>;

export interface Emulator {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  readonly region: string;
  /** Stops listening, drops open connections and waits for the data file to be written. */
  close(): Promise<void>;

  /** Adds an endpoint as given (tags exactly as given; Status default Running; Id generated if absent). */
  seedEndpoint(seed: EndpointSeed): Promise<ArkEndpoint>;
  /** GetEndpoint's view of one endpoint (a copy), or undefined. */
  getEndpoint(id: string): ArkEndpoint | undefined;
  /** Every endpoint (copies), in ListEndpoints' default order. */
  listEndpoints(): ArkEndpoint[];
  /** Changes an endpoint outside ark-sync (drift); UpdateTime becomes now. */
  changeEndpoint(id: string, change: EndpointChange): Promise<ArkEndpoint>;
  /** Puts an endpoint in Abnormal with this StatusReason. */
  markAbnormal(id: string, reason: string): Promise<ArkEndpoint>;
  /** Puts an endpoint in Failed with this StatusReason. */
  markFailed(id: string, reason: string): Promise<ArkEndpoint>;
  /** Deletes an endpoint outside ark-sync. */
  deleteEndpoint(id: string): Promise<void>;

  /** The next model switch started stops at `atPercent` (0–99) as `Failed`, with `reason` as the
   * endpoint's StatusReason until it is rolled back or cancelled. */
  failNextModelSwitch(failure: SwitchFailure): void;
  /** The next model switch started stops rising at `atPercent` (0–99) and stays `Running` there, until
   * it is rolled back or cancelled. */
  stallNextModelSwitch(stall: { atPercent: number }): void;
  /** Starts a model switch as if from the console, after CreateEndpointRolling's checks (their
   * ApiError is thrown). */
  startModelSwitchOutside(
    endpointId: string,
    model: { Name: string; ModelVersion: string },
  ): Promise<ArkRollingInfo>;
  /** GetEndpointRolling's view of one model switch (a copy), or undefined. */
  getModelSwitch(id: string): ArkRollingInfo | undefined;

  /** Applies to the next `count` authenticated calls of the action (or of any action). */
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;

  /** A copy of the counters. */
  stats(): EmulatorStats;
  resetStats(): void;
}

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  checkOptions(options);
  const clock = options.now ?? Date.now;
  const region = options.region ?? "cn-beijing";
  const provisioningDelayMs = options.provisioningDelayMs ?? 2000;
  const data = options.dataFile ? await loadDataFile(options.dataFile) : { endpoints: [], rollings: [] };
  const store = new EndpointStore(clock, data.endpoints);
  const rollings = new RollingStore(
    store,
    clock,
    {
      pace: { stepPercent: options.rollingStepPercent ?? 20, stepMs: options.rollingStepMs ?? 200 },
      rollbackOneStep: options.rollbackOneStep ?? false,
      withoutModels: options.rollingInfoWithoutModels ?? false,
    },
    data.rollings,
  );
  const writer = options.dataFile
    ? createDataFileWriter(options.dataFile, () => {
        // Rollings first: settling them changes endpoints.
        const rollingRecords = rollings.snapshot();
        return { endpoints: store.snapshot(), rollings: rollingRecords };
      })
    : null;
  const save = () => writer?.save() ?? Promise.resolve();
  const identities = new IdentityStore(
    {
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      ...(options.sessionToken === undefined ? {} : { sessionToken: options.sessionToken }),
    },
    options.iam ?? {},
  );
  const faults = new FaultQueue();
  let stats = emptyStats();
  const closing = new AbortController();

  const server = createServer(
    createRequestHandler({
      store,
      rollings,
      clock,
      region,
      identities,
      maxClockSkewSeconds: options.maxClockSkewSeconds ?? 900,
      provisioningDelayMs,
      refuseDeleteRunning: options.refuseDeleteRunning ?? true,
      ignoreUpdateFields: ignoredFieldSet(
        options.ignoreUpdateFields,
        ignorableUpdateFields,
        "UpdateEndpoint",
      ),
      ignoreCreateFields: ignoredFieldSet(
        options.ignoreCreateFields,
        ignorableCreateFields,
        "CreateEndpoint",
      ),
      ignoreDryRun: options.ignoreDryRun ?? false,
      listSkipsEndpoints: new Set(options.listSkipsEndpoints ?? []),
      listShiftsPast: new Set(options.listShiftsPast ?? []),
      deleteAnswersNotFound: options.deleteAnswersNotFound ?? false,
      throttleAsAccountFlowLimit: options.throttleAsAccountFlowLimit ?? false,
      latencyMs: options.latencyMs ?? 0,
      limiter:
        options.requestsPerSecond === undefined ? null : new TokenBucket(options.requestsPerSecond, clock),
      faults,
      get stats() {
        return stats;
      },
      save,
      closing: closing.signal,
      ...(options.onCall ? { onCall: options.onCall } : {}),
    }),
  );
  const port = await listen(server, options.port ?? 0);

  const requireRecord = (id: string): ArkEndpoint => {
    rollings.settle();
    const endpoint = store.get(id);
    if (endpoint) return endpoint;
    throw new ArkSyncError("usage", "emulator_unknown_endpoint", `The emulator has no endpoint ${id}.`);
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    region,
    async close() {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await writer?.idle();
    },
    async seedEndpoint(seed) {
      const now = clock();
      const id = seed.Id ?? createEndpointId(now, (candidate) => store.has(candidate));
      if (store.has(id)) {
        throw new ArkSyncError("usage", "emulator_duplicate_id", `The emulator already has ${id}.`);
      }
      const time = formatTime(now);
      const { Status = "Running", ...fields } = seed;
      store.add({
        Description: "",
        ProjectName: "default",
        ModelUnitId: "",
        Moderation: { Strategy: "Default" },
        RateLimit: {},
        StatusReason: "",
        CreateTime: time,
        UpdateTime: seed.CreateTime ?? time,
        RollingId: "",
        SupportRolling: supportsRolling(seed.ModelReference),
        ScaleTierId: "",
        SupportScaleTier: false,
        BatchOnly: false,
        ...structuredClone(fields),
        Id: id,
        Tags: sortTags(seed.Tags ?? []),
        EndpointModelType: modelTypeOf(seed.ModelReference),
        Status,
      });
      if (Status === "Scheduling") store.startProvisioning(id, provisioningDelayMs, null);
      await save();
      return structuredClone(requireRecord(id));
    },
    getEndpoint(id) {
      rollings.settle();
      const endpoint = store.get(id);
      return endpoint ? structuredClone(endpoint) : undefined;
    },
    listEndpoints() {
      rollings.settle();
      return structuredClone(store.all().sort(defaultOrder));
    },
    async changeEndpoint(id, change) {
      const endpoint = requireRecord(id);
      Object.assign(endpoint, structuredClone(change));
      if (change.Tags) endpoint.Tags = sortTags(change.Tags);
      endpoint.EndpointModelType = modelTypeOf(endpoint.ModelReference);
      store.touch(id);
      await save();
      return structuredClone(endpoint);
    },
    async markAbnormal(id, reason) {
      requireRecord(id);
      store.setSteadyStatus(id, "Abnormal", reason);
      await save();
      return structuredClone(requireRecord(id));
    },
    async markFailed(id, reason) {
      requireRecord(id);
      store.setSteadyStatus(id, "Failed", reason);
      await save();
      return structuredClone(requireRecord(id));
    },
    async deleteEndpoint(id) {
      requireRecord(id);
      store.delete(id);
      await save();
    },
    failNextModelSwitch(failure) {
      checkSwitchPercent("fails", failure.atPercent);
      rollings.failNext({ ...failure });
    },
    stallNextModelSwitch({ atPercent }) {
      checkSwitchPercent("stalls", atPercent);
      rollings.stallNext(atPercent);
    },
    async startModelSwitchOutside(endpointId, model) {
      const endpoint = requireRecord(endpointId);
      requireKnownModel(model);
      checkSwitchable(endpoint, model);
      const rolling = structuredClone(rollings.start(endpointId, model));
      await save();
      return rolling;
    },
    getModelSwitch(id) {
      const rolling = rollings.get(id);
      return rolling ? structuredClone(rolling) : undefined;
    },
    injectFault(fault) {
      faults.add(fault);
    },
    clearFaults() {
      faults.clear();
    },
    stats() {
      return { ...stats, byAction: { ...stats.byAction } };
    },
    resetStats() {
      stats = emptyStats();
    },
  };
}

function emptyStats(): EmulatorStats {
  return { requests: 0, byAction: Object.create(null) as Record<string, number>, throttled: 0, faulted: 0 };
}

function checkSwitchPercent(verb: string, atPercent: number): void {
  if (!(Number.isFinite(atPercent) && atPercent >= 0 && atPercent < 100)) {
    throw new ArkSyncError(
      "usage",
      "emulator_bad_option",
      `A model switch ${verb} at a percent from 0 to 99.`,
    );
  }
}

function checkOptions(options: EmulatorOptions): void {
  const fail = (message: string) => {
    throw new ArkSyncError("usage", "emulator_bad_option", message);
  };
  if (!options.accessKey || !options.secretKey)
    fail("The emulator needs a non-empty access key and secret key.");
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`The port must be an integer from 0 to 65535.`);
  for (const [name, value] of [
    ["provisioning delay", options.provisioningDelayMs],
    ["rolling step time", options.rollingStepMs],
    ["latency", options.latencyMs],
    ["clock skew", options.maxClockSkewSeconds],
  ] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0))
      fail(`The ${name} must be a number >= 0.`);
  }
  const step = options.rollingStepPercent;
  if (step !== undefined && !(Number.isFinite(step) && step > 0 && step <= 100))
    fail("The rolling step must be a percent > 0 and <= 100.");
  const rps = options.requestsPerSecond;
  if (rps !== undefined && !(Number.isFinite(rps) && rps > 0))
    fail("The requests-per-second limit must be > 0.");
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const reason = error.code === "EADDRINUSE" ? "the port is in use" : error.message;
      reject(
        new ArkSyncError(
          "external",
          "emulator_listen_failed",
          `Cannot listen on 127.0.0.1:${port}: ${reason}.`,
          {
            hint: "Choose another --port, or --port 0 for any free one.",
            cause: error,
          },
        ),
      );
    };
    server.once("error", onError);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
