// The pull request's labels, kept in step by `ark-sync comment` against the fake GitHub over real HTTP:
// exactly one of ark-sync:changes / ark-sync:no-changes, ark-sync:destroy while anything is destroyed
// or replaced, missing labels created with a colour and description, other labels left alone,
// --no-labels, and a token that cannot label (a warning; the comment is still posted).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { run as runComment } from "../../src/app/comment.js";
import { computePlan } from "../../src/core/compute-plan.js";
import type { ChangeActions, Plan } from "../../src/core/types.js";
import { commentMarker } from "../../src/github/comment-marker.js";
import { labelFromComments } from "../../src/github/labels-from-comments.js";
import { PLAN_LABELS, planLabels } from "../../src/github/plan-labels.js";
import { renderPlanJson } from "../../src/render/plan-json.js";
import { testContext } from "../app/context.js";
import { applied, attrs, desired, live, state } from "../core/builders.js";
import { ACTIONS_BOT, FakeGitHub } from "./fake-github.js";
import { noChangesPlan, smallPlan } from "./plans.js";

const TOKEN = "ghs_FAKEtoken0123456789abcdefABCDEF";
const CHANGES = PLAN_LABELS.changes.name;
const NO_CHANGES = PLAN_LABELS.noChanges.name;
const DESTROY = PLAN_LABELS.destroy.name;

/** A new endpoint beside an unchanged one. */
const createPlan = (): Plan =>
  computePlan(
    [desired(attrs()), desired(attrs({ name: "chat-new" }))],
    state({ "default/chat": applied("ep-1", attrs()) }),
    [live("ep-1", attrs())],
  );

/** default/old is no longer in the manifests. */
const destroyPlan = (): Plan =>
  computePlan(
    [desired(attrs())],
    state({
      "default/chat": applied("ep-1", attrs()),
      "default/old": applied("ep-2", attrs({ name: "old" })),
    }),
    [live("ep-1", attrs()), live("ep-2", attrs({ name: "old" }))],
  );

/** A change of tags, which Ark cannot make in place. */
const replacementPlan = (): Plan =>
  computePlan(
    [desired(attrs({ tags: [{ key: "env", value: "dev" }] }))],
    state({ "default/chat": applied("ep-1", attrs()) }),
    [live("ep-1", attrs())],
  );

/** default/old renamed to default/chat, nothing else. */
const movePlan = (): Plan =>
  computePlan(
    [{ ...desired(attrs()), moved_from: "default/old" }],
    state({ "default/old": applied("ep-1", attrs()) }),
    [live("ep-1", attrs())],
  );

const actionsOf = (plan: Plan): ChangeActions[] => plan.resource_changes.map((rc) => rc.change.actions);

test("the labels a plan calls for", () => {
  const cases: { name: string; plan: Plan; expect: string[] }[] = [
    { name: "nothing to do", plan: noChangesPlan(), expect: [NO_CHANGES] },
    { name: "a create", plan: createPlan(), expect: [CHANGES] },
    { name: "a destroy", plan: destroyPlan(), expect: [CHANGES, DESTROY] },
    { name: "a replacement", plan: replacementPlan(), expect: [CHANGES, DESTROY] },
    { name: "only a move", plan: movePlan(), expect: [CHANGES] },
  ];
  for (const { name, plan, expect } of cases) {
    assert.equal(
      planLabels([plan]).map((label) => label.name),
      expect,
      name,
    );
  }
  const together = (plans: Plan[]) => planLabels(plans).map((label) => label.name);
  assert.equal(
    together([noChangesPlan(), noChangesPlan()]),
    [NO_CHANGES],
    "several directories, none changes",
  );
  assert.equal(together([noChangesPlan(), destroyPlan()]), [CHANGES, DESTROY], "one directory destroys");
  assert.equal(together([createPlan(), noChangesPlan()]), [CHANGES], "one directory creates");
  assert.equal(actionsOf(replacementPlan()), [["delete", "create"]], "the replacement is one");
  assert.equal(actionsOf(movePlan()), [["no-op"]], "the move changes nothing on Ark");
});

interface Harness {
  github: FakeGitHub;
  env: Record<string, string>;
  err: string[];
  run(plan: Plan, labels?: boolean, dir?: string): Promise<number>;
  cleanup(): Promise<void>;
}

