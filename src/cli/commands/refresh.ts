import type { CommandModule } from "yargs";
import {
  arkSettings,
  type GlobalOptions,
  parseDuration,
  stateSpec,
  withLockTimeout,
} from "../global-options.js";
import { runUseCase } from "../run-use-case.js";

interface RefreshArgs extends GlobalOptions {
  dir: string;
  "auto-approve": boolean;
  parallelism: number;
  "lock-timeout": string;
}

export const refreshCommand: CommandModule<GlobalOptions, RefreshArgs> = {
  command: "refresh [dir]",
  describe: "Accept drift: show what changed outside ark-sync, then record live values as last-applied",
  builder: (yargs) =>
    withLockTimeout(yargs)
      .example("$0 refresh envs/prod", "Show the drift, then ask before recording it as last-applied")
      .example("$0 refresh envs/prod --auto-approve", "Record it without asking")
      .positional("dir", { type: "string", default: "manifests", describe: "Manifest directory" })
      .option("auto-approve", { type: "boolean", default: false, describe: "Skip the 'yes' confirmation" })
      .option("parallelism", { type: "number", default: 10, describe: "Most Ark calls in flight at once" }),
  handler: (args) =>
    runUseCase(
      () => import("../../app/refresh.js"),
      {
        dir: args.dir,
        ...stateSpec(args),
        ark: arkSettings(args, args.parallelism),
        autoApprove: args["auto-approve"],
        lockTimeoutMs: parseDuration("--lock-timeout", args["lock-timeout"]),
      },
      args,
    ),
};
