// The action's entry logic (src/action/run-action.ts) with a stand-in CLI and the fake GitHub API:
// which CLI arguments each command runs, the step outputs, the comment, labels and summary, the drift
// failure, masking, and forwarding of the cancel signal to the CLI; and `projects` with the real CLI.
import { EventEmitter } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readProjectsMatrix } from "../../src/action/projects-matrix.js";
import { runAction } from "../../src/action/run-action.js";
import { runCli } from "../../src/action/run-cli.js";
import type { Plan } from "../../src/core/types.js";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { renderCommentBody } from "../../src/github/comment-body.js";
import { commentMarker } from "../../src/github/comment-marker.js";
import { readPlanRecord } from "../../src/github/plan-record.js";
import { renderPlanJson } from "../../src/render/plan-json.js";
import { writeTree } from "../app/file-tree.js";
import { cleanEnv, cliPath } from "../cli/run-cli.js";
import { ACTIONS_BOT, FakeGitHub } from "./fake-github.js";
import { noChangesPlan, smallPlan } from "./plans.js";

const TOKEN = "ghs_actionTOKEN0123456789abcdefABCDEF";
const fakeCli = join(process.cwd(), "test/fixtures/github/fake-cli.mjs");

interface Run {
  code: number;
  stdout: string;
  /** What the Action passed on from the CLI's stderr. */
  stderr: string;
  outputs: Record<string, string>;
  cliCalls: { args: string[]; githubToken: string | null; arkSecret: string | null }[];
  summary: string;
}

async function withAction(
  fn: (
    act: (inputs: Record<string, string>, plan?: Plan | null, cliExit?: number) => Promise<Run>,
    github: FakeGitHub,
  ) => Promise<void>,
) {
  const github = new FakeGitHub();
  await github.start();
  github.tokens.set(TOKEN, { user: ACTIONS_BOT, installation: true });
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-action-"));
  try {
    const eventPath = join(dir, "event.json");
    await writeFile(eventPath, JSON.stringify({ pull_request: { number: 3 } }));
    let runs = 0;
    await fn(async (inputs, plan = smallPlan(), cliExit = 2) => {
      runs += 1;
      const files = {
        output: join(dir, `output-${runs}`),
        summary: join(dir, `summary-${runs}.md`),
        log: join(dir, `cli-${runs}.log`),
        plan: join(dir, `source-plan-${runs}.json`),
      };
      if (plan !== null) await writeFile(files.plan, renderPlanJson(plan));
      await writeFile(files.output, "");
      await writeFile(files.log, "");
      const env: Record<string, string> = {
        GITHUB_REPOSITORY: "acme/infra",
        GITHUB_SERVER_URL: "https://github.com",
        GITHUB_RUN_ID: "4242",
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_API_URL: github.url,
        GITHUB_OUTPUT: files.output,
        GITHUB_STEP_SUMMARY: files.summary,
        RUNNER_TEMP: dir,
        VOLC_SECRETKEY: "ark-secret-key-value",
        FAKE_CLI_LOG: files.log,
        FAKE_CLI_PLAN: plan === null ? "" : files.plan,
        FAKE_CLI_EXIT: String(cliExit),
        "INPUT_GITHUB-TOKEN": TOKEN,
      };
      for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
      let stdout = "";
      let stderr = "";
      const code = await runAction({
        env,
        cliPath: fakeCli,
        write: (text) => {
          stdout += text;
        },
        writeError: (text) => {
          stderr += text;
        },
        sleep: async () => {},
      });
      return {
        code,
        stdout,
        stderr,
        outputs: parseOutputs(await readFile(files.output, "utf8")),
        cliCalls: (await readFile(files.log, "utf8"))
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line)),
        summary: await readFile(files.summary, "utf8").catch(() => ""),
      };
    }, github);
  } finally {
    await github.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Reads $GITHUB_OUTPUT's `name<<delimiter` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^([\w-]+)<<(ghadelimiter_[0-9a-f-]+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1] as string] = match[3] as string;
  return outputs;
}

