// The action's inputs (action.yml), read as the runner passes them: INPUT_<NAME> environment variables.
import { ArkSyncError } from "../core/errors.js";
import type { Environment } from "../github/github-context.js";

export const ACTION_COMMANDS = [
  "plan",
  "apply",
  "validate",
  "comment",
  "drift",
  "projects",
  "labels",
  "sync",
] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

export interface ActionInputs {
  command: ActionCommand;
  directory: string;
  /** --state SPEC, e.g. git:ark-sync-state; empty for the default. */
  state: string;
  apiUrl: string;
  region: string;
  /** Extra CLI arguments, split on whitespace. */
  args: string[];
  /** The plan-file input; null when not given. */
  planFile: string | null;
  comment: boolean;
  /** Keep the pull request's ark-sync labels in step with the plan. */
  labels: boolean;
  githubToken: string;
  author: string;
  /** With labels: the projects matrix whose directories' comments count; empty for all of them. */
  matrix: string;
  /** With projects: event, all, or a git revision; empty when not given. */
  changedSince: string;
}

export function readInputs(env: Environment): ActionInputs {
  const input = (name: string) => (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
  const command = input("command") || "plan";
  if (!(ACTION_COMMANDS as readonly string[]).includes(command)) {
    throw new ArkSyncError(
      "usage",
      "action_command_invalid",
      `The command input is "${command}"; use one of ${ACTION_COMMANDS.join(", ")}`,
    );
  }
  return {
    command: command as ActionCommand,
    directory: input("directory") || "manifests",
    state: input("state"),
    apiUrl: input("api-url"),
    region: input("region"),
    args: input("args").split(/\s+/).filter(Boolean),
    planFile: input("plan-file") || null,
    comment: readBoolean("comment", input("comment"), true),
    labels: readBoolean("labels", input("labels"), true),
    githubToken: input("github-token"),
    author: input("author"),
    matrix: input("matrix"),
    changedSince: input("changed-since"),
  };
}

/** YAML 1.2 core booleans, as @actions/core's getBooleanInput reads them. */
function readBoolean(name: string, value: string, fallback: boolean): boolean {
  if (value === "") return fallback;
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw new ArkSyncError(
    "usage",
    "action_input_invalid",
    `The ${name} input is "${value}"; use true or false`,
  );
}
