// `ark-sync import --all [--generate] [DIR]`: adopt at once every live endpoint that no state manages
// (docs/state.md, Importing a fleet). An endpoint whose address a manifest declares is recorded as
// `import` records one; with --generate, one that no manifest declares gets a manifest written from its
// live attributes and is recorded with them as last-applied, so the next plan is `No changes.`. All of
// them go into the state in one write, after every file; nothing is overwritten.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { readLiveEndpoints } from "../ark/refresh.js";
import { ArkSyncError } from "../core/errors.js";
import { isOwnedByState } from "../core/ownership.js";
import { projectsToRead } from "../core/projects.js";
import type { Address, LiveEndpoint, StateDocument, StateResource } from "../core/types.js";
import { generateManifest, manifestPath } from "../manifest/generate-manifest.js";
import type { AppContext, ArkSettings, ExitCode } from "./context.js";
import { withConnection } from "./directory-connection.js";
import { lockState, openState } from "./open-state.js";
import { loadValidManifests } from "./read-and-plan.js";

export interface ImportAllOptions {
  dir: string;
  state?: string;
  /** The region is absent when no flag or variable gives it (directory-connection.ts). */
  ark: Omit<ArkSettings, "sleep" | "region"> & { region?: string };
  /** Write a manifest for each endpoint that no manifest declares. */
  generate: boolean;
  /** Only these projects; default: `default` and every project the manifests and state name. */
  projects: string[];
  /** Only endpoints carrying every one of these tags. */
  tags: { key: string; value: string }[];
  lockTimeoutMs?: number;
}

interface Adoption {
  address: Address;
  endpoint: LiveEndpoint;
  /** The manifest to write, relative to the directory; absent when a manifest declares the address. */
  file?: string;
}

export async function run(flags: ImportAllOptions, ctx: AppContext): Promise<ExitCode> {
  const { dir } = flags;
  const manifests = await loadValidManifests(dir, ctx);
  const options = withConnection(flags, manifests.connection);
  const declared = new Set(manifests.endpoints.map((endpoint) => endpoint.address));
  const backend = await openState(options.state, dir, ctx);
  const state = await backend.read();
  const client = await ctx.connectArk(options.ark);
  const projects =
    options.projects.length > 0 ? options.projects : projectsToRead(manifests.endpoints, state);
  ctx.io.err(`Reading live endpoints from Ark (${options.ark.region}; projects ${projects.join(", ")})...\n`);
  // Every candidate is read whole: list items lack moderation, which a generated manifest must carry.
  const unmanaged = (endpoint: LiveEndpoint) => isCandidate(endpoint, state, options.tags);
  const live = (await readLiveEndpoints(client, projects, unmanaged)).filter(unmanaged);

  const { adoptions, skipped } = chooseAdoptions(live, state, declared, options.generate);
  for (const line of skipped) ctx.io.err(`Skipped ${line}\n`);
  if (adoptions.length === 0) {
    ctx.io.out("Nothing to import: no live endpoint matched that no state manages.\n");
    return 0;
  }

  const lock = await lockState(backend, "import", options.lockTimeoutMs ?? 0, ctx);
  const written: string[] = [];
  try {
    const resources = { ...(lock.current()?.resources ?? {}) };
    refuseIfManagedMeanwhile(adoptions, resources);
    for (const adoption of adoptions) {
      if (adoption.file === undefined) continue;
      const path = join(dir, adoption.file);
      await mkdir(dirname(path), { recursive: true });
      // `wx`: never overwrite a file, even one written since the check.
      await writeFile(path, generateManifest(adoption.endpoint.attributes), { flag: "wx" }).catch((error) => {
        throw refuseOverwrite(adoption.file as string, error);
      });
      written.push(path);
    }
    for (const adoption of adoptions) resources[adoption.address] = stateRecord(adoption);
    await lock.write(resources);
  } catch (error) {
    // Manifests without state records would plan duplicates: take back what this run wrote.
    await Promise.all(written.map((path) => rm(path, { force: true })));
    throw error;
  } finally {
    await lock.release();
  }

  ctx.io.out(`Imported ${adoptions.length} endpoints into ${backend.describe()}:\n`);
  for (const { address, endpoint, file } of adoptions) {
    const how =
      file === undefined ? "its manifest was already there" : `wrote ${relative(ctx.cwd, join(dir, file))}`;
    ctx.io.out(`  ${address} (${endpoint.endpoint_id}): ${how}\n`);
  }
  ctx.io.out(`\nNext: ark-sync plan ${dir}\n`);
  return 0;
}