test("plan on a pull request: the CLI's arguments, the outputs, the sticky comment and the summary", async () => {
  await withAction(async (act, github) => {
    const run = await act({
      command: "plan",
      directory: "manifests",
      state: "git:ark-sync-state",
      region: "cn-shanghai",
      args: "--parallelism 4",
    });
    assert.is(run.code, 0);
    const planFile = run.outputs["plan-file"] ?? "";
    assert.ok(planFile.endsWith("ark-sync-plan.json"));
    assert.equal(run.cliCalls[0]?.args, [
      "plan",
      "manifests",
      "--out",
      planFile,
      "--detailed-exitcode",
      "--state",
      "git:ark-sync-state",
      "--region",
      "cn-shanghai",
      "--parallelism",
      "4",
    ]);
    assert.is(run.cliCalls[0]?.githubToken, null, "the CLI is not given the GitHub token");
    assert.equal(
      { ...run.outputs, "plan-file": "", "comment-url": "" },
      {
        "exit-code": "2",
        "plan-file": "",
        add: "2",
        change: "1",
        destroy: "2",
        "has-changes": "true",
        "comment-url": "",
      },
    );
    const [comment] = github.commentsOn(3);
    assert.ok(comment);
    assert.is(run.outputs["comment-url"], `https://github.test/acme/infra/pull/3#issuecomment-${comment.id}`);
    assert.equal(github.labelsOn(3), ["ark-sync:changes", "ark-sync:destroy"]);
    assert.match(run.summary, "**Plan: 2 to add, 1 to change, 2 to destroy.**");
    assert.match(run.stdout, `::add-mask::${TOKEN}\n`);
    assert.match(run.stdout, "::add-mask::ark-secret-key-value\n");
  });
});

test("plan with comment: false writes the summary only", async () => {
  await withAction(async (act, github) => {
    const run = await act({ command: "plan", comment: "false", args: "--refresh=false" });
    assert.is(run.code, 0);
    assert.equal(run.cliCalls[0]?.args.slice(-1), ["--refresh=false"]);
    assert.is(github.requests.length, 0);
    assert.match(run.summary, "Plan: 2 to add");
  });
});

test("drift: changes fail the step with an error annotation; no changes pass", async () => {
  await withAction(async (act, github) => {
    const drifted = await act({ command: "drift" });
    assert.is(drifted.code, 1);
    assert.match(
      drifted.stdout,
      "::error title=ark-sync drift::Ark does not match the manifests in manifests: Plan: 2 to add, 1 to change, 2 to destroy. 1 endpoint(s) changed outside ark-sync.",
    );
    assert.match(drifted.summary, "### ark\\-sync drift check for `manifests`");
    assert.is(github.requests.length, 0, "a drift check does not comment");

    const clean = await act({ command: "drift" }, noChangesPlan(), 0);
    assert.is(clean.code, 0);
    assert.is(clean.outputs["has-changes"], "false");
    assert.match(clean.summary, "**No changes.**");
  });
});

test("validate and apply pass their arguments and exit codes through", async () => {
  await withAction(async (act) => {
    const invalid = await act({ command: "validate", directory: "infra/ark" }, smallPlan(), 1);
    assert.is(invalid.code, 1);
    assert.equal(invalid.cliCalls[0]?.args, ["validate", "infra/ark"]);
    assert.is(invalid.outputs["exit-code"], "1");

    const applied = await act(
      { command: "apply", state: "git:ark-sync-state", "api-url": "http://127.0.0.1:8787" },
      smallPlan(),
      0,
    );
    assert.is(applied.code, 0);
    assert.equal(applied.cliCalls[0]?.args, [
      "apply",
      "manifests",
      "--auto-approve",
      "--state",
      "git:ark-sync-state",
      "--api-url",
      "http://127.0.0.1:8787",
    ]);
    assert.is(applied.cliCalls[0]?.arkSecret, "ark-secret-key-value", "Ark credentials reach the CLI");

    const saved = await act({ command: "apply", "plan-file": "/tmp/reviewed-plan.json" }, smallPlan(), 0);
    assert.equal(saved.cliCalls[0]?.args, ["apply", "/tmp/reviewed-plan.json"]);
    assert.is(applied.cliCalls[0]?.githubToken, null, "a plain apply is not given the GitHub token");

    const reviewed = await act({ command: "apply", args: "--require-reviewed" }, smallPlan(), 0);
    assert.equal(
      reviewed.cliCalls[0]?.args,
      ["apply", "manifests", "--require-reviewed"],
      "the review approves: no --auto-approve beside it",
    );
    assert.is(
      reviewed.cliCalls[0]?.githubToken,
      TOKEN,
      "--require-reviewed reads and writes the pull request",
    );

    const hash = `sha256:${"ab".repeat(32)}`;
    const pinned = await act({ command: "apply", args: `--plan-hash ${hash} --lock-timeout 30m` }, null, 0);
    assert.equal(
      pinned.cliCalls[0]?.args,
      ["apply", "manifests", "--plan-hash", hash, "--lock-timeout", "30m"],
      "the hash approves: no --auto-approve beside it",
    );
    assert.is(pinned.cliCalls[0]?.githubToken, null);
  });
});

