// `ark-sync doctor`'s checks of a DryRun CreateEndpoint (docs/ark-api.md, DryRun; Assumptions 5, 15
// and 24): a create Ark would accept is answered `DryRunOperation`, with the ownership tags ark-sync
// adds, and only an identity allowed ark:CreateEndpoint may ask.
import type { DoctorCheck } from "../../core/doctor-report.js";
import type { DryRunResult } from "../dry-run.js";
import { isPermissionDenied } from "../errors.js";
import { type Answer, describeFailure } from "./answer.js";
import { type CheckSpec, row, skipped } from "./check-rows.js";

export interface DryRunAnswer {
  /** What was checked, e.g. `default/chat, as manifests/chat.yaml sets it`. */
  subject: string;
  answer: Answer<DryRunResult>;
}

export const dryRunChecks = {
  dry_run: {
    check: "DryRun CreateEndpoint",
    does: "plan asks Ark this way about every create and model switch it plans; nothing is created",
  },
  dry_run_permission: {
    check: "Permission to DryRun",
    does: "plan and apply ask Ark to check creates and model switches before anything is written",
  },
} satisfies Record<string, CheckSpec>;

export function judgeDryRun(dryRun: DryRunAnswer | undefined): DoctorCheck[] {
  if (dryRun === undefined) {
    return skipped(dryRunChecks, "nothing to check: no manifest, and no endpoint listed whose model to try");
  }
  const { subject, answer } = dryRun;
  if (!answer.ok) {
    // Ark answered success (it may have acted), or no answer said anything about the request.
    return [
      row(
        dryRunChecks,
        "dry_run",
        "fail",
        `${subject}: ${describeFailure(answer.error)}`,
        "plan and apply rely on DryRun acting on nothing: plan with --no-ark-dry-run until this is understood, and look in the Ark console for an endpoint it may have created",
      ),
      row(
        dryRunChecks,
        "dry_run_permission",
        "skip",
        "not checked: the DryRun had no answer about the request",
      ),
    ];
  }
  const result = answer.value;
  if (result.ok) {
    return [
      row(
        dryRunChecks,
        "dry_run",
        "pass",
        `${subject}: DryRunOperation, with the ark-sync:address and ark-sync:state tags`,
      ),
      row(dryRunChecks, "dry_run_permission", "pass", "yes"),
    ];
  }
  if (isPermissionDenied(result.error)) {
    return [
      row(dryRunChecks, "dry_run", "skip", `not checked: ${describeFailure(result.error)}`),
      row(
        dryRunChecks,
        "dry_run_permission",
        "warn",
        `no: ${describeFailure(result.error)}`,
        "plan with these credentials warns ark_dry_run_denied and leaves Ark's checks to apply; apply with them stops before its first write",
      ),
    ];
  }
  return [
    row(
      dryRunChecks,
      "dry_run",
      "fail",
      `${subject}: ${describeFailure(result.error)}`,
      "plan fails on this endpoint with ark_dry_run_refused: check its model and, if the code names a tag, the ark-sync:address and ark-sync:state tags every create carries",
    ),
    row(dryRunChecks, "dry_run_permission", "pass", "yes: Ark judged the request itself"),
  ];
}
