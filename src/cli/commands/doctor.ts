import type { CommandModule } from "yargs";
import { arkSettings, type GlobalOptions, stateSpec } from "../global-options.js";
import { runUseCase } from "../run-use-case.js";

interface DoctorArgs extends GlobalOptions {
  dir: string;
  json: boolean;
}

export const doctorCommand: CommandModule<GlobalOptions, DoctorArgs> = {
  command: "doctor [dir]",
  describe:
    "Check on the account what ark-sync assumes about Ark (reads and one DryRun, never a write); exit 1 when an answer contradicts it",
  builder: (yargs) =>
    yargs
      .example("$0 doctor", "Check the account and region manifests/ plans against")
      .example("$0 doctor envs/prod --json", "Check envs/prod's, printing the report as JSON")
      .positional("dir", {
        type: "string",
        default: "manifests",
        describe: "Manifest directory (its ark-sync.yaml, manifests and state say what to check)",
      })
      .option("json", { type: "boolean", default: false, describe: "Print the checks as JSON" }),
  handler: (args) =>
    runUseCase(
      () => import("../../app/doctor.js"),
      { dir: args.dir, ...stateSpec(args), ark: arkSettings(args, 1), json: args.json },
      args,
    ),
};
