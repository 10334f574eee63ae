// The emulator's model switches (CreateEndpointRolling and friends) with their clock: while Running
// the gray rises by `stepPercent` every `stepMs`, while Reverting it falls the same way. At 100 the
// endpoint takes the new model; at 0 after a rollback it keeps the old one. Settled lazily from the
// clock, like provisioning, so a store loaded from a file resumes where it left off. Two behaviours
// stand for Ark's pessimistic answers where its sources are silent, both off by default
// (docs/ark-api.md, Emulator choices): a rollback of one step only, and GetEndpointRolling without
// the switch's models.
import type { ArkFoundationModel, ArkRollingInfo, RollingStatus } from "./ark-types.js";
import { createRollingId } from "./endpoint-id.js";
import { type EndpointStore, formatTime } from "./endpoint-store.js";

/** Ark's defaults as observed; shown whatever the emulator's own pace. */
const observedStrategy = { Step: 2, WaitDuration: 1 };

export interface RollingPace {
  stepPercent: number;
  stepMs: number;
}

export interface RollingBehaviour {
  pace: RollingPace;
  /** RollbackEndpointRolling steps the gray back by one step and holds it there, Reverting (the
   * observed 4 % → 2 %); each further rollback steps back once more. Off: back to 0, then Reverted. */
  rollbackOneStep: boolean;
  /** GetEndpointRolling answers without RollingIn and RollingOut. */
  withoutModels: boolean;
}

/** Where an injected failure stops the gray, and the StatusReason it puts on the endpoint. */
export interface SwitchFailure {
  atPercent: number;
  reason: string;
}

export interface RollingRecord {
  info: ArkRollingInfo;
  /** The model the endpoint switches to. */
  target: ArkFoundationModel;
  pace: RollingPace;
  /** The gray moves from `sinceGray`, counted from `since` (ms since the epoch). */
  since: number;
  sinceGray: number;
  failure: SwitchFailure | null;
  /** Where the gray stands still in its current direction: a stalled switch (Running), or a rollback of
   * one step (Reverting). Null or absent (files written before it existed): it moves to its end. */
  hold?: number | null;
}

export class RollingStore {
  private readonly records = new Map<string, RollingRecord>();
  private nextFailure: SwitchFailure | null = null;
  private nextStall: number | null = null;

  constructor(
    private readonly endpoints: EndpointStore,
    private readonly clock: () => number,
    private readonly behaviour: RollingBehaviour,
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

  /** GetEndpointRolling's RollingInfo (a copy), without the models when the behaviour says so. */
  report(id: string): ArkRollingInfo | undefined {
    const info = this.get(id);
    if (!info) return undefined;
    const copy = structuredClone(info);
    if (this.behaviour.withoutModels) {
      delete copy.RollingIn;
      delete copy.RollingOut;
    }
    return copy;
  }

  /** The next switch started fails at this gray. */
  failNext(failure: SwitchFailure): void {
    this.nextFailure = failure;
  }

  /** The next switch started stops rising at this gray and stays Running there. */
  stallNext(atPercent: number): void {
    this.nextStall = atPercent;
  }

  /** Starts a switch of the endpoint to `target`; the caller has made every check. */
  start(endpointId: string, target: ArkFoundationModel): ArkRollingInfo {
    const now = this.clock();
    const id = createRollingId(now, (candidate) => this.records.has(candidate));
    const endpoint = this.endpoints.get(endpointId);
    const from = endpoint?.ModelReference.FoundationModel;
    const record: RollingRecord = {
      info: {
        Id: id,
        EndpointId: endpointId,
        Status: "Running",
        RollingGray: 0,
        RollingStrategy: { ...observedStrategy },
        RollingIn: { ...target },
        ...(from ? { RollingOut: { ...from } } : {}),
      },
      target: { ...target },
      pace: { ...this.behaviour.pace },
      since: now,
      sinceGray: 0,
      failure: this.nextFailure,
      hold: this.nextStall,
    };
    this.nextFailure = null;
    this.nextStall = null;
    this.records.set(id, record);
    if (endpoint) endpoint.RollingId = id;
    this.endpoints.touch(endpointId);
    this.settleRecord(record);
    return record.info;
  }

  /** A Running or Failed switch: Reverting from the current gray, to 0 or (one step) a step lower. A
   * Reverting one steps back once more with a rollback of one step, else stays so. Returns whether
   * anything changed. */
  rollBack(id: string): boolean {
    const record = this.records.get(id);
    if (!record) return false;
    this.settleRecord(record);
    const { rollbackOneStep } = this.behaviour;
    if (record.info.Status === "Reverting" && !rollbackOneStep) return false;
    const floor = rollbackOneStep ? Math.max(0, record.info.RollingGray - record.pace.stepPercent) : 0;
    this.move(record, "Reverting", this.clock());
    record.hold = floor > 0 ? floor : null;
    this.settleRecord(record);
    return true;
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
    const hold = record.hold ?? null;
    if (info.Status === "Reverting") {
      info.RollingGray = Math.max(hold ?? 0, record.sinceGray - steps * pace.stepPercent);
      if (info.RollingGray === 0) this.end(record, "Reverted", timeAt(0));
      return;
    }
    const gray = Math.min(100, record.sinceGray + steps * pace.stepPercent);
    const failAt = record.failure?.atPercent;
    if (failAt !== undefined && gray >= failAt && (hold === null || failAt <= hold)) {
      const at = timeAt(failAt);
      info.RollingGray = failAt;
      this.move(record, "Failed", at);
      this.stampEndpoint(record, record.failure?.reason ?? "", at);
    } else if (hold !== null && gray >= hold) {
      info.RollingGray = hold;
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
    record.hold = null;
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
