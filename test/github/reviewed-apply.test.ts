// `apply --require-reviewed` end to end, in this process, against the Ark emulator and the fake GitHub
// API over HTTP (docs/github.md#applying-only-the-reviewed-plan): a pull request is planned and
// commented, approved, merged, and its merge commit applies exactly that plan and reports on the pull
// request. Each way the promise could be broken — an edited comment, GitHub unable to answer, no
// approval or one older than the plan, another head, a batch, a changed plan, a forged comment — is
// refused with nothing written to Ark, said on the pull request with a way forward, and that way
// forward (`apply --plan-hash`) works.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type ApplyOptions, run as runApply } from "../../src/app/apply.js";
import { run as runComment } from "../../src/app/comment.js";
import { run as runPlan } from "../../src/app/plan.js";
import type { Emulator } from "../../src/emulator/start-emulator.js";
import { renderCommentBody } from "../../src/github/comment-body.js";
import { commentMarker, resultMarker } from "../../src/github/comment-marker.js";
import { planRecordOf, readPlanRecord, renderPlanRecord } from "../../src/github/plan-record.js";
import { planOptionsFor, runLikeCli, testContext } from "../app/context.js";
import {
  applyOptions,
  cloudEnv,
  endpointYaml,
  makeWorkspace,
  nextPlan,
  startCloud,
  type Workspace,
} from "../apply/helpers.js";
import { ACTIONS_BOT, type FakeComment, FakeGitHub, type FakeUser, PR_AUTHOR } from "./fake-github.js";

const TOKEN = "ghs_FAKEreviewToken0123456789abcdef";
const MARKER = commentMarker("manifests");
const RESULT = resultMarker("manifests");
const REVIEWER: FakeUser = { login: "bob", type: "User" };
const WRITER: FakeUser = { login: "mallory", type: "User" };

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

/** A pull request's head commit: one per pull request and push. */
function head(number: number, push = 1): string {
  return `${number.toString(16).padStart(2, "0")}${push.toString(16).padStart(2, "0")}`.padEnd(40, "e");
}

/** The merge commit of pull request `number`. */
function mergeSha(number: number): string {
  return `${number.toString(16).padStart(2, "0")}`.padEnd(40, "c");
}

