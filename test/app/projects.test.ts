// `ark-sync projects` (docs/commands.md#projects) in real temporary git repositories: every directory
// with an ark-sync.yaml and what its configuration gives, as a GitHub Actions matrix or a table, and
// with --changed-since only the projects whose files or whose bases' files changed.
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as projects from "../../src/app/projects.js";
import { cleanEnv, runCli } from "../cli/run-cli.js";
import { git, makeTempDir } from "../state/helpers.js";
import { runHere, runLikeCli, testContext } from "./context.js";
import { writeTree } from "./file-tree.js";

interface Context {
  root: string;
  remove(): void;
}

const test = suite<Context>("projects: many directories");

const endpoint = `apiVersion: ark-sync/v1
kind: Endpoint
name: chat
model_reference:
  foundation_model:
    name: doubao-1-5-pro-32k
    model_version: "250115"
`;

const overlay = (lines: string) => `apiVersion: ark-sync/v1\nkind: Config\n${lines}`;

/** base/ (no ark-sync.yaml), envs/prod and envs/staging on it, teams/search alone, committed on main. */
test.before.each(async (context) => {
  const temp = makeTempDir("projects");
  Object.assign(context, { root: temp.path, remove: temp.remove });
  await writeTree(context.root, {
    "base/chat.yaml": endpoint,
    "envs/prod/ark-sync.yaml": overlay(
      "bases: [../../base]\nname_suffix: -prod\nregion: cn-shanghai\nstate: git:ark-sync-state-prod\n",
    ),
    "envs/staging/ark-sync.yaml": overlay(
      "bases: [../../base]\nname_suffix: -staging\nstate: local:state.json\n",
    ),
    "teams/search/ark-sync.yaml": overlay("api_url: http://127.0.0.1:8787\nenvironment: search-production\n"),
    "teams/search/search.yaml": endpoint,
    "teams/search/nested/ark-sync.yaml": overlay(""), // inside a project: its own
    "node_modules/pkg/ark-sync.yaml": overlay(""),
    ".hidden/ark-sync.yaml": overlay(""),
    "README.md": "fleet\n",
  });
  git(context.root, ["init", "--quiet", "--initial-branch=main"]);
  git(context.root, ["add", "."]);
  git(context.root, ["commit", "--quiet", "-m", "fleet"]);
  git(context.root, ["checkout", "--quiet", "-b", "change"]);
});

test.after.each(({ remove }) => remove());

function commit(root: string, message: string): void {
  git(root, ["add", "-A"]);
  git(root, ["commit", "--quiet", "-m", message]);
}

/** The directories `projects --json` lists, relative to the root. */
async function listed(root: string, changedSince?: string): Promise<string[]> {
  const options = { root, json: true, ...(changedSince === undefined ? {} : { changedSince }) };
  const run = await runHere(projects.run, options);
  assert.is(run.error, undefined);
  assert.is(run.code, 0);
  const matrix = JSON.parse(run.io.stdout) as { include: Array<{ dir: string }> };
  return matrix.include.map(({ dir }) => dir.slice(root.length + 1));
}

test("--json is a matrix: every project, sorted, with what its ark-sync.yaml gives and null for the rest", async ({
  root,
}) => {
  const run = await runHere(projects.run, { root, json: true }, testContext({ cwd: root }));
  assert.is(run.code, 0);
  assert.is(run.io.stderr, "");
  assert.ok(run.io.stdout.endsWith("}\n") && !run.io.stdout.slice(0, -1).includes("\n"), "one line");
  assert.equal(JSON.parse(run.io.stdout), {
    include: [
      {
        dir: `${root}/envs/prod`,
        region: "cn-shanghai",
        api_url: null,
        state: "git:ark-sync-state-prod",
        environment: "ark-sync-apply/envs/prod",
      },
      {
        dir: `${root}/envs/staging`,
        region: null,
        api_url: null,
        state: `local:${root}/envs/staging/state.json`,
        environment: "ark-sync-apply/envs/staging",
      },
      {
        dir: `${root}/teams/search`,
        region: null,
        api_url: "http://127.0.0.1:8787",
        state: null,
        environment: "search-production",
      },
    ],
  });
});

