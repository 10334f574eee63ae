// The branch rules the plan comment warns about (docs/github.md#recommended-rulesets), with `ark-sync
// comment` and the Action against the fake GitHub over real HTTP: the default branch needs a required,
// stale-dismissing review, a git state branch protection from force pushes, deletion and other
// pushers. Every case is one comment: the warning block after the plan and before the record, or no
// block; rules that cannot be read are a note and never cost the plan.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runAction } from "../../src/action/run-action.js";
import { run as runComment } from "../../src/app/comment.js";
import { ArkSyncError } from "../../src/core/errors.js";
import type { Plan } from "../../src/core/types.js";
import { renderCommentBody } from "../../src/github/comment-body.js";
import { commentMarker } from "../../src/github/comment-marker.js";
import { readPlanRecord } from "../../src/github/plan-record.js";
import { GITHUB_COMMENT_LIMIT } from "../../src/github/sticky-comment.js";
import { renderPlanJson } from "../../src/render/plan-json.js";
import { PLANS_INDEX_FILE, renderPlansIndex } from "../../src/render/plans-index.js";
import { recordIo, testContext } from "../app/context.js";
import { writeTree } from "../app/file-tree.js";
import { ACTIONS_BOT, FakeGitHub, type FakeRule } from "./fake-github.js";
import { largePlan, smallPlan } from "./plans.js";

const TOKEN = "ghs_FAKEtokenRules0123456789abcdefABCD";
const HEADING = "**This repository may not enforce what ark-sync relies on**";
const HINT = "[the job summary](https://github.test/acme/infra/actions/runs/42)";

const REVIEWED: FakeRule = {
  type: "pull_request",
  parameters: {
    required_approving_review_count: 1,
    dismiss_stale_reviews_on_push: true,
    require_code_owner_review: false,
    require_last_push_approval: true,
    required_review_thread_resolution: false,
  },
};
const STATE_RULES: FakeRule[] = [
  { type: "deletion" },
  { type: "non_fast_forward" },
  { type: "update", parameters: { update_allows_fetch_and_merge: false } },
];

interface Harness {
  github: FakeGitHub;
  dir: string;
  env: Record<string, string>;
  err: string;
  /** `ark-sync comment` of `plan` on pull request 7, with --state when given; its exit code. */
  comment(plan: Plan, state?: string): Promise<number>;
  /** The body of the one ark-sync comment on pull request 7. */
  body(): string;
  cleanup(): Promise<void>;
}

