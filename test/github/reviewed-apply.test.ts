// `apply --require-reviewed` end to end, in this process, against the Ark emulator and the fake GitHub
// API over HTTP (docs/github.md#applying-only-the-reviewed-plan): a pull request is planned and
// commented, merged, and its merge commit applies exactly that plan and reports on the pull request;
// a plan whose base changed after review, or a commit from no pull request, is refused with nothing
// sent to Ark.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { run as runApply } from "../../src/app/apply.js";
import { run as runComment } from "../../src/app/comment.js";
import { run as runPlan } from "../../src/app/plan.js";
import type { Emulator } from "../../src/emulator/start-emulator.js";
import { commentMarker } from "../../src/github/comment-marker.js";
import { readPlanRecord } from "../../src/github/plan-record.js";
import { runLikeCli, testContext } from "../app/context.js";
import {
  applyOptions,
  cloudEnv,
  endpointYaml,
  makeWorkspace,
  startCloud,
  type Workspace,
} from "../apply/helpers.js";
import { ACTIONS_BOT, FakeGitHub } from "./fake-github.js";

const TOKEN = "ghs_FAKEreviewToken0123456789abcdef";
const MARKER = commentMarker("manifests");

interface Story {
  cloud: Emulator;
  github: FakeGitHub;
  ws: Workspace;
}

const tests = suite<Story>("apply --require-reviewed");
tests.before.each(async (story) => {
  story.cloud = await startCloud();
  story.github = new FakeGitHub();
  await story.github.start();
  story.github.tokens.set(TOKEN, { user: ACTIONS_BOT, installation: true });
  story.ws = await makeWorkspace();
});
tests.after.each(async ({ cloud, github, ws }) => {
  await cloud?.close();
  await github?.stop();
  await ws?.dispose();
});

function githubEnv(story: Story, extra: Record<string, string>): Record<string, string> {
  return {
    ...cloudEnv,
    GITHUB_TOKEN: TOKEN,
    GITHUB_REPOSITORY: "acme/infra",
    GITHUB_API_URL: story.github.url,
    GITHUB_SERVER_URL: "https://github.test",
    GITHUB_RUN_ID: "4242",
    ...extra,
  };
}

/** The pull-request workflow: `plan --out`, then `comment` on pull request `number`. */
async function planOnPullRequest(story: Story, number: number): Promise<void> {
  const { ws, cloud } = story;
  const eventPath = join(ws.root, `event-${number}.json`);
  const repo = { full_name: "acme/infra" };
  await writeFile(eventPath, JSON.stringify({ pull_request: { number, head: { repo }, base: { repo } } }));
  const ctx = () => testContext({ env: githubEnv(story, { GITHUB_EVENT_PATH: eventPath }), cwd: ws.root });
  const planned = await runLikeCli(
    runPlan,
    {
      dir: ws.manifests,
      ark: { apiUrl: cloud.url, region: "cn-beijing", parallelism: 10 },
      out: `plan-${number}.json`,
      json: false,
      detailedExitcode: false,
      refresh: true,
      targets: [],
      allowEmpty: false,
      arkDryRun: false,
    },
    ctx(),
  );
  assert.is(planned.code, 0, planned.stderr);
  const commented = await runLikeCli(
    runComment,
    { planFile: `plan-${number}.json`, dir: "manifests", labels: true },
    ctx(),
  );
  assert.is(commented.code, 0, commented.stderr);
}

/** The push workflow on the default branch: `apply manifests --require-reviewed` for `sha`. */
function applyReviewed(story: Story, sha: string) {
  const { ws, cloud } = story;
  return runLikeCli(
    runApply,
    applyOptions(cloud, ws.manifests, { autoApprove: false, requireReviewed: true }),
    testContext({ env: githubEnv(story, { GITHUB_SHA: sha }), cwd: ws.root }),
  );
}

function merge(story: Story, number: number, sha: string): void {
  story.github.pullRequests.push({ number, commits: [sha.replace(/^./, "f")], mergeCommitSha: sha });
}

function commentOn(story: Story, number: number): string {
  const comments = story.github.commentsOn(number);
  assert.is(comments.length, 1, `one ark-sync comment on #${number}`);
  return comments[0]?.body ?? "";
}