test("environment: the default names the directory from the working directory, however ROOT is written", async ({
  root,
}) => {
  const environments = async (listRoot: string, cwd: string) => {
    const run = await runHere(projects.run, { root: listRoot, json: true }, testContext({ cwd }));
    assert.is(run.code, 0, run.io.stderr);
    return (JSON.parse(run.io.stdout) as { include: Array<{ environment: string }> }).include.map(
      (entry) => entry.environment,
    );
  };
  const expected = ["ark-sync-apply/envs/prod", "ark-sync-apply/envs/staging"];
  assert.equal(await environments(join(root, "envs"), root), expected);
  assert.equal(await environments(`${root}/envs/../envs/`, root), expected);
  const prod = join(root, "envs/prod");
  assert.equal(await environments(prod, prod), ["ark-sync-apply"], "the working directory itself");
});

test("environment: ark-sync-plan, the plan jobs' environment, is refused where it is written", async ({
  root,
}) => {
  await writeTree(root, { "teams/search/ark-sync.yaml": overlay("environment: ARK-SYNC-plan\n") });
  const run = await runHere(projects.run, { root, json: true }, testContext({ cwd: root }));
  assert.is(run.code, 0);
  assert.match(
    run.io.stderr.replaceAll("\n", " "),
    `${root}/teams/search/ark-sync.yaml:3:14: environment 'ARK-SYNC-plan' is the plan jobs' environment`,
  );
  const matrix = JSON.parse(run.io.stdout) as { include: Array<{ dir: string; environment: string }> };
  assert.equal(
    matrix.include.map(({ dir, environment }) => [dir.slice(root.length + 1), environment]),
    [
      ["envs/prod", "ark-sync-apply/envs/prod"],
      ["envs/staging", "ark-sync-apply/envs/staging"],
      ["teams/search", "ark-sync-apply/teams/search"],
    ],
    "a directory with that problem gets its own, empty environment",
  );
});

test("without --json, a table, with - for what is not set", async ({ root }) => {
  const run = await runHere(projects.run, { root, json: false }, testContext({ cwd: root }));
  assert.is(run.code, 0);
  const lines = run.io.stdout.split("\n");
  assert.is(lines.pop(), "");
  assert.equal(
    lines.map((line) => line.replaceAll(root, "R").split(/ {2,}/)),
    [
      ["DIR", "REGION", "STATE", "ENVIRONMENT", "API URL"],
      ["R/envs/prod", "cn-shanghai", "git:ark-sync-state-prod", "ark-sync-apply/envs/prod", "-"],
      ["R/envs/staging", "-", "local:R/envs/staging/state.json", "ark-sync-apply/envs/staging", "-"],
      ["R/teams/search", "-", "-", "search-production", "http://127.0.0.1:8787"],
    ],
  );
  const starts = (line: string) =>
    [...line.matchAll(/(?:^| {2,})(\S)/g)].map((match) => match.index + match[0].length - 1);
  assert.ok(
    lines.every((line) => String(starts(line)) === String(starts(lines[0] ?? ""))),
    "columns aligned",
  );
});

test("--changed-since: a change in a base lists every project built on it, and only those", async ({
  root,
}) => {
  assert.equal(await listed(root, "main"), [], "nothing changed yet");
  await writeTree(root, { "base/chat.yaml": `${endpoint}description: changed\n` });
  assert.equal(await listed(root, "main"), ["envs/prod", "envs/staging"], "uncommitted");
  commit(root, "base");
  assert.equal(await listed(root, "main"), ["envs/prod", "envs/staging"], "committed");
});

