import type { CommandModule } from "yargs";
import { type GlobalOptions, stateSpec } from "../global-options.js";
import { runUseCase } from "../run-use-case.js";

interface CommentArgs extends GlobalOptions {
  planfile: string;
  dir?: string;
  author?: string;
  pr?: number;
  labels: boolean;
}

export const commentCommand: CommandModule<GlobalOptions, CommentArgs> = {
  command: "comment <planfile>",
  describe:
    "Post a saved plan as one sticky pull-request comment per manifest directory, and write it to the job summary (GitHub Actions)",
  builder: (yargs) =>
    yargs
      .example("$0 comment plan.json --dir envs/prod", "Post envs/prod's saved plan on the pull request")
      .example("$0 comment plans", "Post every plan saved by plan --all --out plans")
      .positional("planfile", {
        type: "string",
        demandOption: true,
        describe:
          "Plan written by plan --out FILE, or the directory of plans written by plan --all --out DIR",
      })
      .option("dir", {
        type: "string",
        describe:
          "Manifest directory the plan is for; each directory keeps its own comment [default: manifests; a directory of plans names its own]",
      })
      .option("author", {
        type: "string",
        describe:
          "Login whose earlier comment may be updated (default: the token's user, or github-actions[bot] for GITHUB_TOKEN); e.g. my-app[bot]",
      })
      .option("pr", { type: "number", describe: "Pull request number (default: from the event payload)" })
      .option("labels", {
        type: "boolean",
        default: true,
        describe:
          "Keep the labels ark-sync:changes / ark-sync:no-changes / ark-sync:destroy in step with the plan (--no-labels: leave labels alone)",
      })
      .epilogue(
        "Reads GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH, GITHUB_API_URL and GITHUB_STEP_SUMMARY. The job needs `permissions: pull-requests: write`; the labels need `issues: write` or `pull-requests: write`. The comment warns when the default branch or a git state's branch (--state, else the directory's ark-sync.yaml) lacks the rulesets docs/github.md recommends.",
      ),
  handler: (args) =>
    runUseCase(
      () => import("../../app/comment.js"),
      {
        planFile: args.planfile,
        ...(args.dir === undefined ? {} : { dir: args.dir }),
        labels: args.labels,
        ...stateSpec(args),
        ...(args.author === undefined ? {} : { author: args.author }),
        ...(args.pr === undefined ? {} : { pr: args.pr }),
      },
      args,
    ),
};