test("sync passes the run's URL and its arguments; only in sync (0) passes the step", async () => {
  await withAction(async (act) => {
    const synced = await act(
      { command: "sync", directory: "envs/prod", state: "git:ark-sync-state" },
      null,
      0,
    );
    assert.is(synced.code, 0);
    assert.equal(synced.cliCalls[0]?.args, [
      "sync",
      "envs/prod",
      "--state",
      "git:ark-sync-state",
      "--run-url",
      "https://github.com/acme/infra/actions/runs/4242",
    ]);
    assert.is(synced.cliCalls[0]?.arkSecret, "ark-secret-key-value");
    assert.is(synced.outputs["exit-code"], "0");
    const left = await act({ command: "sync", args: "--json" }, null, 2);
    assert.is(left.code, 1, "still out of sync fails the step");
    assert.is(left.outputs["exit-code"], "2");
    assert.equal(left.cliCalls[0]?.args.at(-1), "--json");
  });
});

test("a failing plan, a bad input and a missing plan file fail the step with an error annotation", async () => {
  await withAction(async (act, github) => {
    const failed = await act({ command: "plan" }, null, 1);
    assert.is(failed.code, 1);
    assert.is(failed.outputs["exit-code"], "1");
    assert.match(
      github.commentsOn(3)[0]?.body ?? "",
      "could not be planned",
      "no plan: its failure is posted",
    );

    const refused = await act({ command: "plan" }, smallPlan(), 1);
    assert.is(refused.code, 1, "a plan saved with errors is shown, and the step still fails");
    assert.match(refused.summary, "Plan: 2 to add");

    const bad = await act({ command: "destroy-everything" });
    assert.is(bad.code, 1);
    assert.match(
      bad.stdout,
      '::error title=ark-sync::The command input is "destroy-everything"; use one of plan, apply, validate, comment, drift, projects',
    );
    assert.equal(bad.cliCalls, []);

    const missing = await act({ command: "comment" });
    assert.is(missing.code, 1);
    assert.match(missing.stdout, "needs the plan-file input");
  });
});

/** The action's plan step run with the real CLI in a temporary root holding `layout`, on pull request 3. */
async function withRealPlan(
  layout: Record<string, string>,
  fn: (
    run: (
      inputs: Record<string, string>,
    ) => Promise<{ code: number; outputs: Record<string, string>; summary: string }>,
    root: string,
    github: FakeGitHub,
  ) => Promise<void>,
): Promise<void> {
  const github = new FakeGitHub();
  await github.start();
  github.tokens.set(TOKEN, { user: ACTIONS_BOT, installation: true });
  const root = await mkdtemp(join(tmpdir(), "ark-sync-action-real-plan-"));
  try {
    await writeTree(root, layout);
    const eventPath = join(root, "event.json");
    await writeFile(eventPath, JSON.stringify({ pull_request: { number: 3 } }));
    let runs = 0;
    await fn(
      async (inputs) => {
        runs += 1;
        const output = join(root, `output-${runs}`);
        const summary = join(root, `summary-${runs}.md`);
        await writeFile(output, "");
        const env: Record<string, string> = {
          GITHUB_REPOSITORY: "acme/infra",
          GITHUB_EVENT_PATH: eventPath,
          GITHUB_API_URL: github.url,
          GITHUB_OUTPUT: output,
          GITHUB_STEP_SUMMARY: summary,
          RUNNER_TEMP: root,
          VOLC_ACCESSKEY: "AKLTactionPlanKey01",
          VOLC_SECRETKEY: "actionPlan/Secret+Key==01",
          "INPUT_GITHUB-TOKEN": TOKEN,
        };
        for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
        const code = await runAction({ env: cleanEnv(env), cliPath, write: () => {}, writeError: () => {} });
        return {
          code,
          outputs: parseOutputs(await readFile(output, "utf8")),
          summary: await readFile(summary, "utf8").catch(() => ""),
        };
      },
      root,
      github,
    );
  } finally {
    await github.stop();
    await rm(root, { recursive: true, force: true });
  }
}

