// `ark-sync comment` against a local fake of GitHub's API over real HTTP: the sticky comment is found
// by marker, author and visibility, updated in place, never over the limit; the job summary gets the
// whole plan; errors are clear and never carry the token; rate limits are waited out, within bounds.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { run as runComment } from "../../src/app/comment.js";
import { ArkSyncError } from "../../src/core/errors.js";
import type { Plan } from "../../src/core/types.js";
import { commentMarker } from "../../src/github/comment-marker.js";
import { renderPlanJson } from "../../src/render/plan-json.js";
import { recordIo, testContext } from "../app/context.js";
import { ACTIONS_BOT, FakeGitHub } from "./fake-github.js";
import { largePlan, noChangesPlan, smallPlan } from "./plans.js";

const TOKEN = "ghs_FAKEtoken0123456789abcdefABCDEF";
const MARKER = commentMarker("manifests");

interface Harness {
  github: FakeGitHub;
  dir: string;
  env: Record<string, string>;
  summaryPath: string;
  /** Everything written to stdout and stderr, and every requested wait, across runs. */
  out: string[];
  err: string[];
  sleeps: number[];
  now: number;
  run(plan: Plan, options?: { dir?: string; author?: string; pr?: number }): Promise<number>;
  cleanup(): Promise<void>;
}

async function harness(
  pullRequest: Record<string, unknown> | null = sameRepoPullRequest(7),
): Promise<Harness> {
  const github = new FakeGitHub();
  await github.start();
  github.tokens.set(TOKEN, { user: ACTIONS_BOT, installation: true });
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-comment-"));
  const eventPath = join(dir, "event.json");
  await writeFile(
    eventPath,
    JSON.stringify(pullRequest === null ? { ref: "refs/heads/main" } : { pull_request: pullRequest }),
  );
  const summaryPath = join(dir, "summary.md");
  const h: Harness = {
    github,
    dir,
    summaryPath,
    out: [],
    err: [],
    sleeps: [],
    now: 1_800_000_000_000,
    env: {
      GITHUB_TOKEN: TOKEN,
      GITHUB_REPOSITORY: "acme/infra",
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_API_URL: github.url,
      GITHUB_STEP_SUMMARY: summaryPath,
      GITHUB_SERVER_URL: "https://github.test",
      GITHUB_RUN_ID: "42",
    },
    async run(plan, options = {}) {
      const planPath = join(dir, `plan-${Math.random().toString(36).slice(2)}.json`);
      await writeFile(planPath, renderPlanJson(plan));
      const io = recordIo();
      io.out = (text) => h.out.push(text);
      io.err = (text) => h.err.push(text);
      return runComment(
        { planFile: planPath, dir: options.dir ?? "manifests", labels: true, ...options },
        testContext({
          io,
          env: h.env,
          sleep: async (ms) => {
            h.sleeps.push(ms);
            h.now += ms;
          },
          clock: { now: () => h.now, date: () => new Date(h.now) },
        }),
      );
    },
    async cleanup() {
      await github.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return h;
}

function sameRepoPullRequest(number: number) {
  return { number, head: { repo: { full_name: "acme/infra" } }, base: { repo: { full_name: "acme/infra" } } };
}

async function expectError(promise: Promise<unknown>): Promise<ArkSyncError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, ArkSyncError);
    return error as ArkSyncError;
  }
  throw new assert.Assertion({
    message: "expected an error",
    operator: "rejects",
    expects: "error",
    actual: "none",
    generated: false,
  });
}

function assertNoToken(h: Harness, ...texts: (string | undefined)[]): void {
  const everything = [...h.out, ...h.err, ...texts, ...h.github.requests.map((r) => r.body + r.path)].join(
    "\n",
  );
  assert.not.match(everything, TOKEN.slice(4), "the token never appears");
}