function changesSent(cloud: Emulator): number {
  const { byAction } = cloud.stats();
  return ["CreateEndpoint", "UpdateEndpoint", "DeleteEndpoint", "CreateEndpointRolling"].reduce(
    (sum, action) => sum + (byAction[action] ?? 0),
    0,
  );
}

const SHA1 = "1".repeat(40);
const SHA2 = "2".repeat(40);
const SHA3 = "3".repeat(40);

tests(
  "a merged pull request applies exactly its reviewed plan, and the outcome shows on it",
  async (story) => {
    await story.ws.write("chat.yaml", endpointYaml("chat"));
    await story.ws.write("batch.yaml", endpointYaml("batch"));
    await planOnPullRequest(story, 7);
    const reviewed = commentOn(story, 7);
    assert.ok(readPlanRecord(reviewed), "the comment carries the plan record");
    assert.equal(story.github.issueLabels.get(7), ["ark-sync:changes"]);

    merge(story, 7, SHA1);
    const applied = await applyReviewed(story, SHA1);
    assert.is(applied.code, 0, applied.stderr);
    assert.match(applied.stderr, "The plan is the one reviewed on pull request #7.");
    assert.is(story.cloud.listEndpoints().length, 2);

    const body = commentOn(story, 7);
    assert.ok(
      body.startsWith(`${MARKER}\n<!-- ark-sync:result -->\n<!-- ark-sync:applied ${SHA1} -->\n> [!NOTE]\n`),
    );
    assert.match(body, "**Apply complete! Resources: 2 added, 0 changed, 0 destroyed.**");
    assert.match(body, `commit \`${SHA1.slice(0, 12)}\``);
    assert.match(body, "[workflow run](https://github.test/acme/infra/actions/runs/4242)");
    assert.ok(body.endsWith(reviewed.slice(reviewed.lastIndexOf("\n"))), "the reviewed plan's record stays");
    assert.ok(body.includes(reviewed.slice(MARKER.length + 1)), "and so does the reviewed plan");

    // Re-running the job on the same commit finds nothing left to do and leaves the outcome alone.
    story.cloud.resetStats();
    const again = await applyReviewed(story, SHA1);
    assert.is(again.code, 0, again.stderr);
    assert.match(again.stderr, "This commit's reviewed plan was already applied");
    assert.is(changesSent(story.cloud), 0);
    assert.is(commentOn(story, 7), body);

    // Once something changed since, a re-run is refused, and that outcome replaces the earlier one.
    const batch = story.cloud.listEndpoints().find((endpoint) => endpoint.Name === "batch");
    await story.cloud.deleteEndpoint(batch?.Id ?? "");
    const stale = await applyReviewed(story, SHA1);
    assert.is(stale.code, 1, "the reviewed plan is stale now");
    const after = commentOn(story, 7);
    assert.is(after.split("<!-- ark-sync:result -->").length, 2);
    assert.match(after, "**Not applied**");
  },
);

tests(
  "a console change after review: refused, nothing sent to Ark, and the pull request says why",
  async (story) => {
    const { ws, cloud } = story;
    await ws.write("chat.yaml", endpointYaml("chat"));
    await ws.write("batch.yaml", endpointYaml("batch", { description: "nightly batch" }));
    await planOnPullRequest(story, 7);
    merge(story, 7, SHA1);
    assert.is((await applyReviewed(story, SHA1)).code, 0);

    await ws.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 50 } }));
    await planOnPullRequest(story, 8);
    const batch = cloud.listEndpoints().find((endpoint) => endpoint.Name === "batch");
    await cloud.changeEndpoint(batch?.Id ?? "", { Description: "changed in the console" });
    merge(story, 8, SHA2);
    cloud.resetStats();

    const refused = await applyReviewed(story, SHA2);
    assert.is(refused.code, 1);
    assert.is(changesSent(cloud), 0, "no create, update or delete reached Ark");
    assert.match(
      refused.stderr,
      "Not applied: the plan has changed since it was reviewed on pull request #8",
    );
    assert.match(refused.stderr, "default/batch: no change → update in place");
    assert.match(refused.stderr, "What changed outside ark-sync is not what the reviewed plan reported.");
    assert.match(
      refused.stderr,
      "Hint: To apply these manifests, get their plan reviewed: open a new pull request",
    );
    assert.is(cloud.listEndpoints().find((e) => e.Name === "chat")?.RateLimit?.Rpm ?? null, null);

    const body = commentOn(story, 8);
    assert.ok(body.startsWith(`${MARKER}\n<!-- ark-sync:result -->\n> [!WARNING]\n`));
    assert.match(body, "**Not applied** at commit `222222222222`");
    assert.match(
      body,
      "the plan has changed since it was reviewed for `manifests`. Nothing was sent to Ark.",
    );
    assert.match(body, "> - `default/batch`: no change → update in place");
    assert.match(body, "Plan: 0 to add, 1 to change, 0 to destroy.");
    assert.match(body, "Plan: 0 to add, 2 to change, 0 to destroy.");
    assert.match(body, "open a new pull request");
    assert.ok(body.length <= 65_536);
  },
);