async function harness(): Promise<Harness> {
  const github = new FakeGitHub();
  await github.start();
  github.tokens.set(TOKEN, { user: ACTIONS_BOT, installation: true });
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-labels-"));
  const eventPath = join(dir, "event.json");
  const repo = { full_name: "acme/infra" };
  await writeFile(eventPath, JSON.stringify({ pull_request: { number: 7, head: { repo }, base: { repo } } }));
  const env = {
    GITHUB_TOKEN: TOKEN,
    GITHUB_REPOSITORY: "acme/infra",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_API_URL: github.url,
  };
  const err: string[] = [];
  return {
    github,
    env,
    err,
    async run(plan, labels = true, manifests = "manifests") {
      const planFile = join(dir, "plan.json");
      await writeFile(planFile, renderPlanJson(plan));
      const ctx = testContext({ env });
      const code = await runComment({ planFile, dir: manifests, labels }, ctx);
      err.push(ctx.io.stderr);
      return code;
    },
    async cleanup() {
      await github.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const labelRequests = (h: Harness) => h.github.requestsMatching(/\/labels/);

test("a changing plan: ark-sync:changes is created with its colour and description, then added; other labels stay", async () => {
  const h = await harness();
  try {
    h.github.labels.push({ name: "team/search", color: "c5def5", description: null });
    h.github.addLabels(7, "team/search");
    assert.is(await h.run(createPlan()), 0);
    assert.equal(h.github.labelsOn(7), ["team/search", CHANGES]);
    assert.equal(h.github.labels, [
      { name: "team/search", color: "c5def5", description: null },
      PLAN_LABELS.changes,
    ]);
    assert.equal(
      h.github.requestsMatching(/^POST .*\/issues\/7\/labels$/).map((r) => JSON.parse(r.body)),
      [{ labels: [CHANGES] }],
    );
    assert.is(h.github.commentsOn(7).length, 1);
    assert.match(h.err.join(""), `Labels on #7: added ${CHANGES}; created ${CHANGES} in acme/infra.`);
  } finally {
    await h.cleanup();
  }
});

test("the plan converges: ark-sync:changes gives way to ark-sync:no-changes; a label removed by hand comes back", async () => {
  const h = await harness();
  try {
    h.github.addLabels(7, "team/search");
    await h.run(createPlan());
    assert.is(await h.run(noChangesPlan()), 0);
    assert.equal(h.github.labelsOn(7), ["team/search", NO_CHANGES]);
    assert.equal(
      h.github.requestsMatching(/^DELETE /).map((r) => r.path),
      ["/repos/acme/infra/issues/7/labels/ark-sync%3Achanges"],
      "the colon is URL-encoded",
    );
    assert.equal(
      h.github.labels.find((label) => label.name === NO_CHANGES),
      PLAN_LABELS.noChanges,
    );

    h.github.issueLabels.set(7, ["team/search"]);
    const before = labelRequests(h).length;
    assert.is(await h.run(noChangesPlan()), 0);
    assert.match(
      h.err.at(-1) ?? "",
      `Labels on #7: added ${NO_CHANGES}.`,
      "an unchanged comment still syncs",
    );
    assert.equal(h.github.labelsOn(7), ["team/search", NO_CHANGES]);
    assert.equal(
      labelRequests(h)
        .slice(before)
        .map((r) => `${r.method} ${r.path}`),
      [
        "GET /repos/acme/infra/issues/7/labels?per_page=100",
        "GET /repos/acme/infra/labels?per_page=100",
        "POST /repos/acme/infra/issues/7/labels",
      ],
      "the label exists in the repository, so it is not created again",
    );
  } finally {
    await h.cleanup();
  }
});

test("ark-sync:destroy is added for a destroy and for a replacement, and removed when they are gone", async () => {
  const h = await harness();
  try {
    assert.is(await h.run(destroyPlan()), 0);
    assert.equal(h.github.labelsOn(7), [CHANGES, DESTROY]);
    assert.equal(
      h.github.labels.find((label) => label.name === DESTROY),
      PLAN_LABELS.destroy,
    );

    const before = labelRequests(h).length;
    assert.is(await h.run(replacementPlan()), 0);
    assert.equal(h.github.labelsOn(7), [CHANGES, DESTROY]);
    assert.equal(
      labelRequests(h)
        .slice(before)
        .map((r) => r.method),
      ["GET"],
      "labels already in step: only read",
    );

    assert.is(await h.run(createPlan()), 0);
    assert.equal(h.github.labelsOn(7), [CHANGES]);

    assert.is(await h.run(smallPlan()), 0);
    assert.equal(h.github.labelsOn(7), [CHANGES, DESTROY]);
    assert.is(await h.run(noChangesPlan()), 0);
    assert.equal(h.github.labelsOn(7), [NO_CHANGES]);
  } finally {
    await h.cleanup();
  }
});

test("labels the repository already has are used as they are, in any case; a create that lost the race is fine", async () => {
  const h = await harness();
  try {
    h.github.labels.push({ name: "ARK-SYNC:Changes", color: "5319e7", description: "ours" });
    h.github.addLabels(7, "ark-sync:NO-CHANGES");
    // Another run creates ark-sync:destroy between this run's list and its create.
    h.github.inject(/^POST \/repos\/acme\/infra\/labels$/, {
      status: 422,
      body: { message: "Validation Failed", errors: [{ resource: "Label", code: "already_exists" }] },
    });
    assert.is(await h.run(destroyPlan()), 0);
    assert.equal(h.github.labelsOn(7), ["ARK-SYNC:Changes", DESTROY]);
    assert.equal(h.github.labels[0], { name: "ARK-SYNC:Changes", color: "5319e7", description: "ours" });
    assert.equal(
      h.github.requestsMatching(/^POST \/repos\/acme\/infra\/labels$/).map((r) => JSON.parse(r.body).name),
      [DESTROY],
      "only the missing label is created",
    );
    assert.equal(
      h.github.requestsMatching(/^DELETE /).map((r) => r.path),
      ["/repos/acme/infra/issues/7/labels/ark-sync%3ANO-CHANGES"],
    );
    // The fake repository has no rules, so the log warns about those; nothing about the labels.
    assert.not.match(h.err.join(""), "labels were not updated");
  } finally {
    await h.cleanup();
  }
});

test("--no-labels: the comment, and no label request at all", async () => {
  const h = await harness();
  try {
    h.github.addLabels(7, CHANGES);
    assert.is(await h.run(noChangesPlan(), false), 0);
    assert.is(h.github.commentsOn(7).length, 1);
    assert.equal(labelRequests(h), []);
    assert.equal(h.github.labelsOn(7), [CHANGES]);
  } finally {
    await h.cleanup();
  }
});

test("a token that cannot label (403): a warning that says what to do, and the comment is posted", async () => {
  const h = await harness();
  try {
    h.github.tokens.set(TOKEN, { user: ACTIONS_BOT, installation: true, cannotLabel: true });
    assert.is(await h.run(smallPlan()), 0);
    assert.is(h.github.commentsOn(7).length, 1);
    assert.match(h.github.commentsOn(7)[0]?.body ?? "", "Plan: 2 to add");
    const warning = h.err.join("");
    assert.match(
      warning,
      "Warning: the pull request's labels were not updated (GitHub refused POST /repos/acme/infra/labels (403: Resource not accessible by integration)); the comment is posted.",
    );
    assert.match(warning, "`issues: write`");
    assert.match(warning, "--no-labels");
    assert.equal(h.github.labelsOn(7), []);
  } finally {
    await h.cleanup();
  }
});

test("after a matrix of plans: the labels follow every directory's comment together", async () => {
  const h = await harness();
  const log: string[] = [];
  const labelsFromComments = (directories?: string[]) =>
    labelFromComments(directories ? { directories } : {}, { env: h.env, log: (line) => log.push(line) });
  try {
    // Each plan job comments on its own directory and leaves the labels alone.
    assert.is(await h.run(destroyPlan(), false, "envs/prod"), 0);
    assert.is(await h.run(noChangesPlan(), false, "envs/staging"), 0);
    assert.equal(h.github.labelsOn(7), []);

    assert.is(await labelsFromComments(["envs/prod", "envs/staging"]), 2);
    assert.equal(h.github.labelsOn(7), [CHANGES, DESTROY], "one directory destroys");
    assert.is(await labelsFromComments(["envs/staging"]), 1, "only the matrix's directories count");
    assert.equal(h.github.labelsOn(7), [NO_CHANGES]);

    const prod = h.github.commentsOn(7).find((c) => c.body.includes("envs/prod"));
    assert.ok(prod);
    prod.minimized = true;
    assert.is(await labelsFromComments(), 1, "a minimized comment is an outdated plan");
    assert.equal(h.github.labelsOn(7), [NO_CHANGES]);

    // A comment with no plan record (its plan failed) counts for neither label.
    h.github.addComment(
      7,
      ACTIONS_BOT,
      `${commentMarker("envs/dev")}\n### ark-sync plan for \`envs/dev\` failed`,
    );
    assert.is(await labelsFromComments(["envs/dev"]), null);
    assert.match(
      log.join("\n"),
      "No plan on pull request #7 to label it from; its labels are left as they are.",
    );
    assert.equal(h.github.labelsOn(7), [NO_CHANGES]);
  } finally {
    await h.cleanup();
  }
});

test.run();