test("the first run creates the comment; the next updates that same comment; an unchanged plan is left alone", async () => {
  const h = await harness();
  try {
    assert.is(await h.run(smallPlan()), 0);
    const [created] = h.github.commentsOn(7);
    assert.ok(created);
    assert.ok(created.body.startsWith(`${MARKER}\n### ark-sync plan for \`manifests\``));
    assert.is(created.user.login, "github-actions[bot]");
    assert.match(
      h.out.join(""),
      `Created comment https://github.test/acme/infra/pull/7#issuecomment-${created.id}`,
    );

    assert.is(await h.run(noChangesPlan()), 0);
    assert.is(h.github.commentsOn(7).length, 1);
    assert.is(h.github.requestsMatching(/^POST .*\/comments$/).length, 1, "no second POST");
    const patches = h.github.requestsMatching(/^PATCH /);
    assert.equal(
      patches.map((r) => r.path),
      [`/repos/acme/infra/issues/comments/${created.id}`],
    );
    assert.match(created.body, "**No changes.**");

    assert.is(await h.run(noChangesPlan()), 0);
    assert.is(h.github.requestsMatching(/^PATCH /).length, 1, "an unchanged body is not sent again");
    assert.match(h.out.join(""), "Unchanged comment");
    assert.ok(h.github.requests.every((r) => r.authorization === `Bearer ${TOKEN}`));
    assertNoToken(h, await readFile(h.summaryPath, "utf8"));
  } finally {
    await h.cleanup();
  }
});

test("people's comments, another bot's comment with our marker and our minimized comment are left alone", async () => {
  const h = await harness();
  try {
    const person = h.github.addComment(
      7,
      { login: "alice", type: "User" },
      `${MARKER}\nLooks good to me @bob`,
    );
    const otherBot = h.github.addComment(
      7,
      { login: "renovate[bot]", type: "Bot" },
      `${MARKER}\nnot ark-sync`,
    );
    const mimic = h.github.addComment(
      7,
      { login: "github-actions", type: "User" },
      `${MARKER}\na user named like the bot`,
    );
    const minimized = h.github.addComment(7, ACTIONS_BOT, `${MARKER}\nan outdated plan`, true);
    const quoting = h.github.addComment(7, ACTIONS_BOT, `Another workflow quoting ${MARKER}`);
    const before = h.github.comments.map((c) => ({ ...c }));

    assert.is(await h.run(smallPlan()), 0);
    for (const old of before)
      assert.equal(
        h.github.comments.find((c) => c.id === old.id),
        old,
      );
    assert.is(h.github.requestsMatching(/^PATCH /).length, 0);
    const created = h.github.commentsOn(7).at(-1);
    assert.ok(created && ![person, otherBot, mimic, minimized, quoting].some((c) => c.id === created.id));

    assert.is(await h.run(noChangesPlan()), 0);
    assert.equal(
      h.github.requestsMatching(/^PATCH /).map((r) => r.path),
      [`/repos/acme/infra/issues/comments/${created.id}`],
    );
    assert.is(minimized.body, `${MARKER}\nan outdated plan`);
    const graphql = h.github.requestsMatching(/^POST \/graphql$/);
    assert.ok(graphql.length >= 1);
    assert.match(graphql[0]?.body ?? "", minimized.node_id);
  } finally {
    await h.cleanup();
  }
});

test("the comment is found on a later page by following Link headers, 100 per page", async () => {
  const h = await harness();
  try {
    for (let i = 0; i < 230; i++) h.github.addComment(7, { login: "alice", type: "User" }, `comment ${i}`);
    const ours = h.github.addComment(7, ACTIONS_BOT, `${MARKER}\nold plan`);
    h.github.addComment(7, { login: "bob", type: "User" }, "after");
    assert.is(await h.run(smallPlan()), 0);
    const lists = h.github.requestsMatching(/^GET .*\/issues\/7\/comments/);
    assert.equal(
      lists.map((r) => new URL(r.path, "http://x").searchParams.get("page")),
      [null, "2", "3"],
    );
    assert.ok(lists.every((r) => r.path.includes("per_page=100")));
    assert.is(h.github.requestsMatching(/^POST .*\/comments$/).length, 0);
    assert.match(ours.body, "**Plan: 2 to add, 1 to change, 2 to destroy.**");
  } finally {
    await h.cleanup();
  }
});

