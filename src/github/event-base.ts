// The commit a workflow run's event compares with, for the Action's `changed-since: event`
// (docs/github.md#many-directories-the-matrix): a pull request's base, a merge group's base, a push's
// previous commit. Events with none, and pushes whose previous commit is not where the branch left
// off (a new branch, a force push), say why instead.
import { readFile } from "node:fs/promises";
import type { Environment } from "../core/environment.js";
import { ArkSyncError } from "../core/errors.js";

export type EventBase = { sha: string } | { none: string };

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export async function readEventBase(env: Environment): Promise<EventBase> {
  const name = env.GITHUB_EVENT_NAME ?? "";
  const event = await readPayload(env.GITHUB_EVENT_PATH);
  switch (name) {
    case "pull_request":
    case "pull_request_target":
      return commit(event.pull_request?.base?.sha, `the ${name} event's pull_request.base.sha`);
    case "merge_group":
      return commit(event.merge_group?.base_sha, "the merge_group event's merge_group.base_sha");
    case "push":
      if (event.forced === true) {
        return { none: "a force push: the commit before it need not be in the branch's history" };
      }
      if (typeof event.before === "string" && /^0+$/.test(event.before)) {
        return { none: "a push that created the branch: there is no commit before it" };
      }
      return commit(event.before, "the push event's before");
    case "":
      return { none: "no event: GITHUB_EVENT_NAME is not set" };
    default:
      return { none: `a ${name} event, which has no base commit` };
  }
}

interface Payload {
  pull_request?: { base?: { sha?: unknown } };
  merge_group?: { base_sha?: unknown };
  before?: unknown;
  forced?: unknown;
}

async function readPayload(path: string | undefined): Promise<Payload> {
  if (!path) return {};
  try {
    return (JSON.parse(await readFile(path, "utf8")) ?? {}) as Payload;
  } catch (error) {
    throw new ArkSyncError(
      "input",
      "github_event_unreadable",
      `Could not read the event payload at ${path}`,
      {
        cause: error,
      },
    );
  }
}

function commit(value: unknown, where: string): EventBase {
  if (typeof value !== "string" || !SHA.test(value)) {
    throw new ArkSyncError(
      "input",
      "github_event_unreadable",
      `${where} is ${JSON.stringify(value) ?? "missing"}, not a commit SHA`,
    );
  }
  return { sha: value };
}
