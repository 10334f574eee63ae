// The first two checks of `ark-sync doctor`: does the host answer in Ark's protocol, and does it take
// these credentials' signature (docs/ark-api.md, Transport, signing and credentials; Errors)? Judged
// on the first call's answer; when either fails, nothing else can be checked.
import type { DoctorCheck } from "../../core/doctor-report.js";
import { ArkSyncError } from "../../core/errors.js";
import { isArkApiError, isPermissionDenied } from "../errors.js";
import { type Answer, codeOf, describeFailure } from "./answer.js";
import { type CheckSpec, row } from "./check-rows.js";

export interface Destination {
  region: string;
  apiUrl: string;
  /** True when --api-url (or ark-sync.yaml's api_url) chose the host, false for the region's default. */
  chosen: boolean;
}

export const connectionChecks = {
  host: { check: "Region and host", does: "sends every call here, signed for this region" },
  credentials: { check: "Credentials", does: "signs every call with them; they never appear in any output" },
} satisfies Record<string, CheckSpec>;

const failsEverywhere = (what: string) => `every command that reads Ark fails the same way: ${what}`;
const checkHost = failsEverywhere("check --api-url and --region (or ark-sync.yaml) and the network");
const checkCredentials = failsEverywhere("see docs/credentials.md");

/** Codes that say the host is not Ark's API, or not this version of it (6369/68677). */
const wrongHostCodes = new Set(["ServiceNotFound", "InvalidActionOrVersion"]);

/** The two rows, and whether the checks after them can be made. */
export function judgeConnection(
  first: Answer<unknown>,
  where: Destination,
): { rows: DoctorCheck[]; reached: boolean } {
  const host = describeDestination(where);
  const answered = row(connectionChecks, "host", "pass", `${host} answered in Ark's envelope`);
  if (first.ok) {
    return {
      rows: [answered, row(connectionChecks, "credentials", "pass", "a signed ListEndpoints was answered")],
      reached: true,
    };
  }
  const error = first.error;
  const code = codeOf(error);
  if (
    !isArkApiError(error) ||
    error.category === "network" ||
    code === undefined ||
    wrongHostCodes.has(code)
  ) {
    return {
      rows: [
        row(connectionChecks, "host", "fail", `${host}: ${describeFailure(error)}`, checkHost),
        row(connectionChecks, "credentials", "skip", "not checked: Ark did not answer"),
      ],
      reached: false,
    };
  }
  // (`as unknown`: the guard's false branch must not narrow `error` away from ArkApiError.)
  if (isPermissionDenied(error as unknown)) {
    const accepted = `the signature was accepted (${code}: these credentials may not list)`;
    return { rows: [answered, row(connectionChecks, "credentials", "pass", accepted)], reached: true };
  }
  if (error.category === "auth") {
    return {
      rows: [
        answered,
        row(connectionChecks, "credentials", "fail", describeFailure(error), checkCredentials),
      ],
      reached: false,
    };
  }
  const accepted = `the signature was accepted (Ark answered ${code})`;
  return { rows: [answered, row(connectionChecks, "credentials", "pass", accepted)], reached: true };
}

/** The rows when no client could be made: no credentials found, or a role that could not be assumed. */
export function credentialsUnavailable(error: unknown, where: Destination): DoctorCheck[] {
  const hint = error instanceof ArkSyncError && error.hint ? ` ${error.hint}` : "";
  return [
    row(connectionChecks, "host", "skip", `${describeDestination(where)}: not called`),
    row(connectionChecks, "credentials", "fail", `${describeFailure(error)}${hint}`, checkCredentials),
  ];
}

function describeDestination(where: Destination): string {
  return `${where.apiUrl} (${where.chosen ? "--api-url or ark-sync.yaml" : `the default host of ${where.region}`})`;
}
