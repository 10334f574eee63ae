import type { CommandModule } from "yargs";
import { arkSettings, type GlobalOptions, stateSpec } from "../global-options.js";
import { runUseCase } from "../run-use-case.js";

interface StatusArgs extends GlobalOptions {
  dir: string;
  json: boolean;
  project: string[];
  parallelism: number;
}

export const statusCommand: CommandModule<GlobalOptions, StatusArgs> = {
  command: "status [dir]",
  describe:
    "List every managed and live endpoint with its sync (Synced, OutOfSync, Missing, Unmanaged, Untracked), health and model; exit 2 when apply has work",
  builder: (yargs) =>
    yargs
      .example("$0 status envs/prod", "Every endpoint in envs/prod's projects, managed or not, with its sync")
      .example("$0 status --json --project research", "Only the project research, as JSON")
      .positional("dir", { type: "string", default: "manifests", describe: "Manifest directory" })
      .option("json", {
        type: "boolean",
        default: false,
        describe: 'Print {"endpoints": [...]} instead of a table',
      })
      .option("project", {
        type: "string",
        array: true,
        nargs: 1,
        default: [],
        describe: "Show only this Ark project (repeatable); one the directory does not name is listed too",
      })
      .option("parallelism", { type: "number", default: 10, describe: "Most Ark calls in flight at once" }),
  handler: (args) =>
    runUseCase(
      () => import("../../app/status.js"),
      {
        dir: args.dir,
        ...stateSpec(args),
        ark: arkSettings(args, args.parallelism),
        json: args.json,
        projects: args.project,
      },
      args,
    ),
};
