// The emulator's endpoints, with the lifecycle clock: a Scheduling endpoint becomes Running (or
// Abnormal or Failed, when its provisioning was made to fail) once its deadline has passed. Status is settled
// lazily on every read, so a store loaded from a file resumes exactly where it left off.
import type { ArkEndpoint, ArkEndpointItem, EndpointStatus } from "./ark-types.js";

/** How a provisioning made to fail ends. */
export interface ProvisioningFailure {
  status: "Abnormal" | "Failed";
  reason: string;
}

export interface EndpointRecord {
  endpoint: ArkEndpoint;
  /** While Scheduling: when provisioning ends (ms since the epoch). */
  readyAt: number | null;
  /** When set, provisioning ends in `failureStatus` with this StatusReason instead of Running. */
  failureReason: string | null;
  /** Abnormal when absent (data files from before Failed existed have none). */
  failureStatus?: ProvisioningFailure["status"];
}

/** RFC 3339 in UTC to the second, e.g. `2025-02-05T10:25:43Z`. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export class EndpointStore {
  private readonly records = new Map<string, EndpointRecord>();
  private readonly clock: () => number;

  constructor(clock: () => number, records: readonly EndpointRecord[] = []) {
    this.clock = clock;
    for (const record of records) this.records.set(record.endpoint.Id, record);
  }

  has(id: string): boolean {
    return this.records.has(id);
  }

  /** The stored endpoint itself (callers inside the emulator may change it), status settled. */
  get(id: string): ArkEndpoint | undefined {
    const record = this.records.get(id);
    if (record) this.settle(record);
    return record?.endpoint;
  }

  /** Every endpoint, status settled, in insertion order. */
  all(): ArkEndpoint[] {
    return [...this.records.values()].map((record) => {
      this.settle(record);
      return record.endpoint;
    });
  }

  add(endpoint: ArkEndpoint): void {
    this.records.set(endpoint.Id, { endpoint, readyAt: null, failureReason: null });
  }

  delete(id: string): boolean {
    return this.records.delete(id);
  }

  /** Scheduling now; Running (or the failure's status and reason) after `delayMs`. */
  startProvisioning(id: string, delayMs: number, failure: ProvisioningFailure | null): void {
    const record = this.records.get(id);
    if (!record) return;
    const now = this.clock();
    record.readyAt = now + delayMs;
    record.failureReason = failure?.reason ?? null;
    if (failure) record.failureStatus = failure.status;
    else delete record.failureStatus;
    this.setStatus(record.endpoint, "Scheduling", "", now);
  }

  /** Sets a status that does not settle by itself (Running, Stopped, Abnormal, Failed). */
  setSteadyStatus(id: string, status: Exclude<EndpointStatus, "Scheduling">, reason: string): void {
    const record = this.records.get(id);
    if (!record) return;
    record.readyAt = null;
    record.failureReason = null;
    delete record.failureStatus;
    this.setStatus(record.endpoint, status, reason, this.clock());
  }

  /** Marks an endpoint changed now. */
  touch(id: string): void {
    const record = this.records.get(id);
    if (record) record.endpoint.UpdateTime = formatTime(this.clock());
  }

  /** Every record, settled, for the data file. */
  snapshot(): EndpointRecord[] {
    return [...this.records.values()].map((record) => {
      this.settle(record);
      return record;
    });
  }

  private settle(record: EndpointRecord): void {
    if (record.endpoint.Status !== "Scheduling" || record.readyAt === null || this.clock() < record.readyAt)
      return;
    const failed = record.failureReason !== null;
    this.setStatus(
      record.endpoint,
      failed ? (record.failureStatus ?? "Abnormal") : "Running",
      record.failureReason ?? "",
      record.readyAt,
    );
    record.readyAt = null;
    record.failureReason = null;
    delete record.failureStatus;
  }

  private setStatus(endpoint: ArkEndpoint, status: EndpointStatus, reason: string, at: number): void {
    endpoint.Status = status;
    endpoint.StatusReason = reason;
    endpoint.UpdateTime = formatTime(at);
  }
}

/** A list item: GetEndpoint's shape without Moderation, BatchOnly, ScaleTierId, SupportScaleTier. */
export function toListItem(endpoint: ArkEndpoint): ArkEndpointItem {
  const { Moderation: _m, BatchOnly: _b, ScaleTierId: _s, SupportScaleTier: _t, ...item } = endpoint;
  return structuredClone(item);
}
