// Injected faults: each rule acts on the next `count` authenticated calls of one action (or of any):
// calls that act, or, for a rule that says so, DryRun calls only (docs/emulator.md, Faults).
import { ArkSyncError } from "../core/errors.js";
import { type InjectableCode, injectableCodes, isInjectableCode } from "./api-error.js";
import type { ActionName } from "./ark-types.js";

/**
 * internal-error: answer InternalError, HTTP 500, without acting.
 * unavailable: answer ServiceUnavailableTemp, HTTP 503, without acting.
 * throttle: answer FlowLimitExceeded, HTTP 429 (AccountFlowLimitExceeded, HTTP 400, under the
 *   throttleAsAccountFlowLimit switch), without acting.
 * drop: close the connection without acting or answering.
 * lost-reply: act (and persist), then close the connection without answering.
 * abnormal: CreateEndpoint / StartEndpoint succeed, but provisioning ends Abnormal with `reason`.
 * failed: the same, ending Failed (docs/ark-api.md, Statuses).
 * error: answer `code`, one of the account's refusals (injectableCodes), with its HTTP status, without acting.
 */
export type FaultKind =
  | "internal-error"
  | "unavailable"
  | "throttle"
  | "drop"
  | "lost-reply"
  | "abnormal"
  | "failed"
  | "error";
export const faultKinds: readonly FaultKind[] = [
  "internal-error",
  "unavailable",
  "throttle",
  "drop",
  "lost-reply",
  "abnormal",
  "failed",
  "error",
];

export interface FaultSpec {
  kind: FaultKind;
  /** The action it applies to; `"*"` (the default) is any action. */
  action?: ActionName | "*";
  /** How many calls it applies to (default 1). */
  count?: number;
  /** StatusReason for `abnormal` and `failed` (default "injected fault: provisioning failed"). */
  reason?: string;
  /** True: the fault applies to `DryRun: true` calls only; false (the default): to every other call. */
  dryRun?: boolean;
  /** The code an `error` fault answers (required for it, refused for any other kind). */
  code?: InjectableCode;
}

export interface ActiveFault {
  kind: FaultKind;
  reason: string;
  code?: InjectableCode;
}

interface Rule extends ActiveFault {
  action: ActionName | "*";
  dryRun: boolean;
  remaining: number;
}

const defaultReason = "injected fault: provisioning failed";

export class FaultQueue {
  private rules: Rule[] = [];

  add(spec: FaultSpec): void {
    const action = spec.action ?? "*";
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1) {
      throw new ArkSyncError(
        "usage",
        "emulator_bad_fault",
        `A fault's count must be a positive integer, not ${count}.`,
      );
    }
    const provisioning = spec.kind === "abnormal" || spec.kind === "failed";
    if (provisioning && action !== "CreateEndpoint" && action !== "StartEndpoint") {
      throw new ArkSyncError(
        "usage",
        "emulator_bad_fault",
        `The ${spec.kind} fault applies to CreateEndpoint or StartEndpoint only.`,
      );
    }
    if (provisioning && spec.dryRun) {
      throw new ArkSyncError(
        "usage",
        "emulator_bad_fault",
        `The ${spec.kind} fault cannot apply to a DryRun.`,
      );
    }
    if (
      (spec.kind === "error") !== (spec.code !== undefined) ||
      (spec.code && !isInjectableCode(spec.code))
    ) {
      throw new ArkSyncError(
        "usage",
        "emulator_bad_fault",
        `An error fault needs a code, one of ${injectableCodes.join(", ")}; other faults take none.`,
      );
    }
    this.rules.push({
      kind: spec.kind,
      action,
      dryRun: spec.dryRun === true,
      remaining: count,
      reason: spec.reason ?? defaultReason,
      ...(spec.code ? { code: spec.code } : {}),
    });
  }

  /** The fault for this call, if a rule matches; uses up one of that rule's calls. */
  take(action: ActionName, dryRun: boolean): ActiveFault | undefined {
    const rule = this.rules.find(
      (candidate) => (candidate.action === "*" || candidate.action === action) && candidate.dryRun === dryRun,
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining === 0) this.rules = this.rules.filter((candidate) => candidate !== rule);
    return { kind: rule.kind, reason: rule.reason, ...(rule.code ? { code: rule.code } : {}) };
  }

  clear(): void {
    this.rules = [];
  }
}