const invalidManifest = "apiVersion: ark-sync/v1\nkind: Endpoint\nname: chat\nrate_limit: {rpm: lots}\n";

test("plan: invalid manifests replace the directory's earlier plan comment with the error (real CLI)", async () => {
  await withRealPlan({ "manifests/chat.yaml": invalidManifest }, async (run, root, github) => {
    const dir = join(root, "manifests");
    const marker = commentMarker(dir);
    const stale = github.addComment(3, ACTIONS_BOT, `${marker}\n### ark-sync plan\n**Plan: 2 to add**`);
    const { code, summary } = await run({ command: "plan", directory: dir });
    assert.is(code, 1);
    assert.is(github.commentsOn(3).length, 1, "the same comment, updated");
    const body = stale.body;
    assert.ok(body.startsWith(`${marker}\n### ark-sync plan for`), body);
    assert.match(body, "failed");
    assert.match(body, "chat.yaml:4:");
    assert.not.match(body, "Plan: 2 to add", "the stale plan is gone");
    assert.is(readPlanRecord(body), null, "apply --require-reviewed has nothing to apply");
    assert.match(summary, "chat.yaml:4:");
    assert.equal(github.labelsOn(3), [], "a failed plan says nothing about the labels");
  });
});

test("plan with --all: every project under the directory gets its own comment; the outputs add up (real CLI)", async () => {
  const emulator = await startEmulator({
    accessKey: "AKLTactionPlanKey01",
    secretKey: "actionPlan/Secret+Key==01",
    provisioningDelayMs: 10,
  });
  const config = `apiVersion: ark-sync/v1\nkind: Config\napi_url: ${emulator.url}\n`;
  const endpoint = (name: string) =>
    `apiVersion: ark-sync/v1\nkind: Endpoint\nname: ${name}\nmodel_reference:\n  foundation_model: {name: doubao-1-5-pro-32k, model_version: "250115"}\n`;
  try {
    await withRealPlan(
      {
        "envs/broken/ark-sync.yaml": config,
        "envs/broken/chat.yaml": invalidManifest,
        "envs/prod/ark-sync.yaml": config,
        "envs/prod/chat.yaml": endpoint("chat"),
        "envs/prod/search.yaml": endpoint("search"),
        "envs/staging/ark-sync.yaml": config,
        "envs/staging/chat.yaml": endpoint("chat"),
      },
      async (run, root, github) => {
        // plan-file may name a folder that holds more than plans: only the index is replaced.
        await writeTree(root, { "ark-sync-plans/keep.txt": "mine\n" });
        const { code, outputs, summary } = await run({ command: "plan", directory: root, args: "--all" });
        assert.is(await readFile(join(root, "ark-sync-plans/keep.txt"), "utf8"), "mine\n");
        assert.is(code, 1, "one directory could not be planned");
        assert.is(outputs["exit-code"], "1");
        assert.equal([outputs.add, outputs.change, outputs.destroy], ["3", "0", "0"]);
        assert.is(outputs["plan-file"], join(root, "ark-sync-plans"));
        const bodies = github.commentsOn(3).map((c) => c.body);
        const of = (dir: string) =>
          bodies.find((body) => body.startsWith(`${commentMarker(join(root, dir))}\n`));
        assert.is(bodies.length, 3);
        assert.match(of("envs/prod") ?? "", "**Plan: 2 to add, 0 to change, 0 to destroy.**");
        assert.match(of("envs/staging") ?? "", "**Plan: 1 to add, 0 to change, 0 to destroy.**");
        assert.match(of("envs/broken") ?? "", "chat.yaml:4:");
        assert.equal(github.labelsOn(3), ["ark-sync:changes"]);
        for (const dir of ["envs/broken", "envs/prod", "envs/staging"])
          assert.match(summary, join(root, dir));
        assert.is(emulator.listEndpoints().length, 0, "a plan creates nothing");
      },
    );
  } finally {
    await emulator.close();
  }
});

