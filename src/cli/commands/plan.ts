import type { CommandModule } from "yargs";
import { ArkSyncError } from "../../core/errors.js";
import { arkSettings, type GlobalOptions, stateSpec } from "../global-options.js";
import { runUseCase } from "../run-use-case.js";

interface PlanArgs extends GlobalOptions {
  dir?: string;
  all: boolean;
  out?: string;
  "changed-since"?: string;
  json: boolean;
  "detailed-exitcode": boolean;
  refresh: boolean;
  target: string[];
  "allow-empty": boolean;
  "allow-destroy-over-limit": boolean;
  "ark-dry-run": boolean;
  parallelism: number;
}

export const planCommand: CommandModule<GlobalOptions, PlanArgs> = {
  command: "plan [dir]",
  describe: "Show what apply would change: manifests against last-applied state and live Ark",
  builder: (yargs) =>
    yargs
      .example("$0 plan envs/prod", "Show what apply would change in envs/prod")
      .example(
        "$0 plan envs/prod --out plan.json --detailed-exitcode",
        "Save the plan for apply and comment; exit 2 when it changes something",
      )
      .example(
        "$0 plan --all --out plans",
        "Plan every directory with an ark-sync.yaml, saving each plan in plans/",
      )
      .positional("dir", {
        type: "string",
        describe: "Manifest directory [default: manifests]; with --all, the root to search [default: .]",
      })
      .option("all", {
        type: "boolean",
        default: false,
        describe: "Plan every directory under DIR that has an ark-sync.yaml (as `projects` lists them)",
      })
      .option("out", {
        type: "string",
        describe:
          "Save the plan as JSON, for `ark-sync apply FILE` and `comment FILE`; with --all, a directory to save every plan in, for `comment DIR`",
      })
      .option("changed-since", {
        type: "string",
        describe:
          "With --all, plan only the directories whose files or bases' files changed since this git revision",
      })
      .option("json", { type: "boolean", default: false, describe: "Print the plan as JSON instead of text" })
      .option("detailed-exitcode", {
        type: "boolean",
        default: false,
        describe: "Exit 0 when nothing changes, 2 when something does, 1 on error",
      })
      .option("refresh", {
        type: "boolean",
        default: true,
        describe:
          "Read live endpoints from Ark; --refresh=false plans against last-applied state only (no credentials)",
      })
      .option("target", {
        type: "string",
        array: true,
        nargs: 1,
        default: [],
        describe: "Plan only this address (repeatable); for exceptional situations",
      })
      .option("ark-dry-run", {
        type: "boolean",
        default: true,
        describe:
          "Send each planned create and model switch to Ark with DryRun, so what Ark would refuse fails the plan (--no-ark-dry-run for credentials that may only read)",
      })
      .option("allow-destroy-over-limit", {
        type: "boolean",
        default: false,
        describe: "Allow a plan that destroys or replaces more endpoints than ark-sync.yaml's max_destroy",
      })
      .option("allow-empty", {
        type: "boolean",
        default: false,
        describe: "Allow a plan that destroys every managed endpoint when no manifest is found",
      })
      .option("parallelism", { type: "number", default: 10, describe: "Most Ark calls in flight at once" }),
  handler: (args) => {
    const shared = {
      ark: arkSettings(args, args.parallelism),
      json: args.json,
      detailedExitcode: args["detailed-exitcode"],
      refresh: args.refresh,
      targets: args.target,
      allowEmpty: args["allow-empty"],
      allowDestroyOverLimit: args["allow-destroy-over-limit"],
      arkDryRun: args["ark-dry-run"],
    };
    if (!args.all) {
      if (args["changed-since"] !== undefined) throw usage("--changed-since needs --all");
      return runUseCase(
        () => import("../../app/plan.js"),
        {
          dir: args.dir ?? "manifests",
          ...stateSpec(args),
          ...(args.out === undefined ? {} : { out: args.out }),
          ...shared,
        },
        args,
      );
    }
    // Each directory has its own state; one flag cannot name them all.
    if (args.state !== undefined) throw usage("plan --all cannot take --state: each directory has its own");
    return runUseCase(
      () => import("../../app/plan-all.js"),
      {
        root: args.dir ?? ".",
        ...(args.out === undefined ? {} : { out: args.out }),
        ...(args["changed-since"] === undefined ? {} : { changedSince: args["changed-since"] }),
        ...shared,
      },
      args,
    );
  },
};

function usage(message: string): ArkSyncError {
  return new ArkSyncError("usage", "invalid_arguments", message);
}
