import type { CommandModule } from "yargs";
import type { GlobalOptions } from "../global-options.js";

interface ValidateArgs extends GlobalOptions {
  dir: string;
}

export const validateCommand: CommandModule<GlobalOptions, ValidateArgs> = {
  command: "validate [dir]",
  describe: "Check manifests against the schema and ark-sync's rules; print every problem as file:line:col",
  builder: (yargs) =>
    yargs.positional("dir", { type: "string", default: "manifests", describe: "Manifest directory" }),
  handler: async (args) => {
    const { runValidate } = await import("../run-validate.js");
    process.exitCode = await runValidate(args.dir, args);
  },
};
