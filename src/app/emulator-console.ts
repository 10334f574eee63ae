// `ark-sync emulator endpoint create|update|delete|switch|list`: what a person does in the Ark console,
// done on a running emulator (docs/emulator.md, The console), to rehearse an import, drift, or a switch
// someone else started. Through Ark's API over signed HTTP, as the console; on nothing but the
// emulator (emulator-connection.ts). An endpoint made here has no ark-sync tag: it is nobody's.
import type { ArkClient } from "../ark/client.js";
import {
  type ConsoleEndpoint,
  type ConsoleUpdate,
  toConsoleCreateRequest,
  toConsoleUpdateRequest,
} from "../ark/console-requests.js";
import { isArkApiError } from "../ark/errors.js";
import type { ArkEndpoint } from "../ark/mapping.js";
import { ArkSyncError } from "../core/errors.js";
import { ownershipTagKey } from "../core/reserved-tags.js";
import { modelOf } from "../core/status-rows.js";
import type { LiveEndpoint } from "../core/types.js";
import {
  type ConsoleEndpointRow,
  renderConsoleEndpointsJson,
  renderConsoleEndpointsTable,
} from "../render/console-endpoints.js";
import { sanitizeText } from "../render/format-value.js";
import type { AppContext, ExitCode, Io } from "./context.js";
import { connectEmulator, type EmulatorSettings } from "./emulator-connection.js";

export type ConsoleAct =
  | { act: "create"; endpoint: ConsoleEndpoint }
  | { act: "update"; id: string; update: ConsoleUpdate }
  | { act: "delete"; id: string }
  /** The model's name defaults to the one the endpoint serves: most switches change the version. */
  | { act: "switch"; id: string; model: { name?: string; model_version: string } }
  | { act: "list"; projects: string[]; json: boolean };

export type EmulatorConsoleOptions = ConsoleAct & { ark: EmulatorSettings };

export async function run(options: EmulatorConsoleOptions, ctx: AppContext): Promise<ExitCode> {
  checkInput(options);
  const client = await connectEmulator(options.ark, ctx);
  switch (options.act) {
    case "create":
      return createEndpoint(client, options.endpoint, ctx.io);
    case "update":
      return updateEndpoint(client, options.id, options.update, ctx.io);
    case "delete":
      return deleteEndpoint(client, options.id, ctx.io);
    case "switch":
      return switchModel(client, options.id, options.model, ctx.io);
    case "list":
      return listEndpoints(client, options.projects, options.json, ctx.io);
  }
}

async function createEndpoint(client: ArkClient, endpoint: ConsoleEndpoint, io: Io): Promise<ExitCode> {
  const result = await client.writeAsConsole("CreateEndpoint", toConsoleCreateRequest(endpoint));
  if (typeof result.Id !== "string") {
    throw new ArkSyncError(
      "external",
      "ark_bad_answer",
      "The emulator answered CreateEndpoint without an Id.",
    );
  }
  const address = `${endpoint.project_name}/${endpoint.name}`;
  const { name, model_version } = endpoint.foundation_model;
  io.out(`${result.Id}\n`);
  io.err(line(`Created ${address} (${name}@${model_version}) as ${result.Id}.`));
  if (!endpoint.tags.some((tag) => tag.key === ownershipTagKey)) {
    io.err(
      line(
        `It has no ark-sync tag: \`ark-sync status\` shows it Unmanaged. To adopt it, declare ${address} in a manifest, then: ark-sync import ${address} ${result.Id}`,
      ),
    );
  }
  return 0;
}

async function updateEndpoint(
  client: ArkClient,
  id: string,
  update: ConsoleUpdate,
  io: Io,
): Promise<ExitCode> {
  const live = await readEndpoint(client, id);
  const missing = update.removeTags.find((key) => !(live.Tags ?? []).some((tag) => tag.Key === key));
  if (missing !== undefined) {
    throw new ArkSyncError(
      "usage",
      "emulator_no_such_tag",
      sanitizeText(`${id} has no tag ${missing} to remove.`),
    );
  }
  await client.writeAsConsole("UpdateEndpoint", toConsoleUpdateRequest(id, update, live));
  io.out(line(`Updated ${id} (${live.Name ?? ""}): ${describeUpdate(update)}.`));
  const owner = (live.Tags ?? []).find((tag) => tag.Key === ownershipTagKey)?.Value;
  if (owner !== undefined) {
    io.err(line(`It is ark-sync's ${owner}: the next plan shows the change as drift.`));
  }
  return 0;
}

async function deleteEndpoint(client: ArkClient, id: string, io: Io): Promise<ExitCode> {
  const live = await client.getEndpoint(id);
  if (!live) throw noSuchEndpoint(id);
  // The emulator, like Ark, refuses to delete a Running endpoint; the console stops it first.
  const stop = live.status === "Running";
  if (stop) await client.stopEndpoint(id);
  await client.deleteEndpoint(id);
  io.out(line(`Deleted ${id} (${live.attributes.name})${stop ? ", stopped first" : ""}.`));
  if (live.owner_address !== undefined) {
    io.err(
      line(
        `It was ark-sync's ${live.owner_address}: \`ark-sync status\` shows it Missing, and the next apply creates it again.`,
      ),
    );
  }
  return 0;
}

