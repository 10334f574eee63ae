// Which projects the Action's `projects` command lists: the changed-since input, or a --changed-since
// in args (docs/github.md#many-directories-the-matrix). One of the two must say: a workflow whose
// base came out empty must fail, not list nothing or everything without having been asked to.
import { ArkSyncError } from "../core/errors.js";
import { readEventBase } from "../github/event-base.js";
import type { Environment } from "../github/github-context.js";

/** The arguments that go after `projects DIRECTORY --json`: args, with --changed-since if it is to be added. */
export async function projectsArguments(input: string, args: string[], env: Environment): Promise<string[]> {
  const inArgs = args.some((arg) => arg === "--changed-since" || arg.startsWith("--changed-since="));
  if (inArgs) {
    if (input !== "") {
      throw new ArkSyncError(
        "usage",
        "action_input_invalid",
        `The changed-since input is "${input}" and args has --changed-since too; give only one`,
      );
    }
    return args; // The CLI refuses an empty revision.
  }
  switch (input) {
    case "":
      throw new ArkSyncError(
        "usage",
        "action_input_invalid",
        "The projects command needs the changed-since input: event (what the run's event changed), all (every project), or a git revision",
        { hint: "A manual run or a schedule has no base: the templates pass all there." },
      );
    case "all":
      return args;
    case "event": {
      const base = await readEventBase(env);
      if ("none" in base) {
        throw new ArkSyncError(
          "usage",
          "action_no_base",
          `changed-since is event, and this run's event gives no commit to compare with: ${base.none}`,
          {
            hint: "Nothing is listed rather than a guess. Run the workflow by hand for the directories to check (the templates' manual runs list every project, or the one named), or set changed-since to all or to a revision.",
          },
        );
      }
      return [...args, "--changed-since", base.sha];
    }
    default:
      return [...args, "--changed-since", input];
  }
}
