import type { CommandModule } from "yargs";
import {
  arkSettings,
  type GlobalOptions,
  parseDuration,
  stateSpec,
  withLockTimeout,
} from "../global-options.js";
import { runUseCase } from "../run-use-case.js";
import { type CeilingArgs, ceilingsOf, withCeilingFlags } from "./sync-ceiling-flags.js";
import { type WatchArgs, watchOptions, withWatchFlags } from "./sync-watch-flags.js";

interface SyncArgs extends GlobalOptions, WatchArgs, CeilingArgs {
  dir: string;
  json: boolean;
  parallelism: number;
  /** Milliseconds: read by parseDuration while parsing. */
  "wait-timeout": number;
  "on-switch-failure": "cancel" | "rollback";
  "lock-timeout": string;
  commit?: string;
  "run-url"?: string;
}

export const syncCommand: CommandModule<GlobalOptions, SyncArgs> = {
  command: "sync [dir]",
  describe:
    "Reconcile the directory once by its ark-sync.yaml sync policy (report only unless automated); exit 0 in sync, 2 still out of sync, 1 on error",
  builder: (yargs) =>
    withCeilingFlags(withWatchFlags(withLockTimeout(yargs)))
      .example(
        "$0 sync manifests",
        "One reconcile by manifests/ark-sync.yaml's sync policy; exit 2 while out of sync",
      )
      .example(
        "$0 sync envs/prod --commit 4f2a9c1 --run-url https://ci.example.com/runs/7",
        "With the links notifications and the audit carry",
      )
      .example(
        "$0 sync --watch --repo https://github.com/acme/infra.git --path envs/prod --no-replace --max-destroy 2 --listen :9090",
        "Keep reconciling a repository's directory, never replacing and destroying at most 2; /metrics on :9090",
      )
      .positional("dir", { type: "string", default: "manifests", describe: "Manifest directory" })
      .option("json", { type: "boolean", default: false, describe: "Print the sync report as JSON" })
      .option("parallelism", { type: "number", default: 10, describe: "Most Ark calls in flight at once" })
      .option("wait-timeout", {
        type: "string",
        default: "30m",
        coerce: (text: string) => parseDuration("--wait-timeout", text),
        describe: "How long to wait for each created endpoint to be Running, e.g. 90s, 30m or 1h",
      })
      .option("on-switch-failure", {
        choices: ["cancel", "rollback"] as const,
        default: "cancel" as const,
        describe: "How a model switch that fails, stalls or is interrupted is undone",
      })
      .option("commit", {
        type: "string",
        conflicts: "watch",
        describe: "The commit being synced, for notifications and the audit [default: the checkout's HEAD]",
      })
      .option("run-url", {
        type: "string",
        describe: "A link to the run (e.g. the CI job), for notifications",
      }),
  handler: (args) => {
    const sync = {
      ...stateSpec(args),
      ark: arkSettings(args, args.parallelism),
      waitTimeoutSeconds: args["wait-timeout"] / 1000,
      switchUndo: args["on-switch-failure"],
      lockTimeoutMs: parseDuration("--lock-timeout", args["lock-timeout"]),
      ceilings: ceilingsOf(args),
    };
    if (args.watch) {
      return runUseCase(() => import("../../app/sync-watch.js"), { ...watchOptions(args), sync }, args);
    }
    return runUseCase(
      () => import("../../app/sync.js"),
      {
        dir: args.dir,
        ...stateSpec(args),
        ark: arkSettings(args, args.parallelism),
        json: args.json,
        waitTimeoutSeconds: args["wait-timeout"] / 1000,
        switchUndo: args["on-switch-failure"],
        lockTimeoutMs: parseDuration("--lock-timeout", args["lock-timeout"]),
        ceilings: ceilingsOf(args),
        trigger: {
          ...(args.commit === undefined ? {} : { commit: args.commit }),
          ...(args["run-url"] === undefined ? {} : { url: args["run-url"] }),
        },
      },
      args,
    );
  },
};
