// `ark-sync import --all [--generate] [DIR]`: adopt at once every live endpoint that no state manages
// (docs/state.md, Importing a fleet). An endpoint whose address a manifest declares is recorded as
// `import` records one; with --generate, one that no manifest declares gets a manifest written from its
// live attributes and is recorded with them as last-applied, so the next plan is `No changes.`. An
// endpoint no manifest can hold is skipped, named; every file is written inside DIR only, checked by
// reading the directory back as a plan does, and only then is the state written, in one write.
// Nothing is overwritten, and a failure takes back every file written.
import { join, relative } from "node:path";
import { readLiveEndpoints } from "../ark/refresh.js";
import { computePlan } from "../core/compute-plan.js";
import { ArkSyncError } from "../core/errors.js";
import { isOwnedByState } from "../core/ownership.js";
import { projectsToRead } from "../core/projects.js";
import type { Address, LiveEndpoint, StateDocument, StateResource } from "../core/types.js";
import { generateCheckedManifest } from "../manifest/check-generated-manifest.js";
import {
  type CreatedFile,
  createFileInside,
  findWayOut,
  OutsideDirectoryError,
  removeCreated,
} from "../manifest/create-file-inside.js";
import { formatDiagnostic } from "../manifest/diagnostic.js";
import { loadManifests } from "../manifest/load-manifests.js";
import { sanitizeText } from "../render/format-value.js";
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
  /** The manifest's text, with `file`. */
  text?: string;
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
  const reading = `${options.ark.region}; projects ${projects.join(", ")}`;
  ctx.io.err(`Reading live endpoints from Ark (${sanitizeText(reading)})...\n`);
  // Every candidate is read whole: list items lack moderation, which a generated manifest must carry.
  const unmanaged = (endpoint: LiveEndpoint) => isCandidate(endpoint, state, options.tags);
  const live = (await readLiveEndpoints(client, projects, unmanaged)).filter(unmanaged);

  const { adoptions, skipped } = chooseAdoptions(live, state, declared, options.generate ? dir : false);
  for (const line of skipped) ctx.io.err(`Skipped ${sanitizeText(line)}\n`);
  if (adoptions.length === 0) {
    ctx.io.out("Nothing to import: no live endpoint matched that no state manages.\n");
    return 0;
  }

  const lock = await lockState(backend, "import", options.lockTimeoutMs ?? 0, ctx);
  const written: CreatedFile[] = [];
  try {
    const resources = { ...(lock.current()?.resources ?? {}) };
    refuseIfManagedMeanwhile(adoptions, resources);
    const generated = adoptions.filter((adoption) => adoption.file !== undefined);
    await refuseWayOut(dir, generated);
    for (const adoption of generated) written.push(await writeManifest(dir, adoption));
    for (const adoption of adoptions) resources[adoption.address] = stateRecord(adoption);
    await refuseUnplannable(dir, generated, { ...(lock.current() ?? newState), resources });
    await lock.write(resources);
  } catch (error) {
    // Manifests without state records would plan duplicates: take back what this run wrote.
    await removeCreated(written);
    throw error;
  } finally {
    await lock.release();
  }

  ctx.io.out(`Imported ${adoptions.length} endpoints into ${sanitizeText(backend.describe())}:\n`);
  for (const { address, endpoint, file } of adoptions) {
    const how =
      file === undefined ? "its manifest was already there" : `wrote ${relative(ctx.cwd, join(dir, file))}`;
    ctx.io.out(`  ${sanitizeText(`${address} (${endpoint.endpoint_id}): ${how}`)}\n`);
  }
  ctx.io.out(`\nNext: ark-sync plan ${sanitizeText(dir)}\n`);
  return 0;
}

