// `ark-sync emulator endpoint create|update|delete|switch|list`: the Ark console's acts on a running
// emulator (docs/emulator.md#the-console), at --api-url, by default the emulator's own address.
import type { CommandModule } from "yargs";
import type { ConsoleAct } from "../../app/emulator-console.js";
import { withOwnOptionsFirst } from "../command-help.js";
import { arkSettings, type GlobalOptions } from "../global-options.js";
import { runUseCase } from "../run-use-case.js";
import { parseTag } from "./import.js";

interface CreateArgs extends GlobalOptions {
  name: string;
  model: string;
  "model-version": string;
  project: string;
  description?: string;
  rpm?: number;
  tpm?: number;
  tag: string[];
}

interface UpdateArgs extends GlobalOptions {
  id: string;
  name?: string;
  description?: string;
  rpm?: number;
  tpm?: number;
  moderation?: "Default" | "Basic";
  tag: string[];
  untag: string[];
}

interface SwitchArgs extends GlobalOptions {
  id: string;
  model?: string;
  "model-version": string;
}

interface ListArgs extends GlobalOptions {
  project: string[];
  json: boolean;
}

/** A repeatable flag: one value each time it is given. */
function repeatable(describe: string) {
  return { type: "string" as const, array: true as const, nargs: 1, default: [] as string[], describe };
}

export const createCommand: CommandModule<GlobalOptions, CreateArgs> = {
  command: "create <name>",
  describe:
    "Create an endpoint with no ark-sync tag, as in the console (status shows it Unmanaged); prints its id",
  builder: (yargs) =>
    yargs
      .example(
        "$0 emulator endpoint create chat --model doubao-1-5-pro-32k --model-version 250115",
        "An unmanaged endpoint to rehearse an import; prints its id",
      )
      .example(
        "$0 emulator endpoint create embed --model doubao-embedding --model-version 240715 --project research --tag team=ml",
        "In another project, with a tag",
      )
      .positional("name", { type: "string", demandOption: true, describe: "The endpoint's name" })
      .option("model", {
        type: "string",
        demandOption: true,
        describe: "Foundation model, e.g. doubao-1-5-pro-32k (ark-sync emulator models lists them)",
      })
      .option("model-version", { type: "string", demandOption: true, describe: "Its version, e.g. 250115" })
      .option("project", { type: "string", default: "default", describe: "Ark project" })
      .option("description", { type: "string", describe: "Description" })
      .option("rpm", { type: "number", describe: "Rate limit: requests per minute" })
      .option("tpm", { type: "number", describe: "Rate limit: tokens per minute" })
      .option("tag", repeatable("Tag KEY=VALUE (repeatable)")),
  handler: (args) =>
    runConsole(args, {
      act: "create",
      endpoint: {
        name: args.name,
        project_name: args.project,
        foundation_model: { name: args.model, model_version: args["model-version"] },
        ...(args.description === undefined ? {} : { description: args.description }),
        ...rateLimit(args),
        tags: args.tag.map(parseTag),
      },
    }),
};

const updateCommand: CommandModule<GlobalOptions, UpdateArgs> = {
  command: "update <id>",
  describe: "Change an endpoint as in the console: name, description, rate limit, moderation, tags",
  builder: (yargs) =>
    yargs
      .example("$0 emulator endpoint update ep-… --rpm 99", "Drift a managed endpoint's rate limit")
      .example("$0 emulator endpoint update ep-… --tag owner=console --untag env", "Change its tags")
      .positional("id", { type: "string", demandOption: true, describe: "Endpoint id (ep-…)" })
      .option("name", { type: "string", describe: "New name" })
      .option("description", { type: "string", describe: 'New description ("" clears it)' })
      .option("rpm", { type: "number", describe: "Rate limit: requests per minute" })
      .option("tpm", { type: "number", describe: "Rate limit: tokens per minute" })
      .option("moderation", { choices: ["Default", "Basic"] as const, describe: "Moderation strategy" })
      .option("tag", repeatable("Set tag KEY=VALUE, added or replaced (repeatable)"))
      .option("untag", repeatable("Remove the tag KEY (repeatable)")),
  handler: (args) =>
    runConsole(args, {
      act: "update",
      id: args.id,
      update: {
        ...(args.name === undefined ? {} : { name: args.name }),
        ...(args.description === undefined ? {} : { description: args.description }),
        ...rateLimit(args),
        ...(args.moderation === undefined ? {} : { moderation: { strategy: args.moderation } }),
        setTags: args.tag.map(parseTag),
        removeTags: args.untag,
      },
    }),
};

