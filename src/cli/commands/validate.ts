import type { CommandModule } from "yargs";
import type { GlobalOptions } from "../global-options.js";
import { runUseCase } from "../run-use-case.js";

interface ValidateArgs extends GlobalOptions {
  dir: string;
  json: boolean;
}

export const validateCommand: CommandModule<GlobalOptions, ValidateArgs> = {
  command: "validate [dir]",
  describe: "Check manifests against the schema and ark-sync's rules; print every problem as file:line:col",
  builder: (yargs) =>
    yargs
      .example("$0 validate", "Check every manifest under manifests/")
      .example("$0 validate envs/prod --json", "Print the problems as one JSON document on stdout")
      .positional("dir", { type: "string", default: "manifests", describe: "Manifest directory" })
      .option("json", {
        type: "boolean",
        default: false,
        describe: 'Print {"valid", "diagnostics": [{file, line, col, severity, code, message}]} on stdout',
      }),
  handler: (args) =>
    runUseCase(() => import("../../app/validate.js"), { dir: args.dir, json: args.json }, args),
};