async function harness(event: Record<string, unknown> = {}): Promise<Harness> {
  const github = new FakeGitHub();
  await github.start();
  github.tokens.set(TOKEN, { user: ACTIONS_BOT, installation: true });
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-rules-"));
  const eventPath = join(dir, "event.json");
  const repo = { full_name: "acme/infra" };
  await writeFile(
    eventPath,
    JSON.stringify({ pull_request: { number: 7, head: { repo }, base: { repo } }, ...event }),
  );
  const h: Harness = {
    github,
    dir,
    err: "",
    env: {
      GITHUB_TOKEN: TOKEN,
      GITHUB_REPOSITORY: "acme/infra",
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_API_URL: github.url,
      GITHUB_STEP_SUMMARY: join(dir, "summary.md"),
      GITHUB_SERVER_URL: "https://github.test",
      GITHUB_RUN_ID: "42",
    },
    async comment(plan, state) {
      const planFile = join(dir, `plan-${Math.random().toString(36).slice(2)}.json`);
      await writeFile(planFile, renderPlanJson(plan));
      const io = recordIo();
      const context = testContext({ io, env: h.env, cwd: dir, sleep: async () => {} });
      try {
        return await runComment(
          { planFile, dir: "manifests", labels: false, ...(state === undefined ? {} : { state }) },
          context,
        );
      } finally {
        h.err += io.stderr;
      }
    },
    body() {
      const ours = github.commentsOn(7).filter((c) => c.body.startsWith(commentMarker("manifests")));
      assert.is(ours.length, 1, "one ark-sync comment");
      return ours[0]?.body ?? "";
    },
    async cleanup() {
      await github.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** The warning block's bullets, checking that it sits after the plan and right before the record. */
function warnings(body: string): string[] {
  const lines = body.split("\n");
  const start = lines.indexOf(`> ${HEADING} (see "Recommended rulesets" in ark-sync's docs/github.md):`) - 1;
  assert.ok(start > 0, "a warning block");
  assert.is(lines[start], "> [!WARNING]");
  assert.is(lines[start - 1], "", "set apart from what comes before");
  assert.match(lines[start - 2] ?? "", /^<sub>ark-sync · plan /, "right after the plan's last line");
  const bullets = lines.slice(start + 2).filter((line) => line.startsWith("> - "));
  assert.equal(
    lines.slice(start + 2 + bullets.length),
    ["", lines.at(-1)],
    "then a blank line and the record",
  );
  assert.ok(readPlanRecord(body), "the record is still the last line");
  return bullets.map((line) => line.slice("> - ".length));
}

const NO_REVIEW =
  "No ruleset on the default branch `main` requires an approving review before a merge or dismisses approvals when new commits are pushed";
const UNREADABLE_CLASSIC =
  " (classic branch protection cannot be read with this token: check it in the repository's settings).";

test("no rules at all: the default branch and the state branch are named, and the plan is posted", async () => {
  const h = await harness();
  try {
    assert.is(await h.comment(smallPlan(), "git:ark-sync-state"), 0);
    assert.equal(warnings(h.body()), [
      `${NO_REVIEW}, and the branch has no classic protection either.`,
      `No ruleset on the state branch \`ark-sync-state\` blocks force pushes, blocks deletion or restricts who may push${UNREADABLE_CLASSIC}`,
    ]);
    assert.match(h.body(), "**Plan: 2 to add, 1 to change, 2 to destroy.**");
    const logged = h.err.split("\n").filter((line) => line.startsWith("Warning: "));
    assert.equal(logged, [
      `Warning: ${NO_REVIEW}, and the branch has no classic protection either.`,
      `Warning: No ruleset on the state branch \`ark-sync-state\` blocks force pushes, blocks deletion or restricts who may push${UNREADABLE_CLASSIC}`,
    ]);
    assert.equal(
      h.github
        .requestsMatching(/^GET \/repos\/acme\/infra(\/rules)?(\/branches\/[^/]+)?(\?|$)/)
        .map((r) => r.path),
      [
        "/repos/acme/infra",
        "/repos/acme/infra/rules/branches/main?per_page=100",
        "/repos/acme/infra/branches/main",
        "/repos/acme/infra/rules/branches/ark-sync-state?per_page=100",
        "/repos/acme/infra/branches/ark-sync-state",
      ],
      "the default branch from GET /repos, then each branch's rules and protected flag",
    );
  } finally {
    await h.cleanup();
  }
});

test("the pull_request rule: no approval required, or approvals that survive a push", async () => {
  const cases: { name: string; parameters: Record<string, unknown>; expect: string }[] = [
    {
      name: "review count 0",
      parameters: { required_approving_review_count: 0, dismiss_stale_reviews_on_push: true },
      expect: "requires an approving review before a merge",
    },
    {
      name: "no stale dismissal",
      parameters: { required_approving_review_count: 2, dismiss_stale_reviews_on_push: false },
      expect: "dismisses approvals when new commits are pushed",
    },
  ];
  for (const { name, parameters, expect } of cases) {
    const h = await harness();
    try {
      h.github.branchRules.set("main", [
        { type: "pull_request", parameters: { ...REVIEWED.parameters, ...parameters } },
      ]);
      h.github.branches.set("main", { protected: true });
      assert.is(await h.comment(smallPlan()), 0, name);
      assert.equal(
        warnings(h.body()),
        [`No ruleset on the default branch \`main\` ${expect}${UNREADABLE_CLASSIC}`],
        name,
      );
    } finally {
      await h.cleanup();
    }
  }
});

test("classic protection the token cannot read is named as such, never as missing protection", async () => {
  const h = await harness();
  try {
    h.github.branches.set("main", { protected: true });
    assert.is(await h.comment(smallPlan()), 0);
    assert.equal(warnings(h.body()), [
      `${NO_REVIEW}; it has classic branch protection, which this token cannot read: check that it does.`,
    ]);
    assert.not.match(h.body(), "no classic protection");
  } finally {
    await h.cleanup();
  }
});

test("a state branch: unprotected, protected from force pushes and deletion only, fully protected", async () => {
  const cases: { name: string; rules: FakeRule[]; protected: boolean; expect: string[] }[] = [
    {
      name: "unprotected",
      rules: [],
      protected: false,
      expect: [
        "No ruleset on the state branch `ark-sync-state-prod` blocks force pushes, blocks deletion or restricts who may push, and the branch has no classic protection either.",
      ],
    },
    {
      name: "open to pushes",
      rules: STATE_RULES.slice(0, 2),
      protected: true,
      expect: [
        `No ruleset on the state branch \`ark-sync-state-prod\` restricts who may push${UNREADABLE_CLASSIC}`,
      ],
    },
    { name: "protected", rules: STATE_RULES, protected: true, expect: [] },
  ];
  for (const { name, rules, protected: isProtected, expect } of cases) {
    const h = await harness();
    try {
      h.github.branchRules.set("main", [REVIEWED]);
      h.github.branchRules.set("ark-sync-state-prod", rules);
      h.github.branches.set("ark-sync-state-prod", { protected: isProtected });
      assert.is(await h.comment(smallPlan(), "git:ark-sync-state-prod"), 0, name);
      if (expect.length === 0) assert.not.match(h.body(), HEADING, name);
      else assert.equal(warnings(h.body()), expect, name);
    } finally {
      await h.cleanup();
    }
  }
});

test("all good: no block, the comment exactly as without the check, nothing logged", async () => {
  const h = await harness({ repository: { default_branch: "trunk" } });
  try {
    h.github.branchRules.set("trunk", [REVIEWED, { type: "deletion" }]);
    h.github.branchRules.set("ark-sync-state", STATE_RULES);
    assert.is(await h.comment(smallPlan(), "git:ark-sync-state"), 0);
    assert.is(h.body(), renderCommentBody(smallPlan(), "manifests", { head: null, hint: HINT, rules: [] }));
    assert.not.match(h.err, "Warning");
    assert.is(
      h.github.requestsMatching(/^GET \/repos\/acme\/infra$/).length,
      0,
      "the event named the default branch",
    );
    assert.is(h.github.requestsMatching(/^GET \/repos\/acme\/infra\/rules\/branches\/trunk/).length, 1);
  } finally {
    await h.cleanup();
  }
});

test("the rules are read page by page", async () => {
  const h = await harness();
  try {
    // 150 rules before the one that matters: it is on the second page of 100.
    const filler = Array.from({ length: 150 }, (): FakeRule => ({ type: "required_signatures" }));
    h.github.branchRules.set("main", [...filler, REVIEWED]);
    assert.is(await h.comment(smallPlan()), 0);
    assert.not.match(h.body(), HEADING);
    assert.equal(
      h.github
        .requestsMatching(/^GET \/repos\/acme\/infra\/rules\/branches\/main/)
        .map((r) => new URL(r.path, "http://x").searchParams.get("page")),
      [null, "2"],
    );
  } finally {
    await h.cleanup();
  }
});

test("rules that cannot be read: a note in the block and on stderr, and the plan is still posted", async () => {
  const h = await harness();
  try {
    h.github.inject(/^GET \/repos\/acme\/infra\/rules\/branches\/main$/, {
      status: 403,
      body: { message: "Resource not accessible by integration" },
    });
    h.github.inject(/^GET \/repos\/acme\/infra\/rules\/branches\/ark-sync-state$/, {
      status: 404,
      body: { message: "Not Found" },
    });
    assert.is(await h.comment(smallPlan(), "git:ark-sync-state"), 0);
    const notes = [
      "Could not read the repository's rules for the default branch `main`: GitHub refused GET /repos/acme/infra/rules/branches/main (403: Resource not accessible by integration)",
      "Could not read the repository's rules for the state branch `ark-sync-state`: GitHub found nothing at GET /repos/acme/infra/rules/branches/ark-sync-state (404: Not Found)",
    ];
    // Escaped for Markdown in the comment; plain on stderr, once each.
    assert.equal(
      warnings(h.body()).map((line) => line.replace(/\\(.)/g, "$1")),
      notes,
    );
    assert.equal(
      h.err.split("\n").filter((line) => line.startsWith("Warning: ")),
      notes.map((note) => `Warning: ${note}`),
    );
    assert.match(h.body(), "**Plan: 2 to add, 1 to change, 2 to destroy.**");
    assert.ok(readPlanRecord(h.body()));
  } finally {
    await h.cleanup();
  }
});

test("an unknown default branch and an unreachable GitHub: a note, after the client's own retries", async () => {
  const h = await harness();
  try {
    h.github.inject(/^GET \/repos\/acme\/infra$/, { status: 502, body: { message: "Bad gateway" } });
    h.github.inject(/^GET \/repos\/acme\/infra$/, { status: 502, body: { message: "Bad gateway" } });
    h.github.inject(/^GET \/repos\/acme\/infra$/, { status: 502, body: { message: "Bad gateway" } });
    h.github.inject(/^GET \/repos\/acme\/infra$/, { status: 502, body: { message: "Bad gateway" } });
    h.github.inject(/^GET \/repos\/acme\/infra$/, { status: 502, body: { message: "Bad gateway" } });
    assert.is(await h.comment(smallPlan()), 0);
    assert.is(
      h.github.requestsMatching(/^GET \/repos\/acme\/infra$/).length,
      5,
      "the first try and 4 retries",
    );
    assert.equal(
      warnings(h.body()).map((line) => line.replace(/\\(.)/g, "$1")),
      [
        "Could not read the repository's rules for the default branch: GitHub answered 502 to GET /repos/acme/infra: Bad gateway",
      ],
    );
  } finally {
    await h.cleanup();
  }
});

test("the comment stays within GitHub's limit, whatever the notices", async () => {
  const h = await harness();
  try {
    const { plan } = largePlan(3000);
    assert.is(await h.comment(plan, "git:ark-sync-state"), 0);
    const body = h.body();
    assert.is(warnings(body).length, 2);
    assert.ok(body.length <= GITHUB_COMMENT_LIMIT, `${body.length} characters`);
    assert.ok(body.length > GITHUB_COMMENT_LIMIT - 500, "the plan used the room left");
  } finally {
    await h.cleanup();
  }
});

test("comment DIR: each directory's state branch from its ark-sync.yaml, each branch read once; a failed plan carries the block", async () => {
  const h = await harness();
  try {
    const plans = join(h.dir, "plans");
    await writeTree(h.dir, {
      "envs/prod/ark-sync.yaml": "apiVersion: ark-sync/v1\nkind: Config\nstate: git:ark-sync-state-prod\n",
      "envs/prod-eu/ark-sync.yaml": "apiVersion: ark-sync/v1\nkind: Config\nstate: git:ark-sync-state-prod\n",
      "envs/dev/ark-sync.yaml": "apiVersion: ark-sync/v1\nkind: Config\nstate: local\n",
      "plans/prod.json": renderPlanJson(smallPlan()),
      "plans/dev.json": renderPlanJson(smallPlan()),
      [`plans/${PLANS_INDEX_FILE}`]: renderPlansIndex([
        { dir: "envs/prod", file: "prod.json", exit_code: 2 },
        { dir: "envs/prod-eu", file: null, exit_code: 1, error: "Error: the manifests have problems" },
        { dir: "envs/dev", file: "dev.json", exit_code: 2 },
      ]),
    });
    h.github.branchRules.set("main", [REVIEWED]);
    const io = recordIo();
    const context = testContext({ io, env: h.env, cwd: h.dir, sleep: async () => {} });
    assert.is(await runComment({ planFile: plans, labels: false }, context), 0);
    const bodyOf = (dir: string) =>
      h.github.commentsOn(7).find((c) => c.body.startsWith(commentMarker(dir)))?.body ?? "";
    const stateLine = `No ruleset on the state branch \`ark-sync-state-prod\` blocks force pushes, blocks deletion or restricts who may push${UNREADABLE_CLASSIC}`;
    assert.equal(warnings(bodyOf("envs/prod")), [stateLine]);
    assert.not.match(bodyOf("envs/dev"), HEADING, "a local state has no branch to protect");
    const failed = bodyOf("envs/prod-eu");
    assert.match(failed, "ark-sync plan for `envs/prod-eu` failed");
    assert.ok(failed.endsWith(`> - ${stateLine}`), "the failed plan's comment ends with the block");
    assert.is(readPlanRecord(failed), null, "and still carries no record");
    assert.is(
      h.github.requestsMatching(/^GET \/repos\/acme\/infra\/rules\/branches\/ark-sync-state-prod/).length,
      1,
      "a branch two directories share is read once",
    );
    assert.equal(
      io.stderr.split("\n").filter((line) => line.startsWith("Warning: ")),
      [`Warning: ${stateLine}`],
      "logged once, not once per directory",
    );

    const withState = await runComment({ planFile: plans, labels: false, state: "git:x" }, context).catch(
      (error: unknown) => error,
    );
    assert.instance(withState, ArkSyncError);
    assert.match((withState as ArkSyncError).message, "--state cannot be given with a directory of plans");
  } finally {
    await h.cleanup();
  }
});

test("the Action's plan: the state input's branch is checked, and the warnings are in the step's log", async () => {
  const h = await harness();
  try {
    const planFile = join(h.dir, "source-plan.json");
    await writeFile(planFile, renderPlanJson(smallPlan()));
    const output = join(h.dir, "output");
    await writeFile(output, "");
    let log = "";
    const code = await runAction({
      env: {
        ...h.env,
        GITHUB_TOKEN: "",
        "INPUT_GITHUB-TOKEN": TOKEN,
        GITHUB_OUTPUT: output,
        RUNNER_TEMP: h.dir,
        FAKE_CLI_LOG: join(h.dir, "cli.log"),
        FAKE_CLI_PLAN: planFile,
        FAKE_CLI_EXIT: "2",
        INPUT_COMMAND: "plan",
        INPUT_DIRECTORY: "manifests",
        INPUT_STATE: "git:ark-sync-state",
        INPUT_LABELS: "false",
      },
      cliPath: join(process.cwd(), "test/fixtures/github/fake-cli.mjs"),
      write: (text) => {
        log += text;
      },
      writeError: () => {},
      sleep: async () => {},
    });
    assert.is(code, 0);
    assert.is(warnings(h.body()).length, 2);
    assert.match(h.body(), "`ark-sync-state`");
    assert.match(log, `Warning: ${NO_REVIEW}, and the branch has no classic protection either.\n`);
    assert.match(log, "Warning: No ruleset on the state branch `ark-sync-state`");
    assert.match(await readFile(join(h.dir, "summary.md"), "utf8"), "Plan: 2 to add");
  } finally {
    await h.cleanup();
  }
});

test.run();
