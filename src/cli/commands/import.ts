import type { CommandModule } from "yargs";
import {
  arkSettings,
  type GlobalOptions,
  parseDuration,
  stateSpec,
  withLockTimeout,
} from "../global-options.js";
import { runUseCase } from "../run-use-case.js";

interface ImportArgs extends GlobalOptions {
  address: string;
  "endpoint-id": string;
  dir: string;
  "lock-timeout": string;
}

export const importCommand: CommandModule<GlobalOptions, ImportArgs> = {
  command: "import <address> <endpoint-id> [dir]",
  describe: "Adopt an existing endpoint: record ADDRESS (project/name) as managing ENDPOINT_ID",
  builder: (yargs) =>
    withLockTimeout(yargs)
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
  handler: (args) =>
    runUseCase(
      () => import("../../app/import.js"),
      {
        address: args.address,
        endpointId: args["endpoint-id"],
        dir: args.dir,
        ...stateSpec(args),
        ark: arkSettings(args, 1),
        lockTimeoutMs: parseDuration("--lock-timeout", args["lock-timeout"]),
      },
      args,
    ),
};
