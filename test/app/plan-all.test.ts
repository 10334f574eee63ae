// `plan --all` in this process against the emulator over loopback: every project under a root planned
// in one run, each under its own heading in order, against its own state; a broken project fails the
// run without hiding the others' plans.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as planAll from "../../src/app/plan-all.js";
import { type Emulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { parsePlanJson } from "../../src/render/plan-json.js";
import { parsePlansIndex } from "../../src/render/plans-index.js";
import { git } from "../state/helpers.js";
import { runLikeCli, testContext } from "./context.js";
import { writeTree } from "./file-tree.js";

const credentials = { accessKey: "AKLTplanAllAccessKey1", secretKey: "planAll/Secret+Key==01" };
const env = { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey };

interface Context {
  emulator: Emulator;
  root: string;
}

const test = suite<Context>("plan --all");

test.before.each(async (context) => {
  context.emulator = await startEmulator({ ...credentials, provisioningDelayMs: 10 });
  context.root = await mkdtemp(join(tmpdir(), "ark-sync-plan-all-"));
  // Bases must lie in the repository that holds the directory (docs/manifests.md#overlays-ark-syncyaml).
  git(context.root, ["init", "--quiet", "--initial-branch=main"]);
});

test.after.each(async ({ emulator, root }) => {
  await emulator.close();
  await rm(root, { recursive: true, force: true });
});

const endpoint = (name: string) => `apiVersion: ark-sync/v1
kind: Endpoint
name: ${name}
model_reference:
  foundation_model: {name: doubao-1-5-pro-32k, model_version: "250115"}
`;

const config = (url: string, suffix: string, base = "../../base") =>
  `apiVersion: ark-sync/v1\nkind: Config\nbases: [${base}]\nname_suffix: -${suffix}\napi_url: ${url}\n`;

function runPlanAll({ root }: Context, extra: Partial<planAll.PlanAllOptions> = {}) {
  const options: planAll.PlanAllOptions = {
    root,
    ark: { parallelism: 10 },
    json: false,
    detailedExitcode: true,
    refresh: true,
    targets: [],
    allowEmpty: false,
    arkDryRun: true,
    ...extra,
  };
  return runLikeCli(planAll.run, options, testContext({ env }));
}

test("--json prints one JSON document: each directory's plan, or its error", async (context) => {
  const { root, emulator } = context;
  await writeTree(root, {
    "base/chat.yaml": endpoint("chat"),
    "envs/prod/ark-sync.yaml": config(emulator.url, "prod"),
    "envs/broken/ark-sync.yaml": config(emulator.url, "broken", "../../nowhere"),
  });
  const result = await runPlanAll(context, { json: true });
  assert.is(result.code, 1, result.stderr);
  const document = JSON.parse(result.stdout) as {
    projects: {
      dir: string;
      exit_code: number;
      plan?: { summary: unknown };
      error?: { message: string };
      diagnostics?: { file: string; code: string }[];
    }[];
  };
  assert.equal(
    document.projects.map((entry) => [entry.dir, entry.exit_code, "plan" in entry, "error" in entry]),
    [
      [join(root, "envs/broken"), 1, false, true],
      [join(root, "envs/prod"), 2, true, false],
    ],
  );
  assert.equal(document.projects[1]?.plan?.summary, { add: 1, change: 0, destroy: 0 });
  assert.match(document.projects[0]?.error?.message ?? "", "nowhere");
  // Invalid manifests: the entry also carries validate --json's diagnostics (issue 20).
  assert.ok((document.projects[0]?.diagnostics ?? []).length > 0, result.stdout);
  assert.not.ok("diagnostics" in (document.projects[1] ?? {}));
  assert.not.match(result.stdout, "###", "the headings are on stderr only");
  assert.match(result.stderr, `### ${join(root, "envs/broken")}`);
});

test("every project is planned under its own heading, in order, and the exit code is the worst", async (context) => {
  const { root, emulator } = context;
  await writeTree(root, {
    "base/chat.yaml": endpoint("chat"),
    "envs/prod/ark-sync.yaml": config(emulator.url, "prod"),
    "envs/staging/ark-sync.yaml": config(emulator.url, "staging"),
  });
  const changes = await runPlanAll(context);
  assert.is(changes.code, 2, changes.stderr);
  const prod = changes.stdout.indexOf(`### ${join(root, "envs/prod")}`);
  const staging = changes.stdout.indexOf(`### ${join(root, "envs/staging")}`);
  assert.ok(prod >= 0 && staging > prod, changes.stdout);
  assert.match(changes.stdout.slice(prod, staging), "default/chat-prod will be created");
  assert.match(changes.stdout.slice(staging), "default/chat-staging will be created");
  assert.match(changes.stderr, "Planned 2 directories: none failed.");

  await writeTree(root, { "envs/broken/ark-sync.yaml": config(emulator.url, "broken", "../../nowhere") });
  const broken = await runPlanAll(context);
  assert.is(broken.code, 1);
  assert.match(broken.stdout, "default/chat-prod will be created", "the other plans are still shown");
  assert.match(broken.stderr, `### ${join(root, "envs/broken")}`);
  assert.match(broken.stderr, `1 failed (${join(root, "envs/broken")})`);
  assert.is(emulator.listEndpoints().length, 0, "a plan changes nothing");
});

test("--out DIR saves every plan with an index; a directory that cannot be planned is listed with its error", async (context) => {
  const { root, emulator } = context;
  await writeTree(root, {
    "base/chat.yaml": endpoint("chat"),
    "envs/broken/ark-sync.yaml": config(emulator.url, "broken", "../../nowhere"),
    "envs/prod/ark-sync.yaml": config(emulator.url, "prod"),
  });
  const plans = join(root, "plans");
  // A first run plans envs/broken; its saved plan must not pass for the second run's.
  await writeTree(root, { "envs/broken/ark-sync.yaml": config(emulator.url, "broken") });
  assert.is((await runPlanAll(context, { out: plans })).code, 2);
  assert.is((await readdir(plans)).length, 3);
  await writeTree(root, { "envs/broken/ark-sync.yaml": config(emulator.url, "broken", "../../nowhere") });
  const result = await runPlanAll(context, { out: plans });
  assert.is(result.code, 1, result.stderr);
  assert.match(
    result.stderr,
    `Saved the plans in ${plans}. To post them on the pull request: ark-sync comment ${plans}`,
  );

  const index = parsePlansIndex(await readFile(join(plans, "plans.json"), "utf8"), "plans.json");
  assert.equal(
    index.map(({ dir, exit_code }) => ({ dir, exit_code })),
    [
      { dir: join(root, "envs/broken"), exit_code: 1 },
      { dir: join(root, "envs/prod"), exit_code: 2 },
    ],
  );
  const [broken, prod] = index;
  assert.is(broken?.file, null);
  assert.match(broken?.error ?? "", "nowhere");
  assert.ok(prod?.file);
  assert.match(
    result.stderr,
    `To apply exactly this plan: ark-sync apply ${join(plans, prod.file)} --dir ${join(root, "envs/prod")}\n`,
    "the hint names the directory whose state and connection the plan needs",
  );
  const saved = parsePlanJson(await readFile(join(plans, prod.file), "utf8"), prod.file);
  assert.equal(
    saved.resource_changes.map((rc) => [rc.address, rc.change.actions]),
    [["default/chat-prod", ["create"]]],
  );
  assert.equal((await readdir(plans)).sort(), [prod.file, "plans.json"].sort(), "the stale file is gone");
});

test("--changed-since REF plans only the directories whose files or bases' files changed", async (context) => {
  const { root, emulator } = context;
  await writeTree(root, {
    "base/chat.yaml": endpoint("chat"),
    "envs/prod/ark-sync.yaml": config(emulator.url, "prod"),
    "envs/staging/ark-sync.yaml": config(emulator.url, "staging"),
    "teams/search/ark-sync.yaml": `apiVersion: ark-sync/v1\nkind: Config\napi_url: ${emulator.url}\n`,
    "teams/search/search.yaml": endpoint("search"),
  });
  git(root, ["init", "-q", "-b", "main"]);
  git(root, ["add", "."]);
  git(root, ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "start"]);
  git(root, ["switch", "-q", "-c", "change"]);

  await writeTree(root, { "teams/search/search.yaml": endpoint("search-v2") });
  const one = await runPlanAll(context, { changedSince: "main" });
  assert.is(one.code, 2, one.stderr);
  assert.match(one.stderr, "1 directory of 3 changed since main.");
  assert.match(one.stdout, "default/search-v2 will be created");
  assert.not.match(one.stdout, "chat-prod");

  await writeTree(root, { "base/chat.yaml": endpoint("chat-v2") });
  const three = await runPlanAll(context, { changedSince: "main" });
  assert.match(three.stderr, "3 directories of 3 changed since main.");
  assert.match(three.stdout, "default/chat-v2-prod will be created");
  assert.match(three.stdout, "default/chat-v2-staging will be created");

  git(root, ["add", "."]);
  git(root, ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "rename"]);
  const none = await runPlanAll(context, { changedSince: "HEAD", root: join(root, "envs") });
  assert.is(none.code, 0, "no directory changed is no error");
  assert.match(none.stderr, "Planned 0 directories: none failed.");
});

test("--changed-since with no revision is refused before anything is planned", async (context) => {
  await writeTree(context.root, { "teams/search/ark-sync.yaml": "apiVersion: ark-sync/v1\nkind: Config\n" });
  const result = await runPlanAll(context, { changedSince: "" });
  assert.is(result.code, 1);
  assert.is(result.stdout, "");
  assert.match(result.stderr, "Error: --changed-since was given no revision");
});

test("a root with no ark-sync.yaml is a usage error", async (context) => {
  await writeTree(context.root, { "manifests/chat.yaml": endpoint("chat") });
  const result = await runPlanAll(context);
  assert.is(result.code, 1);
  assert.match(result.stderr, "has an ark-sync.yaml");
});

test.run();
