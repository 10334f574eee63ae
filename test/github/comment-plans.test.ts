// `plan --all --out DIR` then `comment DIR`, on the emulator and a local fake of GitHub over HTTP: one
// sticky comment per directory, each with its own plan record; a directory that could not be planned
// gets its error in place of a stale plan; the labels follow the plans together; the job summary has
// every directory.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as comment from "../../src/app/comment.js";
import * as planAll from "../../src/app/plan-all.js";
import { type Emulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { commentMarker } from "../../src/github/comment-marker.js";
import { readPlanRecord } from "../../src/github/plan-record.js";
import { runLikeCli, testContext } from "../app/context.js";
import { writeTree } from "../app/file-tree.js";
import { git } from "../state/helpers.js";
import { ACTIONS_BOT, FakeGitHub } from "./fake-github.js";

const TOKEN = "ghs_FAKEtokenPlans0123456789abcdefABCD";
const credentials = { accessKey: "AKLTcommentPlansKey01", secretKey: "commentPlans/Secret+Key==01" };

interface Context {
  emulator: Emulator;
  github: FakeGitHub;
  root: string;
  env: Record<string, string>;
}

const test = suite<Context>("comment DIR: the plans of plan --all");

test.before.each(async (context) => {
  context.emulator = await startEmulator({ ...credentials, provisioningDelayMs: 10 });
  context.github = new FakeGitHub();
  await context.github.start();
  context.github.tokens.set(TOKEN, { user: ACTIONS_BOT, installation: true });
  context.root = await mkdtemp(join(tmpdir(), "ark-sync-comment-plans-"));
  // Bases must lie in the repository that holds the directory (docs/manifests.md#overlays-ark-syncyaml).
  git(context.root, ["init", "--quiet"]);
  const eventPath = join(context.root, "event.json");
  const repo = { full_name: "acme/infra" };
  await writeFile(eventPath, JSON.stringify({ pull_request: { number: 7, head: { repo }, base: { repo } } }));
  context.env = {
    VOLC_ACCESSKEY: credentials.accessKey,
    VOLC_SECRETKEY: credentials.secretKey,
    GITHUB_TOKEN: TOKEN,
    GITHUB_REPOSITORY: "acme/infra",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_API_URL: context.github.url,
    GITHUB_STEP_SUMMARY: join(context.root, "summary.md"),
  };
});

test.after.each(async ({ emulator, github, root }) => {
  await emulator.close();
  await github.stop();
  await rm(root, { recursive: true, force: true });
});

const endpoint = (name: string) => `apiVersion: ark-sync/v1
kind: Endpoint
name: ${name}
model_reference:
  foundation_model: {name: doubao-1-5-pro-32k, model_version: "250115"}
`;

const config = (url: string, suffix: string) =>
  `apiVersion: ark-sync/v1\nkind: Config\nbases: [../../base]\nname_suffix: -${suffix}\napi_url: ${url}\n`;

async function planAndComment({ root, env }: Context) {
  const plans = join(root, "plans");
  const planned = await runLikeCli(
    planAll.run,
    {
      root: join(root, "envs"),
      out: plans,
      ark: { parallelism: 10 },
      json: false,
      detailedExitcode: true,
      refresh: true,
      targets: [],
      allowEmpty: false,
      arkDryRun: true,
    },
    testContext({ env }),
  );
  const commented = await runLikeCli(comment.run, { planFile: plans, labels: true }, testContext({ env }));
  return { planned, commented };
}

test("each directory gets its own comment with its own plan record; a broken one shows its error", async (context) => {
  const { root, emulator, github } = context;
  await writeTree(root, {
    "base/chat.yaml": endpoint("chat"),
    "envs/prod/ark-sync.yaml": config(emulator.url, "prod"),
    "envs/staging/ark-sync.yaml": config(emulator.url, "staging"),
    "envs/staging/extra.yaml":
      "apiVersion: ark-sync/v1\nkind: Endpoint\nname: extra\nrate_limit: {rpm: many}\n",
  });
  const { planned, commented } = await planAndComment(context);
  assert.is(planned.code, 1, planned.stderr);
  assert.is(commented.code, 0, commented.stderr);

  const prod = join(root, "envs/prod");
  const staging = join(root, "envs/staging");
  const byDir = (dir: string) =>
    github.commentsOn(7).filter((c) => c.body.startsWith(`${commentMarker(dir)}\n`));
  const [prodComment] = byDir(prod);
  const [stagingComment] = byDir(staging);
  assert.is(github.commentsOn(7).length, 2);
  assert.ok(prodComment && stagingComment);
  assert.match(prodComment.body, "**Plan: 1 to add, 0 to change, 0 to destroy.**");
  assert.match(prodComment.body, "default/chat-prod");
  assert.equal(
    readPlanRecord(prodComment.body)?.changes?.map((change) => change.address),
    ["default/chat-prod"],
    "apply envs/prod --require-reviewed finds its own record",
  );
  assert.match(stagingComment.body, "failed");
  assert.match(stagingComment.body, "extra.yaml:4:");
  assert.is(readPlanRecord(stagingComment.body), null, "nothing of a failed plan can be applied as reviewed");
  assert.equal(github.labelsOn(7), ["ark-sync:changes"]);
  assert.match(commented.stdout, `(${prod})`);

  const summary = await readFile(context.env.GITHUB_STEP_SUMMARY ?? "", "utf8");
  assert.ok(summary.indexOf(`\`${prod}\``) >= 0 && summary.indexOf(`\`${staging}\``) >= 0, summary);

  // Fixed: the failure is replaced by the plan in the same comment.
  await writeTree(root, { "envs/staging/extra.yaml": endpoint("extra") });
  const again = await planAndComment(context);
  assert.is(again.planned.code, 2, again.planned.stderr);
  assert.is(github.commentsOn(7).length, 2, "no new comment");
  assert.match(byDir(staging)[0]?.body ?? "", "default/extra-staging");
  assert.ok(readPlanRecord(byDir(staging)[0]?.body ?? ""));
});

test("a directory of plans takes no --dir, and an index naming a file elsewhere is refused", async (context) => {
  const plans = join(context.root, "plans");
  await writeTree(plans, {
    "plans.json": JSON.stringify({
      format_version: "1",
      plans: [{ dir: "x", file: "../secret.json", exit_code: 0 }],
    }),
  });
  const withDir = await runLikeCli(
    comment.run,
    { planFile: plans, dir: "manifests", labels: true },
    testContext({ env: context.env }),
  );
  assert.is(withDir.code, 1);
  assert.match(withDir.stderr, "--dir cannot be given with a directory of plans");
  const escaping = await runLikeCli(
    comment.run,
    { planFile: plans, labels: true },
    testContext({ env: context.env }),
  );
  assert.is(escaping.code, 1);
  assert.match(escaping.stderr, "is not an index of plans: plans[0]");
  assert.is(context.github.requests.length, 0, "nothing was posted");
});

test.run();
