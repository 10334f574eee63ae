// How the global options and --debug turn into the Ark connection of the read-only commands.
import type { ArkConnectionOptions } from "../pipeline/connect-ark.js";
import type { GlobalOptions } from "./global-options.js";
import type { Io } from "./io.js";

export function arkConnectionOptions(args: GlobalOptions, io: Io, parallelism: number): ArkConnectionOptions {
  return {
    ...(args["api-url"] ? { apiUrl: args["api-url"] } : {}),
    region: args.region,
    parallelism,
    ...(args.debug ? { debug: (line: string) => io.err(`debug: ${line}\n`) } : {}),
  };
}