test("a personal access token: GET /user names whose comment to update; --author skips the lookup", async () => {
  const h = await harness();
  try {
    h.github.tokens.set(TOKEN, { user: { login: "deploy-user", type: "User" } });
    h.github.addComment(7, ACTIONS_BOT, `${MARKER}\nby the Actions bot, not by this token`);
    const ours = h.github.addComment(7, { login: "deploy-user", type: "User" }, `${MARKER}\nold`);
    assert.is(await h.run(smallPlan()), 0);
    assert.is(h.github.requestsMatching(/^GET \/user$/).length, 1);
    assert.match(ours.body, "Plan: 2 to add");

    h.github.tokens.set(TOKEN, { user: { login: "my-app[bot]", type: "Bot" }, installation: true });
    const app = h.github.addComment(8, { login: "my-app[bot]", type: "Bot" }, `${MARKER}\nold`);
    assert.is(await h.run(smallPlan(), { author: "my-app[bot]", pr: 8 }), 0);
    assert.is(h.github.requestsMatching(/^GET \/user$/).length, 1, "no second GET /user");
    assert.match(app.body, "Plan: 2 to add");
  } finally {
    await h.cleanup();
  }
});

test("one sticky comment per manifest directory", async () => {
  const h = await harness();
  try {
    await h.run(smallPlan(), { dir: "manifests" });
    await h.run(noChangesPlan(), { dir: "./teams/search/" });
    await h.run(noChangesPlan(), { dir: "teams/search" });
    const bodies = h.github.commentsOn(7).map((c) => c.body.split("\n")[0]);
    assert.equal(bodies, [MARKER, "<!-- ark-sync:comment dir=teams/search -->"]);
  } finally {
    await h.cleanup();
  }
});

test("a 3,000-endpoint plan: every request body is within 65,536 characters, destroys and drift kept", async () => {
  const h = await harness();
  try {
    const { plan, destroyed, drifted } = largePlan(3000);
    assert.is(await h.run(plan), 0);
    for (const request of h.github.requests) {
      if (request.body === "") continue;
      const sent = JSON.parse(request.body) as { body?: string };
      if (sent.body !== undefined)
        assert.ok(sent.body.length <= 65_536, `${sent.body.length} characters sent`);
    }
    const [comment] = h.github.commentsOn(7);
    assert.ok(comment);
    assert.match(
      comment.body,
      `**Plan: ${plan.summary.add} to add, ${plan.summary.change} to change, ${plan.summary.destroy} to destroy.**`,
    );
    for (const address of destroyed) assert.match(comment.body, `\`${address}\``);
    for (const address of drifted)
      assert.match(comment.body, `${address} has changed: rate_limit.rpm = 10 -> 999`);
    assert.match(
      comment.body,
      /not named here; see \[the job summary\]\(https:\/\/github\.test\/acme\/infra\/actions\/runs\/42\)/,
    );
    const summary = await readFile(h.summaryPath, "utf8");
    assert.ok(Buffer.byteLength(summary) <= 1024 * 1024, `${Buffer.byteLength(summary)} bytes`);
    assert.ok(summary.length > comment.body.length * 10, "the summary holds far more of the plan");
    assert.match(summary, "see the saved plan file");
  } finally {
    await h.cleanup();
  }
});

test("the job summary receives the full plan when the comment must fold it", async () => {
  const h = await harness();
  try {
    const { plan } = largePlan(200);
    await writeFile(h.summaryPath, "## Earlier step output\n");
    assert.is(await h.run(plan), 0);
    const summary = await readFile(h.summaryPath, "utf8");
    assert.ok(summary.startsWith("## Earlier step output\n"), "appended, not overwritten");
    const [comment] = h.github.commentsOn(7);
    assert.match(comment?.body ?? "", /without their diffs|not named here/);
    for (const rc of plan.resource_changes) {
      if (rc.change.actions[0] === "no-op") continue;
      assert.match(summary, `endpoint "${rc.address}" {`, rc.address);
    }
    assert.not.match(summary, "omitted");
    assert.not.match(summary, "<!-- ark-sync:comment");
  } finally {
    await h.cleanup();
  }
});

