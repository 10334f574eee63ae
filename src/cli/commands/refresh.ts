import type { CommandModule } from "yargs";
import type { GlobalOptions } from "../global-options.js";

export interface RefreshArgs extends GlobalOptions {
  dir: string;
  "auto-approve": boolean;
  parallelism: number;
}

export const refreshCommand: CommandModule<GlobalOptions, RefreshArgs> = {
  command: "refresh [dir]",
  describe: "Accept drift: show what changed outside ark-sync, then record live values as last-applied",
  builder: (yargs) =>
    yargs
      .positional("dir", { type: "string", default: "manifests", describe: "Manifest directory" })
      .option("auto-approve", { type: "boolean", default: false, describe: "Skip the 'yes' confirmation" })
      .option("parallelism", { type: "number", default: 10, describe: "Most Ark calls in flight at once" }),
  handler: async (args) => {
    const { runRefresh } = await import("../run-refresh.js");
    process.exitCode = await runRefresh(args);
  },
};