tests(
  "a pull request that destroys an endpoint carries ark-sync:destroy, and applies once merged",
  async (story) => {
    await story.ws.write("chat.yaml", endpointYaml("chat"));
    await story.ws.write("batch.yaml", endpointYaml("batch"));
    await planOnPullRequest(story, 7);
    merge(story, 7, SHA1);
    assert.is((await applyReviewed(story, SHA1)).code, 0);

    await story.ws.remove("batch.yaml");
    await planOnPullRequest(story, 9);
    assert.equal([...(story.github.issueLabels.get(9) ?? [])].sort(), [
      "ark-sync:changes",
      "ark-sync:destroy",
    ]);
    merge(story, 9, SHA3);
    const applied = await applyReviewed(story, SHA3);
    assert.is(applied.code, 0, applied.stderr);
    assert.equal(
      story.cloud.listEndpoints().map((endpoint) => endpoint.Name),
      ["chat"],
    );
    assert.match(commentOn(story, 9), "**Apply complete! Resources: 0 added, 0 changed, 1 destroyed.**");
  },
);

tests("another apply between review and merge: refused, the state moved on", async (story) => {
  const { ws, cloud } = story;
  await ws.write("chat.yaml", endpointYaml("chat"));
  await planOnPullRequest(story, 7);
  merge(story, 7, SHA1);
  assert.is((await applyReviewed(story, SHA1)).code, 0);

  // #8 and #9 are both reviewed against the same state; #9 merges first.
  await ws.write("chat.yaml", endpointYaml("chat", { description: "eight" }));
  await planOnPullRequest(story, 8);
  await ws.write("chat.yaml", endpointYaml("chat", { description: "nine" }));
  await planOnPullRequest(story, 9);
  merge(story, 9, SHA3);
  assert.is((await applyReviewed(story, SHA3)).code, 0);

  await ws.write("chat.yaml", endpointYaml("chat", { description: "eight" }));
  merge(story, 8, SHA2);
  cloud.resetStats();
  const refused = await applyReviewed(story, SHA2);
  assert.is(refused.code, 1);
  assert.is(changesSent(cloud), 0);
  assert.match(refused.stderr, "The state was written since review");
  assert.match(refused.stderr, "default/chat: the same action, with other values");
  assert.is(cloud.listEndpoints()[0]?.Description, "nine");
  assert.match(commentOn(story, 8), "**Not applied**");
});

tests("a commit that belongs to no pull request is refused before anything reaches Ark", async (story) => {
  await story.ws.write("chat.yaml", endpointYaml("chat"));
  story.cloud.resetStats();
  const refused = await applyReviewed(story, SHA3);
  assert.is(refused.code, 1);
  assert.match(
    refused.stderr,
    `Error: Not applied: commit ${SHA3.slice(0, 12)} belongs to no pull request, so no plan of it was reviewed. Nothing was sent to Ark.`,
  );
  assert.is(story.cloud.stats().requests, 0);
  assert.is(story.github.comments.length, 0);
});

tests(
  "a pull request without an ark-sync plan is refused, and says so on the pull request",
  async (story) => {
    await story.ws.write("chat.yaml", endpointYaml("chat"));
    merge(story, 5, SHA1);
    story.cloud.resetStats();
    const refused = await applyReviewed(story, SHA1);
    assert.is(refused.code, 1);
    assert.match(refused.stderr, "pull request #5 has no ark-sync comment for this directory");
    assert.is(story.cloud.stats().requests, 0);
    const body = commentOn(story, 5);
    assert.ok(body.startsWith(`${MARKER}\n<!-- ark-sync:result -->\n> [!WARNING]\n`));
    assert.match(body, "no reviewed plan: pull request #5 has no ark-sync comment for this directory");
  },
);

tests.run();