test("401, 403, 404 and 422 give clear errors without the token", async () => {
  const h = await harness();
  try {
    h.env.GITHUB_TOKEN = "ghp_wrongTOKEN000000000000000000000";
    const unauthorized = await expectError(h.run(smallPlan()));
    assert.is(unauthorized.code, "github_bad_credentials");
    assert.match(unauthorized.message, "GitHub rejected the token for GET /user (401: Bad credentials)");
    assert.not.match(`${unauthorized.message} ${unauthorized.hint} ${unauthorized.stack}`, "wrongTOKEN");

    h.env.GITHUB_TOKEN = TOKEN;
    h.github.tokens.set(TOKEN, { user: ACTIONS_BOT, installation: true, readOnly: true });
    const forbidden = await expectError(h.run(smallPlan()));
    assert.is(forbidden.code, "github_forbidden");
    assert.match(
      forbidden.message,
      "GitHub refused POST /repos/acme/infra/issues/7/comments (403: Resource not accessible by integration)",
    );
    assert.match(forbidden.hint ?? "", "permissions: pull-requests: write");

    h.github.tokens.set(TOKEN, { user: ACTIONS_BOT, installation: true });
    h.env.GITHUB_REPOSITORY = "acme/elsewhere";
    const missing = await expectError(h.run(smallPlan()));
    assert.is(missing.code, "github_not_found");
    assert.match(
      missing.message,
      "GitHub found nothing at GET /repos/acme/elsewhere/issues/7/comments (404: Not Found)",
    );

    h.env.GITHUB_REPOSITORY = "acme/infra";
    h.github.inject(/^POST .*\/comments$/, {
      status: 422,
      body: {
        message: "Validation Failed",
        errors: [{ message: "Body is too long (maximum is 65536 characters)" }],
      },
    });
    const invalid = await expectError(h.run(smallPlan()));
    assert.is(invalid.code, "github_unprocessable");
    assert.match(invalid.message, "(422: Validation Failed: Body is too long (maximum is 65536 characters))");

    h.github.inject(/^GET \/user$/, { status: 401, body: { message: `Bad credentials for token ${TOKEN}` } });
    const echoed = await expectError(h.run(smallPlan()));
    assert.match(echoed.message, "[REDACTED]");
    assertNoToken(
      h,
      ...[unauthorized, forbidden, missing, invalid, echoed].map((e) => `${e.message} ${e.hint}`),
    );
  } finally {
    await h.cleanup();
  }
});

test("rate limits are waited out: 429 with retry-after, 403 with x-ratelimit-reset, a secondary limit", async () => {
  const h = await harness();
  try {
    h.github.inject(/^GET \/user$/, {
      status: 429,
      headers: { "retry-after": "3" },
      body: { message: "Too many requests" },
    });
    h.github.inject(/^GET .*\/comments$/, {
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(h.now / 1000 + 30) },
      body: { message: "API rate limit exceeded" },
    });
    h.github.inject(/^POST .*\/comments$/, {
      status: 403,
      body: {
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
      },
    });
    assert.is(await h.run(smallPlan()), 0);
    assert.equal(
      h.sleeps,
      [3000, 28_000, 60_000],
      "the reset is 30 s after the first answer, 3 s of which were already waited",
    );
    assert.is(h.github.commentsOn(7).length, 1);
    assert.match(h.err.join(""), "GitHub answered 429 (rate limit) to GET /user; retrying in 3s");
  } finally {
    await h.cleanup();
  }
});

test("a rate limit that resets too late fails at once; a 502 on POST is not repeated, on GET it is", async () => {
  const h = await harness();
  try {
    h.github.inject(/^GET \/user$/, {
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(h.now / 1000 + 3600) },
      body: { message: "API rate limit exceeded" },
    });
    const limited = await expectError(h.run(smallPlan()));
    assert.is(limited.code, "github_rate_limited");
    assert.match(limited.hint ?? "", "resets in about 61 minute(s)");
    assert.equal(h.sleeps, []);

    h.github.inject(/^GET .*\/comments$/, { status: 502, body: { message: "Bad gateway" } });
    h.github.inject(/^POST .*\/comments$/, { status: 502, body: { message: "Bad gateway" } });

    const failed = await expectError(h.run(smallPlan()));
    assert.is(failed.code, "github_http_error");
    assert.equal(h.sleeps, [1000], "the GET was retried once");
    assert.is(h.github.requestsMatching(/^POST .*\/comments$/).length, 1, "the POST was sent once");
  } finally {
    await h.cleanup();
  }
});