test("--changed-since: an untracked file counts; a file in no project, and a directory that lost its ark-sync.yaml, list nothing", async ({
  root,
}) => {
  await writeTree(root, { "teams/search/new.yaml": endpoint });
  assert.equal(await listed(root, "main"), ["teams/search"], "untracked");
  commit(root, "new");
  git(root, ["mv", "envs/staging/ark-sync.yaml", "README-staging.md"]);
  commit(root, "moved away");
  assert.equal(await listed(root, "main"), ["teams/search"], "staging has no ark-sync.yaml any more");
  await writeTree(root, { "README.md": "unrelated\n" });
  assert.equal(await listed(root, "main"), ["teams/search"], "a file in no project changes none");
});

test("--changed-since: a change to a project's policy file lists it, wherever the file is kept", async ({
  root,
}) => {
  await writeTree(root, {
    "policies/owner.yaml": "title: every endpoint has an owner\ntype: object\n",
    "envs/prod/ark-sync.yaml": overlay("bases: [../../base]\npolicies: [../../policies/owner.yaml]\n"),
  });
  commit(root, "policy");
  git(root, ["checkout", "--quiet", "-b", "policy-change"]);
  assert.equal(await listed(root, "change"), [], "nothing changed since");
  await writeTree(root, {
    "policies/owner.yaml": "title: every endpoint has an owner\ntype: object\nrequired: [tags]\n",
  });
  assert.equal(await listed(root, "change"), ["envs/prod"], "only the project that names it");
});

test("--changed-since compares with where the branch left REF, not with REF's later commits", async ({
  root,
}) => {
  git(root, ["checkout", "--quiet", "main"]);
  await writeTree(root, { "teams/search/later.yaml": endpoint });
  commit(root, "later on main");
  git(root, ["checkout", "--quiet", "change"]);
  assert.equal(await listed(root, "main"), []);
});

test("--changed-since: a project whose ark-sync.yaml has problems is listed, with them on stderr", async ({
  root,
}) => {
  await writeTree(root, { "teams/search/ark-sync.yaml": overlay("region: [not, a, string]\n") });
  commit(root, "broken");
  git(root, ["checkout", "--quiet", "-b", "later"]);
  const run = await runHere(
    projects.run,
    { root, json: true, changedSince: "HEAD" },
    testContext({ cwd: root }),
  );
  assert.is(run.code, 0);
  assert.equal(JSON.parse(run.io.stdout), {
    include: [
      {
        dir: `${root}/teams/search`,
        region: null,
        api_url: null,
        state: null,
        environment: "ark-sync-apply/teams/search",
      },
    ],
  });
  assert.match(run.io.stderr, `${root}/teams/search/ark-sync.yaml:3:`);
});

test("--changed-since with no revision is a usage error that says what to pass, never an empty list", async ({
  root,
}) => {
  for (const changedSince of ["", "  "]) {
    const run = await runLikeCli(projects.run, { root, json: true, changedSince }, testContext());
    assert.is(run.code, 1, JSON.stringify(changedSince));
    assert.is(run.stdout, "", "no matrix at all");
    assert.match(
      run.stderr,
      "Error: --changed-since was given no revision\nHint: Pass the commit to compare with",
    );
    assert.match(run.stderr, "to list every project, leave --changed-since out.");
  }
  // As a workflow passes it: the flag last, its value an expression that came out empty.
  const cli = await runCli(["projects", root, "--json", "--changed-since"], { env: cleanEnv() });
  assert.is(cli.code, 1, cli.stderr);
  assert.is(cli.stdout, "");
  assert.match(cli.stderr, "--changed-since was given no revision");
});

test("errors: an unknown revision, a revision that looks like a flag, a missing root", async ({ root }) => {
  const unknown = await runLikeCli(projects.run, { root, json: true, changedSince: "nope" }, testContext());
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, "git diff failed");
  const flag = await runHere(projects.run, { root, json: true, changedSince: "--output=x" });
  assert.is((flag.error as { code?: string }).code, "invalid_arguments");
  const missing = await runHere(projects.run, { root: join(root, "nowhere"), json: true });
  assert.is((missing.error as { code?: string }).code, "manifest_dir_not_found");
});

test.run();
