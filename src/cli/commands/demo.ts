import type { CommandModule } from "yargs";
import type { GlobalOptions } from "../global-options.js";
import { runUseCase } from "../run-use-case.js";

interface DemoArgs extends GlobalOptions {
  keep: boolean;
  verbose: boolean;
}

export const demoCommand: CommandModule<GlobalOptions, DemoArgs> = {
  command: "demo",
  describe: "A tour on the bundled Ark emulator: import, plan, apply and a converged plan, no account needed",
  builder: (yargs) =>
    yargs
      .example("$0 demo", "The tour, in a temporary workspace removed afterwards")
      .example("$0 demo --keep", "Keep the workspace to look around afterwards")
      .example("$0 demo --verbose", "Every step's output whole")
      .option("keep", {
        type: "boolean",
        default: false,
        describe:
          "Keep the tour's workspace (manifests, state, the emulator's data) and print how to go on with it",
      })
      .option("verbose", {
        type: "boolean",
        default: false,
        describe: "Print every step's output whole (by default: the first plan and each step's outcome)",
      }),
  handler: (args) =>
    runUseCase(() => import("../../app/demo.js"), { keep: args.keep, verbose: args.verbose }, args),
};
