import type { CommandModule } from "yargs";
import type { GlobalOptions } from "../global-options.js";

export interface PlanArgs extends GlobalOptions {
  dir: string;
  out?: string;
  json: boolean;
  "detailed-exitcode": boolean;
  refresh: boolean;
  target: string[];
  "allow-empty": boolean;
  parallelism: number;
}

export const planCommand: CommandModule<GlobalOptions, PlanArgs> = {
  command: "plan [dir]",
  describe: "Show what apply would change: manifests against last-applied state and live Ark",
  builder: (yargs) =>
    yargs
      .positional("dir", { type: "string", default: "manifests", describe: "Manifest directory" })
      .option("out", {
        type: "string",
        describe: "Save the plan as JSON, for `ark-sync apply FILE` and `comment FILE`",
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
        default: [],
        describe: "Plan only this address (repeatable); for exceptional situations",
      })
      .option("allow-empty", {
        type: "boolean",
        default: false,
        describe: "Allow a plan that destroys every managed endpoint when no manifest is found",
      })
      .option("parallelism", { type: "number", default: 10, describe: "Most Ark calls in flight at once" }),
  handler: async (args) => {
    const { runPlan } = await import("../run-plan.js");
    process.exitCode = await runPlan(args);
  },
};
