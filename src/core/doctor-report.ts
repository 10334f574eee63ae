// What `ark-sync doctor` found (docs/commands.md#doctor): one row per assumption of docs/ark-api.md
// that reads and a DryRun can check on a real account. Plain data; the text and JSON renderings are
// in src/render/doctor.ts.

/**
 * `pass`: Ark answered as ark-sync assumes. `warn`: no assumption is contradicted, but the answer
 * limits what ark-sync can do with these credentials. `fail`: the answer contradicts an assumption,
 * or the check could not be made for a reason every command would also meet. `skip`: nothing to
 * check it on (no endpoint, no switch in progress) or an earlier check failed.
 */
export type DoctorStatus = "pass" | "warn" | "fail" | "skip";

export interface DoctorCheck {
  /** Stable, for scripts: `credentials`, `list_without_project`, … (docs/commands.md#doctor). */
  id: string;
  /** The check, in a few words. */
  check: string;
  status: DoctorStatus;
  /** What Ark answered. */
  answer: string;
  /** What ark-sync does with that answer. */
  ark_sync_does: string;
}

export interface DoctorReport {
  format_version: "1";
  region: string;
  /** The base URL the calls went to. */
  api_url: string;
  checks: DoctorCheck[];
  summary: Record<DoctorStatus, number>;
}

export function doctorReport(region: string, apiUrl: string, checks: DoctorCheck[]): DoctorReport {
  const summary = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const check of checks) summary[check.status] += 1;
  return { format_version: "1", region, api_url: apiUrl, checks, summary };
}
