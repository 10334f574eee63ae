import type { CommandModule } from "yargs";
import type { GlobalOptions } from "../global-options.js";
import { runUseCase } from "../run-use-case.js";

interface ProjectsArgs extends GlobalOptions {
  root: string;
  json: boolean;
  "changed-since"?: string;
}

export const projectsCommand: CommandModule<GlobalOptions, ProjectsArgs> = {
  command: "projects [root]",
  describe: "List the directories under ROOT with an ark-sync.yaml (--json: a GitHub Actions matrix)",
  builder: (yargs) =>
    yargs
      .example("$0 projects", "The directories under the working directory that have an ark-sync.yaml")
      .example(
        "$0 projects --json --changed-since origin/main",
        "Those changed since origin/main, as a GitHub Actions matrix",
      )
      .positional("root", { type: "string", default: ".", describe: "Where to look" })
      .option("json", {
        type: "boolean",
        default: false,
        describe: 'Print {"include": [{dir, region, api_url, state, environment}, ...]} for strategy.matrix',
      })
      .option("changed-since", {
        type: "string",
        describe:
          "Only projects whose files or bases' files changed since REF (git diff REF...HEAD, and uncommitted)",
      }),
  handler: (args) =>
    runUseCase(
      () => import("../../app/projects.js"),
      {
        root: args.root,
        json: args.json,
        ...(args["changed-since"] === undefined ? {} : { changedSince: args["changed-since"] }),
      },
      args,
    ),
};
