import type { CommandModule } from "yargs";
import type { GlobalOptions } from "../global-options.js";
import { runUseCase } from "../run-use-case.js";

interface ModelsArgs extends GlobalOptions {
  json: boolean;
}

export const emulatorModelsCommand: CommandModule<GlobalOptions, ModelsArgs> = {
  command: "models",
  describe: "List the foundation models and versions the emulator serves (needs no running emulator)",
  builder: (yargs) =>
    yargs
      .example("$0 emulator models", "The models and versions, as a table")
      .example("$0 emulator models --json", "As JSON")
      .option("json", {
        type: "boolean",
        default: false,
        describe: 'Print {"models": [{"name", "versions"}]} instead of a table',
      }),
  handler: (args) => runUseCase(() => import("../../app/emulator-models.js"), { json: args.json }, args),
};