const deleteCommand: CommandModule<GlobalOptions, GlobalOptions & { id: string }> = {
  command: "delete <id>",
  describe: "Delete an endpoint as in the console, stopping it first when it runs",
  builder: (yargs) =>
    yargs
      .example(
        "$0 emulator endpoint delete ep-…",
        "Delete it behind ark-sync's back (plan then creates it again)",
      )
      .example(
        "$0 emulator endpoint delete ep-… --api-url http://127.0.0.1:9000",
        "On an emulator on another port",
      )
      .positional("id", { type: "string", demandOption: true, describe: "Endpoint id (ep-…)" }),
  handler: (args) => runConsole(args, { act: "delete", id: args.id }),
};

const switchCommand: CommandModule<GlobalOptions, SwitchArgs> = {
  command: "switch <id>",
  describe: "Start a rolling model switch on an endpoint, as in the console; prints the switch's id",
  builder: (yargs) =>
    yargs
      .example(
        "$0 emulator endpoint switch ep-… --model-version 250328",
        "Someone else's switch to another version",
      )
      .example(
        "$0 emulator endpoint switch ep-… --model doubao-seed-1-6 --model-version 250615",
        "A switch to another model",
      )
      .positional("id", { type: "string", demandOption: true, describe: "Endpoint id (ep-…)" })
      .option("model-version", { type: "string", demandOption: true, describe: "The version to switch to" })
      .option("model", { type: "string", describe: "The model to switch to [default: the one it serves]" }),
  handler: (args) =>
    runConsole(args, {
      act: "switch",
      id: args.id,
      model: {
        ...(args.model === undefined ? {} : { name: args.model }),
        model_version: args["model-version"],
      },
    }),
};

export const listCommand: CommandModule<GlobalOptions, ListArgs> = {
  command: "list",
  describe: "List the emulator's endpoints with their status, switch progress, tags and ark-sync address",
  builder: (yargs) =>
    yargs
      .example("$0 emulator endpoint list", "The default project's endpoints")
      .example(
        "$0 emulator endpoint list --project default --project research --json",
        "Two projects, as JSON",
      )
      .option("project", { ...repeatable("Ark project (repeatable)"), default: ["default"] })
      .option("json", { type: "boolean", default: false, describe: 'Print {"endpoints": [...]} instead' }),
  handler: (args) => runConsole(args, { act: "list", projects: args.project, json: args.json }),
};

export const emulatorEndpointCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "endpoint",
  describe:
    "Act on a running emulator as the Ark console: create, update, delete, switch, list (never on Ark)",
  builder: (yargs) =>
    yargs
      .example("$0 emulator endpoint list", "What the emulator runs, with switch progress")
      .example("$0 emulator endpoint delete ep-…", "Delete an endpoint behind ark-sync's back")
      .command(withOwnOptionsFirst(createCommand))
      .command(withOwnOptionsFirst(updateCommand))
      .command(withOwnOptionsFirst(deleteCommand))
      .command(withOwnOptionsFirst(switchCommand))
      .command(withOwnOptionsFirst(listCommand))
      .demandCommand(1, "Name what to do: create, update, delete, switch or list."),
  handler: () => {},
};

function runConsole(args: GlobalOptions, act: ConsoleAct) {
  const { apiUrl, region } = arkSettings(args, 1);
  return runUseCase(
    () => import("../../app/emulator-console.js"),
    { ...act, ark: { ...(apiUrl ? { apiUrl } : {}), ...(region ? { region } : {}) } },
    args,
  );
}

function rateLimit(args: { rpm?: number; tpm?: number }) {
  if (args.rpm === undefined && args.tpm === undefined) return {};
  return {
    rate_limit: {
      ...(args.rpm === undefined ? {} : { rpm: args.rpm }),
      ...(args.tpm === undefined ? {} : { tpm: args.tpm }),
    },
  };
}