test("an unreachable API is retried a bounded number of times, then a clear error", async () => {
  const h = await harness();
  try {
    await h.github.stop();
    const unreachable = await expectError(h.run(smallPlan()));
    assert.is(unreachable.code, "github_unreachable");
    assert.match(unreachable.message, /Could not reach GitHub for GET \/user: fetch failed: ECONNREFUSED/);
    assert.equal(h.sleeps, [1000, 2000, 4000, 8000]);
  } finally {
    await h.cleanup();
  }
});

test("when GraphQL cannot tell whether a comment is minimized, it says so and updates the comment", async () => {
  const h = await harness();
  try {
    const ours = h.github.addComment(7, ACTIONS_BOT, `${MARKER}\nold`);
    h.github.inject(/^POST \/graphql$/, {
      status: 200,
      body: { errors: [{ message: "Field 'isMinimized' doesn't exist" }] },
    });
    assert.is(await h.run(smallPlan()), 0);
    assert.match(h.err.join(""), "Could not check whether ark-sync's earlier comment is minimized");
    assert.match(ours.body, "Plan: 2 to add");
  } finally {
    await h.cleanup();
  }
});

test("when GraphQL answers without the earlier comment's node, it counts as visible: updated, not duplicated", async () => {
  for (const answer of ["empty", "nulls"] as const) {
    const h = await harness();
    try {
      h.github.graphqlNodes = answer;
      const ours = h.github.addComment(7, ACTIONS_BOT, `${MARKER}\nold`);
      assert.is(await h.run(smallPlan()), 0, answer);
      assert.is(h.github.commentsOn(7).length, 1, `${answer}: no second comment`);
      assert.is(h.github.requestsMatching(/^POST .*\/comments$/).length, 0, answer);
      assert.match(ours.body, "Plan: 2 to add", answer);
      assert.match(h.err.join(""), "did not say whether ark-sync's earlier comment is minimized", answer);
    } finally {
      await h.cleanup();
    }
  }
});

test("not a pull request: the job summary only, and no request to GitHub", async () => {
  const h = await harness(null);
  try {
    assert.is(await h.run(smallPlan()), 0);
    assert.is(h.github.requests.length, 0);
    assert.match(await readFile(h.summaryPath, "utf8"), "**Plan: 2 to add, 1 to change, 2 to destroy.**");
    assert.match(h.err.join(""), "Not a pull request event, so no comment was posted");

    delete h.env.GITHUB_STEP_SUMMARY;
    const nothing = await expectError(h.run(smallPlan()));
    assert.is(nothing.code, "comment_nothing_to_do");
  } finally {
    await h.cleanup();
  }
});

test("a pull request from a fork, whose token is read-only: a note, the summary, and success", async () => {
  const h = await harness({
    number: 9,
    head: { repo: { full_name: "mallory/infra" } },
    base: { repo: { full_name: "acme/infra" } },
  });
  try {
    h.github.tokens.set(TOKEN, { user: ACTIONS_BOT, installation: true, readOnly: true });
    assert.is(await h.run(smallPlan()), 0);
    assert.match(h.err.join(""), "comes from a fork, whose token cannot comment");
    assert.is(h.github.commentsOn(9).length, 0);
    assert.match(await readFile(h.summaryPath, "utf8"), "Plan: 2 to add");
  } finally {
    await h.cleanup();
  }
});

test("a missing token or a plan file that is not a plan: usage and input errors", async () => {
  const h = await harness();
  try {
    delete h.env.GITHUB_TOKEN;
    const noToken = await expectError(h.run(smallPlan()));
    assert.is(noToken.code, "github_token_missing");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
    assert.match(noToken.hint ?? "", "GITHUB_TOKEN: ${{ github.token }}");

    const notPlan = join(h.dir, "not-a-plan.json");
    await writeFile(notPlan, JSON.stringify({ hello: "world" }));
    const invalid = await expectError(
      runComment({ planFile: notPlan, dir: "manifests", labels: true }, testContext({ env: h.env })),
    );
    assert.is(invalid.code, "plan_file_invalid");
    assert.is(invalid.kind, "input");
  } finally {
    await h.cleanup();
  }
});

test.run();