test("labels: the matrix input's directories' comments set the labels, and the CLI is not run", async () => {
  await withAction(async (act, github) => {
    github.addComment(
      3,
      ACTIONS_BOT,
      renderCommentBody(smallPlan(), "envs/prod", { head: null, hint: "the job summary", rules: [] }),
    );
    github.addComment(
      3,
      ACTIONS_BOT,
      renderCommentBody(noChangesPlan(), "envs/staging", { head: null, hint: "the job summary", rules: [] }),
    );
    const staging = await act({ command: "labels", matrix: '{"include":[{"dir":"envs/staging"}]}' });
    assert.is(staging.code, 0, staging.stdout);
    assert.equal(github.labelsOn(3), ["ark-sync:no-changes"]);
    const both = await act({
      command: "labels",
      matrix: '{"include":[{"dir":"envs/prod"},{"dir":"envs/staging"}]}',
    });
    assert.is(both.code, 0, both.stdout);
    assert.equal(github.labelsOn(3), ["ark-sync:changes", "ark-sync:destroy"], "prod's plan destroys");
    assert.equal([...staging.cliCalls, ...both.cliCalls], []);
    const bad = await act({ command: "labels", matrix: "envs/prod" });
    assert.is(bad.code, 1);
    assert.match(bad.stdout, "::error");
  });
});

