import type { CommandModule } from "yargs";
import {
  arkSettings,
  type GlobalOptions,
  parseDuration,
  stateSpec,
  withLockTimeout,
} from "../global-options.js";
import { runUseCase } from "../run-use-case.js";

interface ApplyArgs extends GlobalOptions {
  path: string;
  "auto-approve": boolean;
  parallelism: number;
  "allow-empty": boolean;
  "allow-destroy-over-limit": boolean;
  target: string[];
  /** Milliseconds: read by parseDuration while parsing, so a bad value fails before anything runs. */
  "wait-timeout": number;
  "on-switch-failure": "cancel" | "rollback";
  "lock-timeout": string;
  dir?: string;
  "require-reviewed": boolean;
  "require-approval": boolean;
  "plan-hash"?: string;
  author?: string;
  "ark-dry-run": boolean;
}

export const applyCommand: CommandModule<GlobalOptions, ApplyArgs> = {
  command: "apply [path]",
  describe:
    "Make Ark match the manifests (or apply a plan saved with `plan --out`), waiting until endpoints run",
  builder: (yargs) =>
    withLockTimeout(yargs)
      .example("$0 apply envs/prod", "Show the plan, ask, then apply it")
      .example("$0 apply plan.json --dir envs/prod", "Apply exactly the plan saved by plan --out plan.json")
      .example(
        "$0 apply envs/prod --auto-approve --wait-timeout 10m",
        "Apply without asking (CI), waiting up to 10 minutes for each endpoint",
      )
      .positional("path", {
        type: "string",
        default: "manifests",
        describe: "Manifest directory, or a plan file saved by `ark-sync plan --out FILE`",
      })
      .option("auto-approve", {
        type: "boolean",
        default: false,
        describe: "Apply without asking for confirmation (required when not run in a terminal)",
      })
      .option("parallelism", { type: "number", default: 10, describe: "Most Ark calls in flight at once" })
      .option("allow-destroy-over-limit", {
        type: "boolean",
        default: false,
        describe: "Allow a plan that destroys or replaces more endpoints than ark-sync.yaml's max_destroy",
      })
      .option("allow-empty", {
        type: "boolean",
        default: false,
        describe: "Allow destroying every managed endpoint when no manifest is found",
      })
      .option("target", {
        type: "string",
        array: true,
        nargs: 1,
        default: [],
        describe: "Apply only this address (repeatable); for exceptional situations",
      })
      .option("wait-timeout", {
        type: "string",
        default: "30m",
        coerce: (text: string) => parseDuration("--wait-timeout", text),
        describe:
          "How long to wait for each created endpoint to be Running, and for a model switch that makes no progress, e.g. 90s, 30m or 1h (a bare number is seconds)",
      })
      .option("on-switch-failure", {
        choices: ["cancel", "rollback"] as const,
        default: "cancel" as const,
        describe:
          "How a model switch that fails, stalls or is interrupted is undone: cancel it (all traffic back at once), or roll it back (Ark was seen to step back only one step)",
      })
      .option("ark-dry-run", {
        type: "boolean",
        default: true,
        describe:
          "Have Ark check each create and model switch (DryRun) before the first write; a refusal applies nothing",
      })
      .option("require-reviewed", {
        type: "boolean",
        default: false,
        describe:
          "In GitHub Actions on a push: apply only if the plan equals the one reviewed on the commit's pull request, and put the outcome there",
      })
      .option("require-approval", {
        type: "boolean",
        default: true,
        describe:
          "With --require-reviewed: also require an approving review, by someone other than the author, after the plan comment last changed (--no-require-approval turns it off)",
      })
      .option("plan-hash", {
        type: "string",
        describe:
          "Apply only a fresh plan with this hash (sha256:…), without a prompt: the manual way to apply a plan someone reviewed in a job summary",
      })
      .option("author", {
        type: "string",
        describe:
          "With --require-reviewed: whose comment holds the reviewed plan, for GitHub App tokens (e.g. my-app[bot])",
      })
      .option("dir", {
        type: "string",
        describe:
          "With a plan file: the manifest directory whose state it was planned against [default: manifests]",
      }),
  handler: (args) =>
    runUseCase(
      () => import("../../app/apply.js"),
      {
        path: args.path,
        ...(args.dir === undefined ? {} : { dir: args.dir }),
        ...stateSpec(args),
        ark: arkSettings(args, args.parallelism),
        autoApprove: args["auto-approve"],
        allowEmpty: args["allow-empty"],
        allowDestroyOverLimit: args["allow-destroy-over-limit"],
        targets: args.target,
        waitTimeoutSeconds: args["wait-timeout"] / 1000,
        switchUndo: args["on-switch-failure"],
        lockTimeoutMs: parseDuration("--lock-timeout", args["lock-timeout"]),
        ...(args["require-reviewed"] ? { requireReviewed: true } : {}),
        ...(args["require-approval"] ? {} : { requireApproval: false }),
        ...(args["plan-hash"] === undefined ? {} : { planHash: args["plan-hash"] }),
        ...(args.author === undefined ? {} : { author: args.author }),
        arkDryRun: args["ark-dry-run"],
      },
      args,
    ),
};
