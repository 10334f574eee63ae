// `ark-sync status [DIR]`: every managed address and every live endpoint of the directory's projects,
// with its sync, health and model (docs/commands.md#status). Sync is read off the same plan `plan`
// computes, so the two never disagree. Read-only: no lock, no state write, nothing sent to Ark but reads.
import { projectsToRead } from "../core/projects.js";
import { computeStatusRows, needsAttention } from "../core/status-rows.js";
import type { LiveEndpoint } from "../core/types.js";
import { renderStatusJson, renderStatusTable } from "../render/status.js";
import type { AppContext, ArkSettings, ExitCode } from "./context.js";
import { withConnection } from "./directory-connection.js";
import { openState } from "./open-state.js";
import { loadValidManifests, readAndPlan } from "./read-and-plan.js";

export interface StatusOptions {
  dir: string;
  state?: string;
  /** The region is absent when no flag or variable gives it (directory-connection.ts). */
  ark: Omit<ArkSettings, "sleep" | "region"> & { region?: string };
  json: boolean;
  /** Show only these projects (`--project`, repeatable); a project the directory does not name is
   * listed too. Empty: the directory's projects and `default`. */
  projects: string[];
}

export async function run(flags: StatusOptions, ctx: AppContext): Promise<ExitCode> {
  const manifests = await loadValidManifests(flags.dir, ctx, { json: flags.json });
  const options = withConnection(flags, manifests.connection);
  const state = await (await openState(options.state, options.dir, ctx)).read();
  const client = await ctx.connectArk(options.ark);
  // The whole plan, whatever --project shows: a narrower one would miss adoptions and moves.
  const { plan, live } = await readAndPlan(
    {
      desired: manifests.endpoints,
      state,
      ark: { client, region: options.ark.region },
      allowEmpty: true,
      targets: [],
    },
    ctx,
  );
  const planned = new Set(projectsToRead(manifests.endpoints, state));
  const extra = options.projects.filter((project) => !planned.has(project));
  const more = await Promise.all(extra.map((projectName) => client.listEndpoints({ projectName })));
  const seen = new Set((live ?? []).map((endpoint) => endpoint.endpoint_id));
  const all: LiveEndpoint[] = [...(live ?? []), ...more.flat().filter((e) => !seen.has(e.endpoint_id))];

  const shown = new Set(options.projects);
  const rows = computeStatusRows({ plan, live: all, dir: options.dir }).filter(
    (row) => shown.size === 0 || shown.has(row.project),
  );
  ctx.io.out(options.json ? renderStatusJson(rows) : renderStatusTable(rows));
  return needsAttention(rows) ? 2 : 0;
}