test("comment publishes an existing plan file", async () => {
  await withAction(async (act, github) => {
    const dir = await mkdtemp(join(tmpdir(), "ark-sync-saved-"));
    try {
      const planFile = join(dir, "plan.json");
      await writeFile(planFile, renderPlanJson(smallPlan()));
      const run = await act({ command: "comment", "plan-file": planFile, directory: "teams/search" });
      assert.is(run.code, 0);
      assert.equal(run.cliCalls, []);
      assert.ok(github.commentsOn(3)[0]?.body.startsWith("<!-- ark-sync:comment dir=teams/search -->\n"));
      assert.equal(github.labelsOn(3), ["ark-sync:changes", "ark-sync:destroy"]);

      await writeFile(planFile, renderPlanJson(noChangesPlan()));
      const unlabelled = await act({ command: "comment", "plan-file": planFile, labels: "false" });
      assert.is(unlabelled.code, 0);
      assert.match(github.commentsOn(3)[1]?.body ?? "", "No changes.");
      assert.equal(github.labelsOn(3), ["ark-sync:changes", "ark-sync:destroy"], "labels: false leaves them");

      const bad = await act({ command: "comment", "plan-file": planFile, labels: "sometimes" });
      assert.is(bad.code, 1);
      assert.match(bad.stdout, 'The labels input is "sometimes"; use true or false');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** The action's `projects` command with the built CLI (not the stand-in) on a fresh root directory. */
async function runProjects(
  layout: Record<string, string>,
): Promise<{ root: string; code: number; stdout: string; outputs: Record<string, string> }> {
  const root = await mkdtemp(join(tmpdir(), "ark-sync-projects-"));
  const output = join(root, ".github-output");
  await writeFile(output, "");
  await writeTree(root, layout);
  let stdout = "";
  const code = await runAction({
    env: cleanEnv({
      GITHUB_OUTPUT: output,
      INPUT_COMMAND: "projects",
      INPUT_DIRECTORY: root,
      "INPUT_CHANGED-SINCE": "all",
    }),
    cliPath,
    write: (text) => {
      stdout += text;
    },
    writeError: () => {},
  });
  return { root, code, stdout, outputs: parseOutputs(await readFile(output, "utf8")) };
}

test("projects: the real CLI's matrix of project directories becomes the matrix and count outputs", async () => {
  const config = (lines: string) => `apiVersion: ark-sync/v1\nkind: Config\n${lines}`;
  const run = await runProjects({
    "envs/prod/ark-sync.yaml": config("region: cn-shanghai\nstate: git:ark-sync-state-prod\n"),
    "teams/search/ark-sync.yaml": config("api_url: http://127.0.0.1:8787\n"),
    "docs/README.md": "not a project\n",
  });
  try {
    assert.is(run.code, 0, run.stdout);
    assert.is(run.outputs.count, "2");
    assert.is(run.outputs["exit-code"], "0");
    // The default environment names the directory from the working directory (here the test's).
    const environment = (dir: string) => `ark-sync-apply/${relative(process.cwd(), join(run.root, dir))}`;
    assert.equal(JSON.parse(run.outputs.matrix ?? ""), {
      include: [
        {
          dir: join(run.root, "envs/prod"),
          region: "cn-shanghai",
          api_url: null,
          state: "git:ark-sync-state-prod",
          environment: environment("envs/prod"),
        },
        {
          dir: join(run.root, "teams/search"),
          region: null,
          api_url: "http://127.0.0.1:8787",
          state: null,
          environment: environment("teams/search"),
        },
      ],
    });
    assert.not.match(run.outputs.matrix ?? "", "\n", "one line, as fromJSON takes it");
  } finally {
    await rm(run.root, { recursive: true, force: true });
  }
});

test("projects: a root without projects gives count 0 and an empty include", async () => {
  const run = await runProjects({ "README.md": "nothing here\n" });
  try {
    assert.is(run.code, 0, run.stdout);
    assert.equal(
      { matrix: run.outputs.matrix, count: run.outputs.count },
      { matrix: '{"include":[]}', count: "0" },
    );
  } finally {
    await rm(run.root, { recursive: true, force: true });
  }
});

const BASE_SHA = "1f".repeat(20);

/** The action's `projects` with the stand-in CLI, on an event of the given name and payload. */
async function projectsOn(
  event: { name?: string; payload: unknown },
  inputs: Record<string, string>,
): Promise<{ code: number; stdout: string; cliArgs: string[] | null }> {
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-projects-event-"));
  try {
    const log = join(dir, "cli.log");
    await writeFile(log, "");
    await writeFile(join(dir, "event.json"), JSON.stringify(event.payload));
    const env: Record<string, string> = {
      GITHUB_EVENT_PATH: join(dir, "event.json"),
      ...(event.name === undefined ? {} : { GITHUB_EVENT_NAME: event.name }),
      FAKE_CLI_LOG: log,
      INPUT_COMMAND: "projects",
      INPUT_DIRECTORY: ".",
    };
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
    let stdout = "";
    const code = await runAction({
      env,
      cliPath: fakeCli,
      write: (text) => {
        stdout += text;
      },
      writeError: () => {},
    });
    const [call] = (await readFile(log, "utf8")).split("\n").filter(Boolean);
    return { code, stdout, cliArgs: call ? (JSON.parse(call) as { args: string[] }).args : null };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("projects: changed-since event compares with the base the event gives", async () => {
  const since = ["projects", ".", "--json", "--changed-since", BASE_SHA];
  const pullRequest = {
    name: "pull_request",
    payload: { pull_request: { number: 3, base: { sha: BASE_SHA } } },
  };
  assert.equal((await projectsOn(pullRequest, { "changed-since": "event" })).cliArgs, since);
  const queue = {
    name: "merge_group",
    payload: { merge_group: { base_sha: BASE_SHA, head_sha: "2e".repeat(20) } },
  };
  assert.equal((await projectsOn(queue, { "changed-since": "event" })).cliArgs, since);
  const push = { name: "push", payload: { before: BASE_SHA, after: "2e".repeat(20), forced: false } };
  assert.equal((await projectsOn(push, { "changed-since": "event" })).cliArgs, since);
});

test("projects: an event with no base fails the step, never lists nothing", async () => {
  const events: Array<[{ name?: string; payload: unknown }, string]> = [
    [
      { name: "workflow_dispatch", payload: { inputs: {} } },
      "a workflow_dispatch event, which has no base commit",
    ],
    [{ name: "schedule", payload: {} }, "a schedule event, which has no base commit"],
    [
      { name: "push", payload: { before: "0".repeat(40), after: BASE_SHA } },
      "a push that created the branch",
    ],
    [{ name: "push", payload: { before: BASE_SHA, after: "2e".repeat(20), forced: true } }, "a force push"],
    [{ payload: {} }, "no event: GITHUB_EVENT_NAME is not set"],
  ];
  for (const [event, why] of events) {
    const run = await projectsOn(event, { "changed-since": "event" });
    assert.is(run.code, 1, why);
    assert.is(run.cliArgs, null, `${why}: the CLI is not run`);
    assert.match(
      run.stdout,
      `::error title=ark-sync::changed-since is event, and this run's event gives no commit to compare with: ${why}`,
    );
  }
  const broken = await projectsOn(
    { name: "pull_request", payload: { pull_request: { base: { sha: "" } } } },
    {
      "changed-since": "event",
    },
  );
  assert.is(broken.code, 1);
  assert.match(broken.stdout, 'pull_request.base.sha is "", not a commit SHA');
});

test("projects: all, a revision, or --changed-since in args; nothing said, or both, fails", async () => {
  const pullRequest = { name: "pull_request", payload: { pull_request: { base: { sha: BASE_SHA } } } };
  const all = await projectsOn(pullRequest, { "changed-since": "all" });
  assert.equal(all.cliArgs, ["projects", ".", "--json"], "all: every project");
  const revision = await projectsOn(pullRequest, { "changed-since": "origin/main" });
  assert.equal(revision.cliArgs, ["projects", ".", "--json", "--changed-since", "origin/main"]);
  const args = await projectsOn(pullRequest, { args: "--changed-since abc123" });
  assert.equal(args.cliArgs, ["projects", ".", "--json", "--changed-since", "abc123"]);
  // An expression that came out empty leaves the flag without a value: the CLI refuses it.
  const emptied = await projectsOn(pullRequest, { args: "--changed-since" });
  assert.equal(emptied.cliArgs, ["projects", ".", "--json", "--changed-since"]);

  const none = await projectsOn(pullRequest, {});
  assert.is(none.code, 1);
  assert.is(none.cliArgs, null);
  assert.match(none.stdout, "The projects command needs the changed-since input: event");
  const both = await projectsOn(pullRequest, { "changed-since": "event", args: "--changed-since abc123" });
  assert.is(both.code, 1);
  assert.is(both.cliArgs, null);
  assert.match(both.stdout, "give only one");
});

test("projects: a CLI failure or output that is no matrix fails the step", async () => {
  await withAction(async (act) => {
    // The stand-in prints nothing on stdout: no JSON at all.
    const empty = await act({ command: "projects", directory: ".", args: "--changed-since abc123" }, null, 0);
    assert.equal(empty.cliCalls[0]?.args, ["projects", ".", "--json", "--changed-since", "abc123"]);
    assert.is(empty.code, 1);
    assert.match(
      empty.stdout,
      "::error title=ark-sync::ark-sync projects --json printed something that is not JSON",
    );
    assert.is(empty.outputs.matrix, undefined);

    const failed = await act({ command: "projects", directory: ".", "changed-since": "all" }, null, 1);
    assert.is(failed.code, 1);
    assert.is(failed.outputs["exit-code"], "1");
    assert.is(failed.outputs.count, undefined);
  });
});

test("projects: the matrix is checked before it becomes an output", () => {
  assert.equal(readProjectsMatrix('{"include":[{"dir":"a"},{"dir":"b/c"}]}\n'), {
    json: '{"include":[{"dir":"a"},{"dir":"b/c"}]}',
    count: 2,
    dirs: ["a", "b/c"],
  });
  assert.throws(() => readProjectsMatrix('{"include":[]}\n{"include":[]}\n'), /more than one line/);
  assert.throws(() => readProjectsMatrix('{"dirs":[]}'), /without an "include" list/);
  assert.throws(() => readProjectsMatrix("null"), /without an "include" list/);
  assert.throws(() => readProjectsMatrix('{"include":[{"region":"cn-beijing"}]}'), /without a "dir"/);
  assert.throws(() => readProjectsMatrix('{"include":[null]}'), /without a "dir"/);
});

test("SIGINT to the action is forwarded to the CLI, which can save its state and exit", async () => {
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-signal-"));
  try {
    const log = join(dir, "cli.log");
    await writeFile(log, "");
    const signals = new EventEmitter();
    const env = { ...process.env, FAKE_CLI_LOG: log, FAKE_CLI_WAIT_FOR_SIGNAL: "1" };
    const running = runCli(fakeCli, ["apply"], env, signals);
    for (let i = 0; i < 500 && !(await readFile(log, "utf8")).includes('"ready"'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.is(signals.listenerCount("SIGINT"), 1);
    signals.emit("SIGINT", "SIGINT");
    assert.is(await running, 130);
    assert.match(await readFile(log, "utf8"), '{"signal":"SIGINT"}');
    assert.is(
      signals.listenerCount("SIGINT") + signals.listenerCount("SIGTERM"),
      0,
      "the forwarders are removed",
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
