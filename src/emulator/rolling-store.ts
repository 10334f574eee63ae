// The emulator's model switches (CreateEndpointRolling and friends) with their clock: while Running
// the gray rises by `stepPercent` every `stepMs`, while Reverting it falls the same way. At 100 the
// endpoint takes the new model; at 0 after a rollback it keeps the old one. Settled lazily from the
// clock, like provisioning, so a store loaded from a file resumes where it left off (docs/ark-api.md,
// Emulator choices).
import type { ArkRollingInfo, RollingStatus } from "./ark-types.js";
import { createRollingId } from "./endpoint-id.js";
import { type EndpointStore, formatTime } from "./endpoint-store.js";

/** Ark's defaults as observed; shown whatever the emulator's own pace. */
const observedStrategy = { Step: 2, WaitDuration: 1 };

export interface RollingPace {
  stepPercent: number;
  stepMs: number;
}

/** Where an injected failure stops the gray, and the StatusReason it puts on the endpoint. */
export interface SwitchFailure {
  atPercent: number;
  reason: string;
}

export interface RollingRecord {
  info: ArkRollingInfo;
  /** The model the endpoint switches to. */
  target: { Name: string; ModelVersion: string };
  pace: RollingPace;
  /** The gray moves from `sinceGray`, counted from `since` (ms since the epoch). */
  since: number;
  sinceGray: number;
  failure: SwitchFailure | null;
}

export class RollingStore {
  private readonly records = new Map<string, RollingRecord>();
  private nextFailure: SwitchFailure | null = null;

  constructor(
    private readonly endpoints: EndpointStore,
    private readonly clock: () => number,
    private readonly pace: RollingPace,
    records: readonly RollingRecord[] = [],
  ) {
    for (const record of records) this.records.set(record.info.Id, record);
  }

  /** The stored rolling itself, settled. */
  get(id: string): ArkRollingInfo | undefined {
    const record = this.records.get(id);
    if (record) this.settleRecord(record);
    return record?.info;
  }

  /** The next switch started fails at this gray. */
  failNext(failure: SwitchFailure): void {
    this.nextFailure = failure;
  }

  /** Starts a switch of the endpoint to `target`; the caller has made every check. */
  start(endpointId: string, target: { Name: string; ModelVersion: string }): ArkRollingInfo {
    const now = this.clock();
    const id = createRollingId(now, (candidate) => this.records.has(candidate));
    const record: RollingRecord = {
      info: {
        Id: id,
        EndpointId: endpointId,
        Status: "Running",
        RollingGray: 0,
        RollingStrategy: { ...observedStrategy },
      },
      target: { ...target },
      pace: { ...this.pace },
      since: now,
      sinceGray: 0,
      failure: this.nextFailure,
    };
    this.nextFailure = null;
    this.records.set(id, record);
    const endpoint = this.endpoints.get(endpointId);
    if (endpoint) endpoint.RollingId = id;
    this.endpoints.touch(endpointId);
    this.settleRecord(record);
    return record.info;
  }

  /** A Running or Failed switch: Reverting from the current gray. */
  rollBack(id: string): void {
    const record = this.records.get(id);
    if (!record) return;
    this.settleRecord(record);
    this.move(record, "Reverting", this.clock());
    this.settleRecord(record);
  }

  /** A switch that has not ended: Reverted at once. */
  cancel(id: string): void {
    const record = this.records.get(id);
    if (!record) return;
    record.info.RollingGray = 0;
    this.end(record, "Reverted", this.clock());
  }

  /** Brings every switch up to the clock. */
  settle(): void {
    for (const record of this.records.values()) this.settleRecord(record);
  }

  /** Every record, settled, for the data file. */
  snapshot(): RollingRecord[] {
    this.settle();
    return [...this.records.values()];
  }

  private settleRecord(record: RollingRecord): void {
    const { info, pace } = record;
    if (info.Status !== "Running" && info.Status !== "Reverting") return;
    const elapsed = this.clock() - record.since;
    const steps = pace.stepMs === 0 ? Number.POSITIVE_INFINITY : Math.floor(elapsed / pace.stepMs);
    /** When the gray got to `gray`, on the pace. */
    const timeAt = (gray: number) =>
      record.since + Math.ceil(Math.abs(gray - record.sinceGray) / pace.stepPercent) * pace.stepMs;
    if (info.Status === "Reverting") {
      info.RollingGray = Math.max(0, record.sinceGray - steps * pace.stepPercent);
      if (info.RollingGray === 0) this.end(record, "Reverted", timeAt(0));
      return;
    }
    const gray = Math.min(100, record.sinceGray + steps * pace.stepPercent);
    const failAt = record.failure?.atPercent;
    if (failAt !== undefined && gray >= failAt) {
      const at = timeAt(failAt);
      info.RollingGray = failAt;
      this.move(record, "Failed", at);
      this.stampEndpoint(record, record.failure?.reason ?? "", at);
    } else if (gray === 100) {
      info.RollingGray = 100;
      const endpoint = this.endpoints.get(info.EndpointId);
      if (endpoint) endpoint.ModelReference = { FoundationModel: { ...record.target } };
      this.end(record, "Completed", timeAt(100));
    } else {
      info.RollingGray = gray;
    }
  }

  private move(record: RollingRecord, status: RollingStatus, at: number): void {
    record.info.Status = status;
    record.since = at;
    record.sinceGray = record.info.RollingGray;
  }

  /** The switch is over: the endpoint loses its RollingId (and a failure's StatusReason). */
  private end(record: RollingRecord, status: "Completed" | "Reverted", at: number): void {
    this.move(record, status, at);
    const endpoint = this.endpoints.get(record.info.EndpointId);
    if (endpoint?.RollingId === record.info.Id) endpoint.RollingId = "";
    this.stampEndpoint(record, "", at);
  }

  /** Stamps the endpoint's UpdateTime, and its StatusReason when the switch carries an injected failure. */
  private stampEndpoint(record: RollingRecord, reason: string, at: number): void {
    const endpoint = this.endpoints.get(record.info.EndpointId);
    if (!endpoint) return;
    if (record.failure !== null && endpoint.Status === "Running") endpoint.StatusReason = reason;
    endpoint.UpdateTime = formatTime(at);
  }
}
