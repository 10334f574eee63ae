// `ark-sync doctor [DIR]` (docs/commands.md#doctor): check on a real account what docs/ark-api.md
// assumes, with reads and one DryRun, never a write. DIR gives the region, API URL and state as for
// every command; its manifests and state give the projects to list and the endpoint to DryRun.
import { checkAccount, type DoctorSubjects } from "../ark/doctor/check-account.js";
import { parseApiUrl } from "../ark/sdk-transport.js";
import { doctorReport } from "../core/doctor-report.js";
import { projectsToRead } from "../core/projects.js";
import type { DesiredEndpoint, StateDocument } from "../core/types.js";
import { renderDoctorJson, renderDoctorText } from "../render/doctor.js";
import type { AppContext, ArkSettings, ExitCode } from "./context.js";
import { withConnection } from "./directory-connection.js";
import { openState } from "./open-state.js";
import { loadValidManifests } from "./read-and-plan.js";

export interface DoctorOptions {
  dir: string;
  state?: string;
  /** The region is absent when no flag or variable gives it (directory-connection.ts). */
  ark: Omit<ArkSettings, "sleep" | "region"> & { region?: string };
  json: boolean;
}

/** 1 when a check failed (an answer contradicts an assumption), else 0. */
export async function run(flags: DoctorOptions, ctx: AppContext): Promise<ExitCode> {
  const { io } = ctx;
  const manifests = await loadValidManifests(flags.dir, ctx);
  const options = withConnection(flags, manifests.connection);
  const state = await (await openState(options.state, options.dir, ctx)).read();
  const { region, apiUrl } = options.ark;
  const { host, protocol } = parseApiUrl(apiUrl, region);
  const where = { region, apiUrl: `${protocol}//${host}`, chosen: apiUrl !== undefined && apiUrl !== "" };
  io.err(
    `Asking Ark (${region}) what ark-sync assumes: reads and one DryRun, nothing that changes Ark...\n\n`,
  );
  const checks = await checkAccount(
    () => ctx.connectArk(options.ark),
    subjectsOf(manifests.endpoints, state),
    where,
  );
  const report = doctorReport(region, where.apiUrl, checks);
  io.out(
    options.json
      ? renderDoctorJson(report)
      : renderDoctorText(report, { color: io.colorOut, width: io.width }),
  );
  return report.summary.fail > 0 ? 1 : 0;
}

function subjectsOf(desired: DesiredEndpoint[], state: StateDocument | null): DoctorSubjects {
  const first = desired[0];
  return {
    projects: projectsToRead(desired, state),
    recordedIds: new Set(Object.values(state?.resources ?? {}).map((resource) => resource.endpoint_id)),
    create: first && { address: first.address, attributes: first.attributes, file: first.source.file },
    lineage: state?.lineage,
  };
}