/** The pull-request workflow on `head(number, push)`: `plan --out`, then `comment`. */
async function planOnPullRequest(story: Story, number: number, push = 1): Promise<void> {
  const { ws, cloud, github } = story;
  const sha = head(number, push);
  const known = github.pullRequests.find((pr) => pr.number === number);
  if (known) known.commits.push(sha);
  else github.pullRequests.push({ number, commits: [sha], mergeCommitSha: null, author: PR_AUTHOR });
  const eventPath = join(ws.root, `event-${number}.json`);
  const repo = { full_name: "acme/infra" };
  await writeFile(
    eventPath,
    JSON.stringify({ pull_request: { number, head: { sha, repo }, base: { repo } } }),
  );
  const ctx = () => testContext({ env: githubEnv(story, { GITHUB_EVENT_PATH: eventPath }), cwd: ws.root });
  const planned = await runLikeCli(
    runPlan,
    planOptionsFor(
      ws.manifests,
      { apiUrl: cloud.url, region: "cn-beijing", parallelism: 10 },
      { out: `plan-${number}.json`, arkDryRun: false },
    ),
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

function approve(story: Story, number: number, by: FakeUser = REVIEWER): void {
  story.github.review(number, by);
}

function merge(story: Story, number: number): string {
  const pr = story.github.pullRequests.find((p) => p.number === number);
  assert.ok(pr, `pull request #${number} exists`);
  if (pr) pr.mergeCommitSha = mergeSha(number);
  return mergeSha(number);
}

/** The push workflow on the default branch: `apply manifests --require-reviewed` for `sha`. */
async function applyReviewed(
  story: Story,
  sha: string,
  options: { pushed?: string[]; extra?: Partial<ApplyOptions>; fastRetries?: boolean } = {},
) {
  const { ws, cloud } = story;
  const eventPath = join(ws.root, `push-${sha}.json`);
  await writeFile(eventPath, JSON.stringify({ commits: (options.pushed ?? [sha]).map((id) => ({ id })) }));
  return runLikeCli(
    runApply,
    applyOptions(cloud, ws.manifests, { autoApprove: false, requireReviewed: true, ...options.extra }),
    testContext({
      env: githubEnv(story, {
        GITHUB_SHA: sha,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_STEP_SUMMARY: join(ws.root, "summary.md"),
      }),
      cwd: ws.root,
      ...(options.fastRetries ? { sleep: async () => {} } : {}),
    }),
  );
}

/** The manual recovery run: `apply manifests --plan-hash HASH`. */
function applyHash(story: Story, hash: string) {
  const { ws, cloud } = story;
  return runLikeCli(
    runApply,
    applyOptions(cloud, ws.manifests, { autoApprove: false, planHash: hash }),
    testContext({
      env: githubEnv(story, { GITHUB_STEP_SUMMARY: join(ws.root, "summary.md") }),
      cwd: ws.root,
    }),
  );
}

function planComment(story: Story, number: number): FakeComment {
  const comments = story.github.commentsOn(number).filter((c) => c.body.startsWith(`${MARKER}\n`));
  assert.is(comments.length, 1, `one ark-sync plan comment on #${number}`);
  return comments[0] as FakeComment;
}

function resultOn(story: Story, number: number): string {
  const results = story.github.commentsOn(number).filter((c) => c.body.startsWith(`${RESULT}\n`));
  assert.is(results.length, 1, `one ark-sync result comment on #${number}`);
  return results[0]?.body ?? "";
}

function changesSent(cloud: Emulator): number {
  const { byAction } = cloud.stats();
  return ["CreateEndpoint", "UpdateEndpoint", "DeleteEndpoint", "CreateEndpointRolling"].reduce(
    (sum, action) => sum + (byAction[action] ?? 0),
    0,
  );
}

/** A reviewed, approved and applied pull request #7 with `chat` and `batch`. */
async function appliedBaseline(story: Story): Promise<void> {
  await story.ws.write("chat.yaml", endpointYaml("chat"));
  await story.ws.write("batch.yaml", endpointYaml("batch"));
  await planOnPullRequest(story, 7);
  approve(story, 7);
  const applied = await applyReviewed(story, merge(story, 7));
  assert.is(applied.code, 0, applied.stderr);
}

async function summary(story: Story): Promise<string> {
  return readFile(join(story.ws.root, "summary.md"), "utf8");
}

tests("the honest path: an approved pull request applies exactly its plan, and says so", async (story) => {
  await story.ws.write("chat.yaml", endpointYaml("chat"));
  await story.ws.write("batch.yaml", endpointYaml("batch"));
  await planOnPullRequest(story, 7);
  const reviewed = planComment(story, 7).body;
  assert.is(readPlanRecord(reviewed)?.head, head(7));
  assert.equal(story.github.issueLabels.get(7), ["ark-sync:changes"]);
  approve(story, 7);

  const sha = merge(story, 7);
  const applied = await applyReviewed(story, sha);
  assert.is(applied.code, 0, applied.stderr);
  assert.match(
    applied.stderr,
    "The plan is the one reviewed on pull request #7, and its comment shows exactly",
  );
  assert.is(story.cloud.listEndpoints().length, 2);
  assert.is(planComment(story, 7).body, reviewed, "the plan comment is left as the reviewers read it");
  const result = resultOn(story, 7);
  assert.ok(result.startsWith(`${RESULT}\n<!-- ark-sync:applied ${sha} -->\n> [!NOTE]\n`), result);
  assert.match(result, "**Apply complete! Resources: 2 added, 0 changed, 0 destroyed.**");
  assert.match(result, "[workflow run](https://github.test/acme/infra/actions/runs/4242)");

  // Re-running the job on the same commit finds nothing left to do and leaves the outcome alone.
  story.cloud.resetStats();
  const again = await applyReviewed(story, sha);
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stderr, "This commit's reviewed plan was already applied");
  assert.is(changesSent(story.cloud), 0);
  assert.is(resultOn(story, 7), result);

  // Once something changed since, a re-run is refused, and that outcome replaces the earlier one.
  const batch = story.cloud.listEndpoints().find((endpoint) => endpoint.Name === "batch");
  await story.cloud.deleteEndpoint(batch?.Id ?? "");
  const stale = await applyReviewed(story, sha);
  assert.is(stale.code, 1, "the reviewed plan is stale now");
  assert.match(resultOn(story, 7), "**Not applied**");
});

tests("an edited comment: the writer who edited it is named, and nothing reaches Ark", async (story) => {
  await appliedBaseline(story);
  await story.ws.remove("batch.yaml");
  await planOnPullRequest(story, 8);
  const comment = planComment(story, 8);
  assert.match(comment.body, "default/batch");
  approve(story, 8);
  // The insider keeps the record, so the hash would match, and shows reviewers "No changes.".
  const lines = comment.body.split("\n");
  story.github.editComment(comment, WRITER, [lines[0], "No changes.", lines[lines.length - 1]].join("\n"));
  approve(story, 8);
  story.cloud.resetStats();

  const refused = await applyReviewed(story, merge(story, 8));
  assert.is(refused.code, 1);
  assert.is(story.cloud.stats().requests, 0, "Ark was not even asked");
  assert.match(refused.stderr, "the plan comment was edited by someone other than ark-sync");
  assert.match(refused.stderr, "Edited by mallory at 2026-01-01T");
  const result = resultOn(story, 8);
  assert.match(result, "Edited by `mallory`");
  assert.match(result, "run the apply workflow by hand");
  assert.is(story.cloud.listEndpoints().length, 2, "batch was not destroyed");
});

tests(
  "a comment ark-sync's own identity rewrote to other text is refused at the visible text",
  async (story) => {
    await appliedBaseline(story);
    await story.ws.remove("batch.yaml");
    await planOnPullRequest(story, 8);
    const comment = planComment(story, 8);
    // Any workflow's GITHUB_TOKEN posts as github-actions[bot]: the edit history cannot tell it apart.
    const plan = (await nextPlan(story.cloud, story.ws.manifests)).plan;
    const record = readPlanRecord(comment.body);
    assert.ok(record);
    const forged = comment.body.replace(/Plan: 0 to add, 0 to change, 1 to destroy\./, "No changes.");
    assert.not.equal(forged, comment.body);
    story.github.editComment(comment, ACTIONS_BOT, forged);
    approve(story, 8);
    story.cloud.resetStats();

    const refused = await applyReviewed(story, merge(story, 8));
    assert.is(refused.code, 1, refused.stderr);
    assert.is(changesSent(story.cloud), 0);
    assert.match(refused.stderr, "the plan comment does not show what this plan would");
    assert.match(refused.stderr, "Line 4 shows **No changes.**");
    assert.match(
      await summary(story),
      `\`${plan.plan_hash}\``,
      "the fresh plan's hash is in the job summary",
    );
    assert.is(story.cloud.listEndpoints().length, 2);
  },
);

tests("GraphQL down: refused, the call is named, and nothing reaches Ark", async (story) => {
  await appliedBaseline(story);
  await story.ws.remove("batch.yaml");
  await planOnPullRequest(story, 8);
  approve(story, 8);
  story.github.inject(/^POST \/graphql$/, ...Array.from({ length: 5 }, () => ({ status: 502, body: {} })));
  story.cloud.resetStats();

  const refused = await applyReviewed(story, merge(story, 8), { fastRetries: true });
  assert.is(refused.code, 1);
  assert.is(story.cloud.stats().requests, 0);
  assert.match(refused.stderr, "GitHub could not be asked what was reviewed");
  assert.match(refused.stderr, "minimized state and edit history (GraphQL)");
  assert.match(resultOn(story, 8), "Without it ark-sync cannot tell what the reviewers read");
});

tests("an older minimized comment never stands in for the plan, whatever GraphQL says", async (story) => {
  await appliedBaseline(story);
  const earlier = planComment(story, 7);
  // #8 carries #7's comment, minimized, as an insider could leave it; its own plan failed to post.
  story.github.addComment(8, ACTIONS_BOT, earlier.body, true);
  await story.ws.remove("batch.yaml");
  story.github.pullRequests.push({ number: 8, commits: [head(8)], mergeCommitSha: null });
  approve(story, 8);
  const refused = await applyReviewed(story, merge(story, 8));
  assert.is(refused.code, 1);
  assert.match(refused.stderr, "pull request #8 has no ark-sync comment for this directory");

  story.github.graphqlNodes = "nulls";
  const blind = await applyReviewed(story, mergeSha(8));
  assert.is(blind.code, 1);
  assert.match(blind.stderr, "GraphQL API said nothing about comment");
  assert.is(story.cloud.listEndpoints().length, 2);
});

tests("two visible comments claiming to be the plan: refused", async (story) => {
  await appliedBaseline(story);
  await planOnPullRequest(story, 8);
  story.github.addComment(8, ACTIONS_BOT, planComment(story, 7).body.replace("chat", "chat"));
  approve(story, 8);
  const refused = await applyReviewed(story, merge(story, 8));
  assert.is(refused.code, 1);
  assert.match(refused.stderr, "2 visible comments claim to be the plan");
});

tests("no approval, the author's own, a bot's, or one withdrawn: refused", async (story) => {
  await appliedBaseline(story);
  await story.ws.write("chat.yaml", endpointYaml("chat", { description: "eight" }));
  await planOnPullRequest(story, 8);
  const sha = merge(story, 8);

  const none = await applyReviewed(story, sha);
  assert.is(none.code, 1);
  assert.match(none.stderr, "the plan was not approved: no one but its author approved the pull request");
  assert.match(resultOn(story, 8), "Approve the pull request");

  approve(story, 8, PR_AUTHOR);
  approve(story, 8, { login: "renovate[bot]", type: "Bot" });
  assert.is((await applyReviewed(story, sha)).code, 1, "neither the author nor a bot counts");

  approve(story, 8);
  story.github.review(8, REVIEWER, "CHANGES_REQUESTED");
  assert.is((await applyReviewed(story, sha)).code, 1, "an approval its reviewer withdrew does not count");

  story.cloud.resetStats();
  assert.is(changesSent(story.cloud), 0);
  approve(story, 8);
  const applied = await applyReviewed(story, sha);
  assert.is(applied.code, 0, applied.stderr);
  assert.is(story.cloud.listEndpoints().find((e) => e.Name === "chat")?.Description, "eight");
});

tests("an approval older than the plan comment's last change is refused", async (story) => {
  await appliedBaseline(story);
  await story.ws.write("chat.yaml", endpointYaml("chat", { description: "eight" }));
  await planOnPullRequest(story, 8);
  approve(story, 8);
  // A later push changes the plan; the comment is updated after the approval.
  await story.ws.write("chat.yaml", endpointYaml("chat", { description: "eight, and more" }));
  await planOnPullRequest(story, 8, 2);
  story.cloud.resetStats();

  const refused = await applyReviewed(story, merge(story, 8));
  assert.is(refused.code, 1);
  assert.match(refused.stderr, "are older than the plan comment's last update");
  assert.is(story.cloud.stats().requests, 0);
});

tests("--no-require-approval applies the reviewed plan without an approving review", async (story) => {
  await story.ws.write("chat.yaml", endpointYaml("chat"));
  await planOnPullRequest(story, 7);
  const applied = await applyReviewed(story, merge(story, 7), { extra: { requireApproval: false } });
  assert.is(applied.code, 0, applied.stderr);
  assert.is(story.cloud.listEndpoints().length, 1);
});

tests("a pull request merged from a head pushed after its last plan is refused", async (story) => {
  await appliedBaseline(story);
  await story.ws.write("chat.yaml", endpointYaml("chat", { description: "eight" }));
  await planOnPullRequest(story, 8);
  approve(story, 8);
  story.github.pullRequests.find((pr) => pr.number === 8)?.commits.push(head(8, 2));
  story.cloud.resetStats();

  const refused = await applyReviewed(story, merge(story, 8));
  assert.is(refused.code, 1);
  assert.is(story.cloud.stats().requests, 0);
  assert.match(refused.stderr, "the pull request was merged from a commit that was not planned");
  assert.match(refused.stderr, `merged: ${head(8, 2).slice(0, 12)}`);
});

tests("a push that merged two pull requests at once (a merge queue batch) is refused", async (story) => {
  await appliedBaseline(story);
  await story.ws.write("chat.yaml", endpointYaml("chat", { description: "eight" }));
  await planOnPullRequest(story, 8);
  approve(story, 8);
  await planOnPullRequest(story, 9);
  approve(story, 9);
  merge(story, 8);
  const refused = await applyReviewed(story, merge(story, 9), { pushed: [mergeSha(8), mergeSha(9)] });
  assert.is(refused.code, 1);
  assert.match(refused.stderr, "this push merged 2 pull requests at once");
  assert.match(resultOn(story, 9), "Merged together: #8, #9");
});

tests("a comment from another ark-sync version is refused with the way forward", async (story) => {
  await story.ws.write("chat.yaml", endpointYaml("chat"));
  const { plan } = await nextPlan(story.cloud, story.ws.manifests);
  const facts = { head: head(7), hint: "the job summary", rules: [] };
  const body = renderCommentBody(plan, "manifests", facts);
  const older = renderPlanRecord({ ...planRecordOf(plan, facts), version: "0.0.9" }, 12_000);
  story.github.pullRequests.push({ number: 7, commits: [head(7)], mergeCommitSha: null });
  story.github.addComment(7, ACTIONS_BOT, body.replace(/\n[^\n]*$/, `\n${older}`));
  approve(story, 7);
  const refused = await applyReviewed(story, merge(story, 7));
  assert.is(refused.code, 1);
  assert.match(refused.stderr, "rendered by ark-sync 0.0.9");
  assert.match(refused.stderr, "Run the same ark-sync release in the plan and the apply workflows.");
});

tests("a console change after review: refused, and the way forward applies the fresh plan", async (story) => {
  const { ws, cloud } = story;
  await ws.write("chat.yaml", endpointYaml("chat"));
  await ws.write("batch.yaml", endpointYaml("batch", { description: "nightly batch" }));
  await planOnPullRequest(story, 7);
  approve(story, 7);
  assert.is((await applyReviewed(story, merge(story, 7))).code, 0);

  await ws.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 50 } }));
  await planOnPullRequest(story, 8);
  approve(story, 8);
  const batch = cloud.listEndpoints().find((endpoint) => endpoint.Name === "batch");
  await cloud.changeEndpoint(batch?.Id ?? "", { Description: "changed in the console" });
  cloud.resetStats();

  const refused = await applyReviewed(story, merge(story, 8));
  assert.is(refused.code, 1);
  assert.is(changesSent(cloud), 0, "no create, update or delete reached Ark");
  assert.match(refused.stderr, "Not applied: the plan has changed since it was reviewed (pull request #8)");
  assert.match(refused.stderr, "default/batch: no change → update in place");
  const result = resultOn(story, 8);
  assert.match(result, "> - `default/batch`: no change → update in place");
  assert.match(result, "[this run's job summary](https://github.test/acme/infra/actions/runs/4242)");
  const hash = /`plan_hash` (sha256:[0-9a-f]{64})/.exec(result)?.[1] ?? "";
  assert.ok(hash, "the refusal names the fresh plan's hash");
  const shown = await summary(story);
  assert.match(shown, "Plan: 0 to add, 2 to change, 0 to destroy.");
  assert.match(shown, hash);

  // The manual run with that hash (gated by the environment's reviewers) applies exactly it.
  const recovered = await applyHash(story, hash);
  assert.is(recovered.code, 0, recovered.stderr);
  assert.is(cloud.listEndpoints().find((e) => e.Name === "chat")?.RateLimit?.Rpm, 50);
  assert.is(cloud.listEndpoints().find((e) => e.Name === "batch")?.Description, "nightly batch");
});

