import type { CommandModule } from "yargs";
import type { GlobalOptions } from "../global-options.js";
import { runUseCase } from "../run-use-case.js";

interface RenderArgs extends GlobalOptions {
  dir: string;
}

export const renderCommand: CommandModule<GlobalOptions, RenderArgs> = {
  command: "render [dir]",
  describe: "Print the endpoints the directory resolves to (bases and ark-sync.yaml applied) as YAML",
  builder: (yargs) =>
    yargs
      .example("$0 render", "The endpoints manifests/ declares, as YAML")
      .example("$0 render envs/prod", "What envs/prod plans: its bases and ark-sync.yaml applied")
      .positional("dir", { type: "string", default: "manifests", describe: "Manifest directory" }),
  handler: (args) => runUseCase(() => import("../../app/render.js"), { dir: args.dir }, args),
};
