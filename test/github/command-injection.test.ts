// Under GitHub Actions nothing a manifest directory, file or endpoint name, or manifest text holds can
// start a workflow command, on stdout or stderr, from the CLI or from the Action
// (docs/github.md#workflow-commands): the built CLI and the Action run as child processes, as the
// runner runs them, over a tree of hostile names, and every line they write that the runner would run
// is one of ark-sync's own commands.
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { writeTree } from "../app/file-tree.js";
import { cleanEnv, cliPath, runCli } from "../cli/run-cli.js";
import { makeTempDir } from "../state/helpers.js";
import { OWN_COMMAND, runnerCommandLines } from "./runner-commands.js";

const execFileAsync = promisify(execFile);
const actionEntry = join(process.cwd(), "test/fixtures/github/run-action.mjs");

/** A project named as a command, one named in the older form, a file whose name holds a command line. */
const WARNING_DIR = "::warning::X";
const GROUP_DIR = "##[group]Y";
const NEWLINE_FILE = "a\n::error::file.yaml";

interface Context {
  root: string;
  remove(): void;
}

const test = suite<Context>("workflow-command injection");

test.before.each(async (context) => {
  const temp = makeTempDir("injection");
  Object.assign(context, { root: temp.path, remove: temp.remove });
  const config = "apiVersion: ark-sync/v1\nkind: Config\n";
  await writeTree(temp.path, {
    [`${WARNING_DIR}/ark-sync.yaml`]: config,
    [`${WARNING_DIR}/chat.yaml`]:
      'apiVersion: ark-sync/v1\nkind: Endpoint\nname: "chat\\n::error::name"\nrate_limit: {rpm: lots}\n',
    [`${WARNING_DIR}/${NEWLINE_FILE}`]:
      "apiVersion: ark-sync/v1\nkind: Endpoint\nname: x\n::error::in-text: 1\n",
    [`${GROUP_DIR}/ark-sync.yaml`]: config,
  });
});

test.after.each(({ remove }) => remove());

/** Every line the runner would run in `output` is ark-sync's own; returns how many there were. */
function onlyOwnCommands(output: string, where: string): number {
  const commands = runnerCommandLines(output);
  for (const line of commands) assert.match(line, OWN_COMMAND, `${where}: ${JSON.stringify(line)}`);
  return commands.length;
}

test("the CLI: validate, render, projects and plan --all print the names, defused", async ({ root }) => {
  const env = cleanEnv({ GITHUB_ACTIONS: "true" });
  const runs = {
    validate: await runCli(["validate", WARNING_DIR], { cwd: root, env }),
    render: await runCli(["render", WARNING_DIR], { cwd: root, env }),
    table: await runCli(["projects", "."], { cwd: root, env }),
    json: await runCli(["projects", ".", "--json"], { cwd: root, env }),
    planAll: await runCli(["plan", "--all", ".", "--refresh=false"], { cwd: root, env }),
    missing: await runCli(["validate", "gone\n::error::missing"], { cwd: root, env }),
  };
  let own = 0;
  for (const [name, run] of Object.entries(runs)) {
    own += onlyOwnCommands(run.stdout, `${name} stdout`);
    assert.is(onlyOwnCommands(run.stderr, `${name} stderr`), 0, "ark-sync writes no command on stderr");
  }
  assert.is(own, 5, "validate's five annotations are the only commands");
  // The names are all there, with only the character that would start a command replaced.
  assert.match(runs.validate.stderr, "\\u003a:warning::X/chat.yaml:4:19: rate_limit.rpm must be an integer");
  // A line break in a file's name is escaped as plans escape it, so its problem stays on one line.
  assert.match(
    runs.validate.stderr,
    "\\u003a:warning::X/a\\u000a::error::file.yaml:4:1: unknown attribute '::error::in-text'",
  );
  assert.match(runs.table.stdout, "\\u003a:warning::X  ");
  assert.match(runs.planAll.stdout, "### ##\\u005bgroup]Y");
  assert.match(runs.missing.stderr, "\\u003a:error::missing does not exist");
  assert.equal(
    (JSON.parse(runs.json.stdout) as { include: Array<{ dir: string }> }).include.map(({ dir }) => dir),
    [GROUP_DIR, WARNING_DIR],
    "the matrix names the directories exactly",
  );
});

test("outside GitHub Actions nothing is changed", async ({ root }) => {
  const run = await runCli(["projects", "."], { cwd: root, env: cleanEnv() });
  assert.match(run.stdout, `\n${GROUP_DIR}  `);
  assert.match(run.stdout, `\n${WARNING_DIR}  `);
});

/** The Action as the runner runs it, with the built CLI, in `root`. */
async function runAction(root: string, inputs: Record<string, string>) {
  const files = { output: join(root, ".output"), summary: join(root, ".summary") };
  await writeFile(files.output, "");
  const env: NodeJS.ProcessEnv = cleanEnv({
    GITHUB_ACTIONS: "true",
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: join(root, ".runner-temp"),
    TEST_CLI_PATH: cliPath,
  });
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const run = await execFileAsync(process.execPath, [actionEntry], { cwd: root, env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  return { ...run, outputs: await readFile(files.output, "utf8") };
}

test("the Action: validate, plan and projects, with the CLI's output passed through it", async ({ root }) => {
  await mkdir(join(root, ".runner-temp"));
  const validate = await runAction(root, { command: "validate", directory: WARNING_DIR });
  const plan = await runAction(root, {
    command: "plan",
    directory: WARNING_DIR,
    args: "--refresh=false",
    comment: "false",
  });
  const projects = await runAction(root, { command: "projects", directory: ".", "changed-since": "all" });
  let own = 0;
  for (const [name, run] of Object.entries({ validate, plan, projects })) {
    own += onlyOwnCommands(run.stdout, `${name} stdout`);
    assert.is(onlyOwnCommands(run.stderr, `${name} stderr`), 0, `${name}: no command on stderr`);
  }
  assert.is(validate.code, 1);
  assert.is(plan.code, 1, "the plan fails on the manifests");
  assert.match(plan.stderr, "\\u003a:warning::X/chat.yaml:4:19", "passed on from the CLI, defused");
  assert.is(projects.code, 0, projects.stderr);
  assert.match(projects.stdout, '2 project(s): {"include":[{"dir":"##\\u005bgroup]Y"', "its log line");
  const matrix = /^matrix<<(\S+)\n(.*)\n\1$/m.exec(projects.outputs)?.[2] ?? "";
  assert.equal(
    (JSON.parse(matrix) as { include: Array<{ dir: string }> }).include.map(({ dir }) => dir),
    [GROUP_DIR, WARNING_DIR],
    "the matrix output names the directories exactly",
  );
  assert.is(own, 5, "validate's five annotations");
});

test.run();