tests(
  "--plan-hash refuses a plan that changed since its hash was taken, and shows the new one",
  async (story) => {
    await story.ws.write("chat.yaml", endpointYaml("chat"));
    const { plan } = await nextPlan(story.cloud, story.ws.manifests);
    await story.ws.write("chat.yaml", endpointYaml("chat", { description: "not reviewed" }));
    const refused = await applyHash(story, plan.plan_hash);
    assert.is(refused.code, 1);
    assert.match(refused.stderr, `not ${plan.plan_hash}. Nothing was sent to Ark.`);
    assert.is(changesSent(story.cloud), 0);
    const fresh = (await nextPlan(story.cloud, story.ws.manifests)).plan.plan_hash;
    assert.match(await summary(story), fresh);

    const bad = await applyHash(story, "sha256:abc");
    assert.is(bad.code, 1);
    assert.match(bad.stderr, "--plan-hash must be a whole plan hash");
    const both = await applyReviewed(story, "4".repeat(40), { extra: { planHash: plan.plan_hash } });
    assert.match(both.stderr, "--require-reviewed and --plan-hash cannot be given together");
    assert.is(story.github.requests.length, 0, "refused before asking GitHub");
  },
);

tests(
  "three quick merges: each is applied or refused on its own pull request, none dropped",
  async (story) => {
    await appliedBaseline(story);
    // #8, #9 and #10 are each reviewed against the same state, and merged before any apply runs.
    for (const number of [8, 9, 10]) {
      await story.ws.write("chat.yaml", endpointYaml("chat", { description: `pr ${number}` }));
      await planOnPullRequest(story, number);
      approve(story, number);
      merge(story, number);
    }
    const runs = await Promise.all(
      [8, 9, 10].map((number) =>
        applyReviewed(story, mergeSha(number), { extra: { lockTimeoutMs: 30_000 } }),
      ),
    );
    const codes = runs.map((run) => run.code);
    assert.equal(
      codes.filter((code) => code === 0).length,
      1,
      `one applies (the manifests on disk are #10's): ${runs.map((r) => r.stderr).join("\n---\n")}`,
    );
    for (const number of [8, 9, 10]) {
      const result = resultOn(story, number);
      assert.ok(/Apply complete!|\*\*Not applied\*\*/.test(result), `#${number} says what happened`);
    }
    assert.is(story.cloud.listEndpoints().find((e) => e.Name === "chat")?.Description, "pr 10");
  },
);