/** Live, not in this state, not another state's (an endpoint without ownership tags is nobody's), not
 * left by a DryRun Ark carried out (docs/ark-api.md, DryRun), and carrying the wanted tags. */
function isCandidate(
  endpoint: LiveEndpoint,
  state: StateDocument | null,
  tags: readonly { key: string; value: string }[],
): boolean {
  const recorded = Object.values(state?.resources ?? {}).some((r) => r.endpoint_id === endpoint.endpoint_id);
  const anothers = endpoint.owner_address !== undefined && !isOwnedByState(endpoint, state?.lineage ?? null);
  if (recorded || anothers || endpoint.dry_run_id !== undefined) return false;
  const own = endpoint.attributes.tags ?? [];
  return tags.every((wanted) => own.some((tag) => tag.key === wanted.key && tag.value === wanted.value));
}

function chooseAdoptions(
  live: readonly LiveEndpoint[],
  state: StateDocument | null,
  declared: ReadonlySet<Address>,
  generate: boolean,
): { adoptions: Adoption[]; skipped: string[] } {
  const byAddress = new Map<Address, LiveEndpoint[]>();
  for (const endpoint of live) {
    const address = `${endpoint.attributes.project_name}/${endpoint.attributes.name}`;
    byAddress.set(address, [...(byAddress.get(address) ?? []), endpoint]);
  }
  const adoptions: Adoption[] = [];
  const skipped: string[] = [];
  const files = new Set<string>();
  for (const [address, endpoints] of [...byAddress].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [endpoint] = endpoints as [LiveEndpoint];
    const ids = endpoints.map((e) => e.endpoint_id).join(", ");
    if (endpoints.length > 1) {
      skipped.push(
        `${address}: ${endpoints.length} live endpoints share this name (${ids}); import one with ark-sync import ${address} ENDPOINT_ID`,
      );
    } else if (state?.resources[address]) {
      skipped.push(
        `${address} (${ids}): the address already manages ${state.resources[address]?.endpoint_id}`,
      );
    } else if (declared.has(address)) {
      adoptions.push({ address, endpoint });
    } else if (!generate) {
      skipped.push(`${address} (${ids}): no manifest declares it (--generate writes one)`);
    } else {
      const file = manifestPath(endpoint.attributes);
      if (files.has(file))
        skipped.push(`${address} (${ids}): its file name ${file} is taken by another endpoint`);
      else {
        files.add(file);
        adoptions.push({ address, endpoint, file });
      }
    }
  }
  return { adoptions, skipped };
}

function refuseIfManagedMeanwhile(
  adoptions: readonly Adoption[],
  resources: Record<Address, StateResource>,
): void {
  const ids = new Set(Object.values(resources).map((resource) => resource.endpoint_id));
  const taken = adoptions.filter(
    ({ address, endpoint }) => resources[address] || ids.has(endpoint.endpoint_id),
  );
  if (taken.length === 0) return;
  throw new ArkSyncError(
    "input",
    "import_endpoint_managed",
    `another run recorded ${taken.map((adoption) => adoption.address).join(", ")} while this import read Ark; nothing was imported`,
    { hint: "Run the import again." },
  );
}

function refuseOverwrite(file: string, cause: unknown): ArkSyncError {
  const exists = (cause as NodeJS.ErrnoException)?.code === "EEXIST";
  return new ArkSyncError(
    "input",
    "import_file_exists",
    exists
      ? `${file} already exists; import --generate never overwrites a file, and nothing was imported`
      : `could not write ${file}: ${cause instanceof Error ? cause.message : String(cause)}`,
    { hint: "Move the file away, or declare the endpoint in it and import without --generate.", cause },
  );
}

/** A declared endpoint is recorded as `import` records one; a generated one with what its file says. */
function stateRecord({ endpoint, file }: Adoption): StateResource {
  return {
    endpoint_id: endpoint.endpoint_id,
    last_applied: file === undefined ? null : endpoint.attributes,
    applied_at: null,
  };
}
