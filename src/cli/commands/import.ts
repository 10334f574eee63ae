import type { CommandModule } from "yargs";
import { ArkSyncError } from "../../core/errors.js";
import {
  arkSettings,
  type GlobalOptions,
  parseDuration,
  stateSpec,
  withLockTimeout,
} from "../global-options.js";
import { runUseCase } from "../run-use-case.js";

interface ImportArgs extends GlobalOptions {
  address?: string;
  "endpoint-id"?: string;
  dir?: string;
  all: boolean;
  generate: boolean;
  project: string[];
  tag: string[];
  parallelism: number;
  "lock-timeout": string;
}

export const importCommand: CommandModule<GlobalOptions, ImportArgs> = {
  command: "import [address] [endpoint-id] [dir]",
  describe:
    "Adopt an existing endpoint: record ADDRESS (project/name) as managing ENDPOINT_ID; or, with --all [DIR], every live endpoint no state manages",
  builder: (yargs) =>
    withLockTimeout(yargs)
      .example(
        "$0 import default/chat ep-20250101000000-abcd1 manifests",
        "Adopt that endpoint as default/chat, which a manifest in manifests/ declares",
      )
      .example(
        "$0 import --all --generate manifests",
        "Adopt every unmanaged endpoint, writing a manifest for each",
      )
      .example("$0 import --all --project research --tag team=ml", "Only research's endpoints tagged team=ml")
      .positional("address", {
        type: "string",
        describe: "Address, e.g. default/chat-prod (with --all: DIR)",
      })
      .positional("endpoint-id", { type: "string", describe: "Ark endpoint id, e.g. ep-2025…" })
      .positional("dir", { type: "string", describe: "Manifest directory [default: manifests]" })
      .option("all", {
        type: "boolean",
        default: false,
        describe: "Import every live endpoint that no state manages and whose address a manifest declares",
      })
      .option("generate", {
        type: "boolean",
        default: false,
        describe:
          "With --all: write a manifest for each endpoint no manifest declares (never overwrites a file)",
      })
      .option("project", {
        type: "string",
        array: true,
        nargs: 1,
        default: [],
        describe: "With --all: only this project (repeatable) [default: default and every project named]",
      })
      .option("tag", {
        type: "string",
        array: true,
        nargs: 1,
        default: [],
        describe: "With --all: only endpoints carrying this tag KEY=VALUE (repeatable; all must match)",
      })
      .option("parallelism", { type: "number", default: 10, describe: "Most Ark calls in flight at once" }),
  handler: (args) => (args.all ? importAll(args) : importOne(args)),
};

function importOne(args: ImportArgs) {
  if (args.address === undefined || args["endpoint-id"] === undefined) {
    throw usage("import needs ADDRESS and ENDPOINT_ID, or --all to import every unmanaged endpoint");
  }
  return runUseCase(
    () => import("../../app/import.js"),
    {
      address: args.address,
      endpointId: args["endpoint-id"],
      dir: args.dir ?? "manifests",
      ...stateSpec(args),
      ark: arkSettings(args, 1),
      lockTimeoutMs: parseDuration("--lock-timeout", args["lock-timeout"]),
    },
    args,
  );
}

function importAll(args: ImportArgs) {
  // With --all the only positional is the directory.
  if (args["endpoint-id"] !== undefined)
    throw usage("import --all takes only a directory: import --all [DIR]");
  return runUseCase(
    () => import("../../app/import-all.js"),
    {
      dir: args.address ?? "manifests",
      ...stateSpec(args),
      ark: arkSettings(args, args.parallelism),
      generate: args.generate,
      projects: args.project,
      tags: args.tag.map(parseTag),
      lockTimeoutMs: parseDuration("--lock-timeout", args["lock-timeout"]),
    },
    args,
  );
}

export function parseTag(text: string): { key: string; value: string } {
  const at = text.indexOf("=");
  if (at <= 0) throw usage(`--tag ${JSON.stringify(text)} is not KEY=VALUE`);
  return { key: text.slice(0, at), value: text.slice(at + 1) };
}

function usage(message: string): ArkSyncError {
  return new ArkSyncError("usage", "invalid_arguments", message);
}
