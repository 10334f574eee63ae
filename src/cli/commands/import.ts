import type { CommandModule } from "yargs";
import type { GlobalOptions } from "../global-options.js";

export interface ImportArgs extends GlobalOptions {
  address: string;
  "endpoint-id": string;
  dir: string;
}

export const importCommand: CommandModule<GlobalOptions, ImportArgs> = {
  command: "import <address> <endpoint-id> [dir]",
  describe: "Adopt an existing endpoint: record ADDRESS (project/name) as managing ENDPOINT_ID",
  builder: (yargs) =>
    yargs
      .positional("address", {
        type: "string",
        demandOption: true,
        describe: "Address, e.g. default/chat-prod",
      })
      .positional("endpoint-id", {
        type: "string",
        demandOption: true,
        describe: "Ark endpoint id, e.g. ep-2025…",
      })
      .positional("dir", { type: "string", default: "manifests", describe: "Manifest directory" }),
  handler: async (args) => {
    const { runImport } = await import("../run-import.js");
    process.exitCode = await runImport(args);
  },
};
