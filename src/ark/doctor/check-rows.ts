// The rows of `ark-sync doctor`'s report: each judge declares its checks in one table (name, and what
// ark-sync does with an answer as assumed) and makes its rows from it, so a skipped check reads the
// same as a checked one (docs/commands.md#doctor).
import type { DoctorCheck, DoctorStatus } from "../../core/doctor-report.js";

/** One check as every answer shows it: its name, and what ark-sync does with an answer as assumed. */
export interface CheckSpec {
  check: string;
  does: string;
}

/** A row of check `id` of `specs`; `does` replaces the spec's when the answer changes what ark-sync does. */
export function row<Id extends string>(
  specs: Record<Id, CheckSpec>,
  id: Id,
  status: DoctorStatus,
  answer: string,
  does?: string,
): DoctorCheck {
  return { id, check: specs[id].check, status, answer, ark_sync_does: does ?? specs[id].does };
}

/** Every check of `specs`, skipped for `why`. */
export function skipped<Id extends string>(specs: Record<Id, CheckSpec>, why: string): DoctorCheck[] {
  return (Object.keys(specs) as Id[]).map((id) => row(specs, id, "skip", why));
}
