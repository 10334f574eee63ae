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
      .option("keep", {
        type: "boolean",
        default: false,
        describe: "Keep the tour's workspace (manifests, state) and print where it is",
      })
      .option("verbose", {
        type: "boolean",
        default: false,
        describe: "Print every step's output whole (by default: the first plan and each step's outcome)",
      }),
  handler: (args) =>
    runUseCase(() => import("../../app/demo.js"), { keep: args.keep, verbose: args.verbose }, args),
};