/** The state the directory is checked against when none exists yet. */
const newState: StateDocument = { version: 1, lineage: "", serial: 0, resources: {} };

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
  /** The directory to write manifests in, with --generate; false without it. */
  generate: string | false,
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
    } else if (generate === false) {
      skipped.push(`${address} (${ids}): no manifest declares it (--generate writes one)`);
    } else {
      const manifest = generateCheckedManifest(endpoint.attributes, generate);
      // Folded as a case-insensitive file system (macOS, Windows) would see the names.
      const key = "file" in manifest ? manifest.file.normalize("NFC").toLowerCase() : "";
      if ("problems" in manifest) {
        skipped.push(`${address} (${ids}): no manifest can hold it: ${manifest.problems.join("; ")}`);
      } else if (files.has(key)) {
        skipped.push(`${address} (${ids}): its file name ${manifest.file} is taken by another endpoint`);
      } else {
        files.add(key);
        adoptions.push({ address, endpoint, ...manifest });
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

/** Refuses, before anything is written, when a folder on the way to a file leads outside DIR. */
async function refuseWayOut(dir: string, generated: readonly Adoption[]): Promise<void> {
  for (const { file } of generated) {
    const way = await findWayOut(dir, file as string);
    if (way !== undefined) throw refuseOutside(way);
  }
}

async function writeManifest(dir: string, adoption: Adoption): Promise<CreatedFile> {
  const file = adoption.file as string;
  try {
    return await createFileInside(dir, file, adoption.text as string);
  } catch (error) {
    if (error instanceof OutsideDirectoryError) throw refuseOutside(error);
    const exists = (error as NodeJS.ErrnoException)?.code === "EEXIST";
    throw new ArkSyncError(
      "input",
      "import_file_exists",
      exists
        ? `${file} already exists; import --generate never overwrites a file, and nothing was imported`
        : `could not write ${file}: ${error instanceof Error ? error.message : String(error)}; nothing was imported`,
      {
        hint: "Move the file away, or declare the endpoint in it and import without --generate.",
        cause: error,
      },
    );
  }
}

function refuseOutside({ where, target }: OutsideDirectoryError): ArkSyncError {
  return new ArkSyncError(
    "input",
    "import_outside_directory",
    `${where} is a symbolic link to ${target}, outside the manifest directory; import --generate writes only inside it, and nothing was imported`,
    { hint: "Replace the link with a folder, or import only other projects with --project." },
  );
}

/**
 * Reads the directory back as the next plan will, with the files just written and `state` (the
 * state about to be written): any problem, or a generated endpoint whose plan is not `No changes`
 * (an ark-sync.yaml whose name_prefix, common_tags, defaults or policies change it), refuses the import.
 */
async function refuseUnplannable(
  dir: string,
  generated: readonly Adoption[],
  state: StateDocument,
): Promise<void> {
  if (generated.length === 0) return;
  const manifests = await loadManifests(dir);
  const problems = manifests.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
  if (problems.length === 0) {
    const declared = new Set(manifests.endpoints.map((endpoint) => endpoint.address));
    for (const { address, file } of generated) {
      if (!declared.has(address))
        problems.push(`${address}: in this directory its manifest ${file} would declare another address`);
    }
    const addresses = generated
      .map((adoption) => adoption.address)
      .filter((address) => declared.has(address));
    // No targets would plan every address: only the generated ones that read back are asked about.
    if (addresses.length > 0) {
      const live = generated.map((adoption) => adoption.endpoint);
      const plan = computePlan(manifests.endpoints, state, live, { targets: addresses });
      for (const change of plan.resource_changes) {
        if (change.change.actions[0] !== "no-op")
          problems.push(
            `${change.address}: the next plan would ${describeActions(change.change.actions)} it`,
          );
      }
      problems.push(...plan.errors.map((error) => error.message));
    }
  }
  if (problems.length === 0) return;
  throw new ArkSyncError(
    "input",
    "import_breaks_directory",
    `the manifests import --generate would write leave ${dir} unable to plan as imported; nothing was imported:\n${problems.map((problem) => `  ${problem}`).join("\n")}`,
    {
      hint: "Its ark-sync.yaml (bases, defaults, common_tags, name_prefix/name_suffix, policies) applies to generated manifests too: import into a directory without one, or write those manifests by hand and import without --generate.",
    },
  );
}

function describeActions(actions: readonly string[]): string {
  return actions.length > 1 ? "replace" : (actions[0] ?? "change");
}

/** A declared endpoint is recorded as `import` records one; a generated one with what its file says. */
function stateRecord({ endpoint, file }: Adoption): StateResource {
  return {
    endpoint_id: endpoint.endpoint_id,
    last_applied: file === undefined ? null : endpoint.attributes,
    applied_at: null,
  };
}