async function switchModel(
  client: ArkClient,
  id: string,
  model: { name?: string; model_version: string },
  io: Io,
): Promise<ExitCode> {
  const live = await client.getEndpoint(id);
  if (!live) throw noSuchEndpoint(id);
  const reference = live.attributes.model_reference;
  const current = reference && "foundation_model" in reference ? reference.foundation_model : undefined;
  const name = model.name ?? current?.name;
  if (name === undefined) {
    throw new ArkSyncError(
      "usage",
      "emulator_switch_needs_model",
      sanitizeText(`${id} serves no foundation model; name one with --model.`),
    );
  }
  const start = await client.startModelSwitch(id, { name, model_version: model.model_version });
  switch (start.kind) {
    case "started":
      io.out(`${start.rollingId}\n`);
      io.err(
        line(
          `Switching ${id} from ${modelOf(live.attributes) ?? "?"} to ${name}@${model.model_version} (${start.rollingId}). ` +
            "`ark-sync status` shows it switching until it completes; `ark-sync emulator endpoint list` shows its percent.",
        ),
      );
      return 0;
    case "served":
      io.err(line(`${id} already serves ${name}@${model.model_version}; no switch started.`));
      return 0;
    case "foreign":
      throw new ArkSyncError(
        "external",
        "model_switch_foreign",
        sanitizeText(`Another switch, ${start.rollingId}, holds ${id}.`),
      );
  }
}

async function listEndpoints(
  client: ArkClient,
  projects: string[],
  json: boolean,
  io: Io,
): Promise<ExitCode> {
  const endpoints = (
    await Promise.all(projects.map((projectName) => client.listEndpoints({ projectName })))
  ).flat();
  const rows = await Promise.all(endpoints.map((endpoint) => toRow(client, endpoint)));
  io.out(json ? renderConsoleEndpointsJson(rows) : renderConsoleEndpointsTable(rows));
  return 0;
}

async function toRow(client: ArkClient, endpoint: LiveEndpoint): Promise<ConsoleEndpointRow> {
  const info = endpoint.rolling_id === undefined ? null : await client.getModelSwitch(endpoint.rolling_id);
  const { attributes } = endpoint;
  return {
    endpoint_id: endpoint.endpoint_id,
    project: attributes.project_name,
    name: attributes.name,
    status: endpoint.status,
    model: modelOf(attributes),
    rate_limit: attributes.rate_limit ?? null,
    tags: attributes.tags ?? [],
    owner_address: endpoint.owner_address ?? null,
    switch:
      info === null
        ? null
        : {
            id: info.id,
            status: info.status,
            percent: info.percent,
            to: info.to ? `${info.to.name}@${info.to.model_version}` : null,
          },
  };
}

/** GetEndpoint's answer as sent: an update needs its RateLimit members and tags as they are. */
async function readEndpoint(client: ArkClient, id: string): Promise<ArkEndpoint> {
  try {
    return (await client.readRaw("GetEndpoint", { Id: id })) as ArkEndpoint;
  } catch (error) {
    if (isArkApiError(error) && error.category === "not_found") throw noSuchEndpoint(id);
    throw error;
  }
}

/** A line for people: names and ids come from the user or the emulator, so they are escaped. */
function line(text: string): string {
  return `${sanitizeText(text)}\n`;
}

function noSuchEndpoint(id: string): ArkSyncError {
  return new ArkSyncError(
    "input",
    "emulator_unknown_endpoint",
    sanitizeText(`The emulator has no endpoint ${id}.`),
    {
      hint: "`ark-sync emulator endpoint list` shows its endpoints (--project P for another project).",
    },
  );
}

function describeUpdate(update: ConsoleUpdate): string {
  return [
    ...(update.name === undefined ? [] : ["name"]),
    ...(update.description === undefined ? [] : ["description"]),
    ...(update.rate_limit === undefined ? [] : ["rate limit"]),
    ...(update.moderation === undefined ? [] : ["moderation"]),
    ...(update.setTags.length + update.removeTags.length === 0 ? [] : ["tags"]),
  ].join(", ");
}

/** What the emulator would refuse less clearly, and an update that changes nothing. */
function checkInput(options: ConsoleAct): void {
  const limit =
    options.act === "create"
      ? options.endpoint.rate_limit
      : options.act === "update"
        ? options.update.rate_limit
        : undefined;
  for (const [flag, value] of [
    ["--rpm", limit?.rpm],
    ["--tpm", limit?.tpm],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0 && value <= 2_147_483_647)) {
      throw new ArkSyncError(
        "usage",
        "invalid_arguments",
        `${flag} must be a whole number from 1 to 2147483647.`,
      );
    }
  }
  if (options.act === "update" && describeUpdate(options.update) === "") {
    throw new ArkSyncError(
      "usage",
      "emulator_nothing_to_update",
      "Nothing to update: give --name, --description, --rpm, --tpm, --moderation, --tag or --untag.",
    );
  }
}