tests("a commit that belongs to no pull request is refused before anything reaches Ark", async (story) => {
  await story.ws.write("chat.yaml", endpointYaml("chat"));
  story.cloud.resetStats();
  const sha = "3".repeat(40);
  const refused = await applyReviewed(story, sha);
  assert.is(refused.code, 1);
  assert.match(
    refused.stderr,
    `Error: Not applied: commit ${sha.slice(0, 12)} belongs to no pull request, so no plan of it was reviewed. Nothing was sent to Ark.`,
  );
  assert.is(story.cloud.stats().requests, 0);
  assert.is(story.github.comments.length, 0);
});

tests(
  "a pull request without an ark-sync plan is refused, and says so on the pull request",
  async (story) => {
    await story.ws.write("chat.yaml", endpointYaml("chat"));
    story.github.pullRequests.push({ number: 5, commits: [head(5)], mergeCommitSha: mergeSha(5) });
    story.cloud.resetStats();
    const refused = await applyReviewed(story, mergeSha(5));
    assert.is(refused.code, 1);
    assert.match(refused.stderr, "pull request #5 has no ark-sync comment for this directory");
    assert.is(story.cloud.stats().requests, 0);
    const body = resultOn(story, 5);
    assert.ok(body.startsWith(`${RESULT}\n> [!WARNING]\n`));
    // Escaped for Markdown, as every headline is: it shows as #5 and links nowhere.
    assert.match(
      body,
      "no reviewed plan\\: pull request \\#\u200d5 has no ark\\-sync comment for this directory",
    );
  },
);

tests.run();
