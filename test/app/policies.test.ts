// Policies and max_destroy in ark-sync.yaml (docs/manifests.md#policies-and-max_destroy): JSON Schema
// policies checked by validate and plan in this process, in real temporary folders, each violation at
// the place the failing value was written; a plan over max_destroy refused unless the flag lifts it,
// against the emulator.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as apply from "../../src/app/apply.js";
import * as plan from "../../src/app/plan.js";
import * as validate from "../../src/app/validate.js";
import type { Plan } from "../../src/core/types.js";
import { type Emulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { git } from "../state/helpers.js";
import { runLikeCli, testContext } from "./context.js";
import { writeTree } from "./file-tree.js";

const credentials = { accessKey: "AKLTpolicyAccessKey001", secretKey: "policy/Secret+Key==001" };
const env = { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey };

const test = suite<{ root: string }>("policies and max_destroy in ark-sync.yaml");

test.before.each(async (context) => {
  context.root = await mkdtemp(join(tmpdir(), "ark-sync-policies-"));
  // Bases must lie in the repository that holds the directory (docs/manifests.md#overlays-ark-syncyaml).
  git(context.root, ["init", "--quiet"]);
});

test.after.each(async ({ root }) => {
  await rm(root, { recursive: true, force: true });
});

const endpoint = (name: string, extra = "") => `apiVersion: ark-sync/v1
kind: Endpoint
name: ${name}
model_reference:
  foundation_model:
    name: doubao-1-5-pro-32k
    model_version: "250115"
${extra}`;

const base = `${endpoint("chat")}---
${endpoint("search", "moderation:\n  strategy: Default\n")}`;

const basicModeration = `title: prod endpoints use Basic moderation
properties:
  moderation:
    properties:
      strategy: {const: Basic}
    required: [strategy]
required: [moderation]
`;

const ownerTag = JSON.stringify({
  title: "every endpoint has an owner tag",
  properties: { tags: { contains: { properties: { key: { const: "owner" } }, required: ["key"] } } },
  required: ["tags"],
});

const config = (extra: string) => `apiVersion: ark-sync/v1
kind: Config
bases: [../base]
name_suffix: -prod
${extra}`;

const offlinePlan = (dir: string): plan.PlanOptions => ({
  dir,
  ark: { parallelism: 10 },
  json: false,
  detailedExitcode: true,
  refresh: false,
  targets: [],
  allowEmpty: false,
  arkDryRun: false,
});

test("a policy violation fails validate and plan where the failing value was written, with the policy's title and path", async ({
  root,
}) => {
  await writeTree(root, {
    "base/endpoints.yaml": base,
    "policies/moderation.yaml": basicModeration,
    "policies/owner.json": ownerTag,
    "prod/ark-sync.yaml": config(
      "common_tags:\n  - {key: owner, value: ml-platform}\npolicies:\n  - ../policies/moderation.yaml\n  - ../policies/owner.json\n",
    ),
  });
  const expected = [
    `${join(root, "base/endpoints.yaml")}:1:1: 'default/chat-prod' breaks policy 'prod endpoints use Basic moderation': /moderation is required`,
    `${join(root, "base/endpoints.yaml")}:17:13: 'default/search-prod' breaks policy 'prod endpoints use Basic moderation': /moderation/strategy must be "Basic"`,
  ];
  const checked = await runLikeCli(validate.run, { dir: join(root, "prod") }, testContext());
  assert.is(checked.code, 1);
  assert.is(checked.stderr, `${expected.join("\n")}\n2 errors in 1 file.\n`);

  const planned = await runLikeCli(plan.run, offlinePlan(join(root, "prod")), testContext());
  assert.is(planned.code, 1);
  assert.ok(planned.stderr.startsWith(`${expected.join("\n")}\n`), planned.stderr);
  assert.match(planned.stderr, "nothing was read from or sent to Ark");
  assert.is(planned.stdout, "");
});

test("a value the overlay set is reported at the overlay; a directory that satisfies its policies passes", async ({
  root,
}) => {
  await writeTree(root, {
    "base/endpoints.yaml": `${endpoint("chat")}---\n${endpoint("search")}`,
    "policies/moderation.yaml": basicModeration,
    "prod/ark-sync.yaml": config(
      "defaults:\n  moderation: {strategy: Default}\npolicies: [../policies/moderation.yaml]\n",
    ),
  });
  const failing = await runLikeCli(validate.run, { dir: join(root, "prod") }, testContext());
  assert.is(failing.code, 1);
  assert.is(
    failing.stderr,
    `${join(root, "prod/ark-sync.yaml")}:6:15: 'default/chat-prod' breaks policy 'prod endpoints use Basic moderation': /moderation/strategy must be "Basic"\n` +
      `${join(root, "prod/ark-sync.yaml")}:6:15: 'default/search-prod' breaks policy 'prod endpoints use Basic moderation': /moderation/strategy must be "Basic"\n` +
      "2 errors in 1 file.\n",
  );

  await writeTree(root, {
    "prod/ark-sync.yaml": config(
      "defaults:\n  moderation: {strategy: Basic}\npolicies: [../policies/moderation.yaml]\n",
    ),
  });
  const passing = await runLikeCli(validate.run, { dir: join(root, "prod") }, testContext());
  assert.is(passing.code, 0, passing.stderr);
  assert.is(passing.stdout, "Success! 2 endpoints in 1 file are valid.\n");
  const planned = await runLikeCli(plan.run, offlinePlan(join(root, "prod")), testContext());
  assert.is(planned.code, 2, planned.stderr);
  assert.match(planned.stdout, "Plan: 2 to add, 0 to change, 0 to destroy.");
});

test("a policy file that is missing, not YAML or not a valid schema is an error at its item", async ({
  root,
}) => {
  await writeTree(root, {
    "base/endpoints.yaml": base,
    "policies/broken.yaml": "title: [unclosed\n",
    "policies/misspelt.yaml": "title: typo\npropertis: {}\n",
    "policies/list.json": "[]",
    "prod/ark-sync.yaml": config(
      "policies:\n  - ../policies/missing.yaml\n  - ../policies/broken.yaml\n  - ../policies/misspelt.yaml\n  - ../policies/list.json\n",
    ),
  });
  const result = await runLikeCli(validate.run, { dir: join(root, "prod") }, testContext());
  assert.is(result.code, 1);
  const lines = result.stderr.trimEnd().split("\n");
  const file = join(root, "prod/ark-sync.yaml");
  assert.is(lines.length, 5, result.stderr);
  assert.ok(lines[0]?.startsWith(`${file}:6:5: cannot read policy '${join(root, "policies/missing.yaml")}`));
  assert.match(lines[0] ?? "", "no such file");
  assert.ok(lines[1]?.startsWith(`${file}:7:5: policy '`) && lines[1].includes("is not valid JSON or YAML"));
  assert.ok(
    lines[2]?.startsWith(`${file}:8:5: policy '`) && lines[2].includes('unknown keyword: "propertis"'),
  );
  assert.ok(
    lines[3]?.startsWith(`${file}:9:5: policy '`) &&
      lines[3].includes("is not a JSON Schema: it must be a map"),
  );
  assert.is(lines[4], "4 errors in 1 file.");
});

test("policy files inside the directory are policies, not manifests, whether named relatively or not", async ({
  root,
}) => {
  const absolute = join(root, "prod/policies/owner.json");
  await writeTree(root, {
    "base/ark-sync.yaml": "apiVersion: ark-sync/v1\nkind: Config\npolicies: [rules/any.yaml]\n",
    "base/rules/any.yaml": "title: anything goes\n",
    "base/endpoints.yaml": base,
    "prod/policies/moderation.yaml": basicModeration,
    "prod/policies/owner.json": ownerTag,
    "prod/endpoints.yaml": endpoint(
      "embed",
      "moderation: {strategy: Basic}\ntags:\n  - {key: owner, value: ml}\n",
    ),
    "prod/ark-sync.yaml": config(`policies:\n  - policies/moderation.yaml\n  - ${absolute}\n`),
  });
  const result = await runLikeCli(validate.run, { dir: join(root, "prod") }, testContext());
  assert.is(result.code, 1);
  const violations = result.stderr.trimEnd().split("\n");
  assert.is(violations.pop(), "4 errors in 1 file.", "only base/endpoints.yaml has problems");
  assert.equal(
    violations.map((line) => line.slice(line.indexOf(": ") + 2)),
    [
      "'default/chat-prod' breaks policy 'every endpoint has an owner tag': /tags is required",
      "'default/chat-prod' breaks policy 'prod endpoints use Basic moderation': /moderation is required",
      "'default/search-prod' breaks policy 'every endpoint has an owner tag': /tags is required",
      `'default/search-prod' breaks policy 'prod endpoints use Basic moderation': /moderation/strategy must be "Basic"`,
    ],
  );
  assert.ok(
    violations.every((line) => line.startsWith(join(root, "base/endpoints.yaml"))),
    result.stderr,
  );

  const fixed = base.replaceAll(
    'model_version: "250115"\n',
    'model_version: "250115"\nmoderation: {strategy: Basic}\ntags:\n  - {key: owner, value: ml}\n',
  );
  await writeTree(root, { "base/endpoints.yaml": fixed.replace("moderation:\n  strategy: Default\n", "") });
  const passing = await runLikeCli(validate.run, { dir: join(root, "prod") }, testContext());
  assert.is(passing.code, 0, passing.stderr);
  assert.is(
    passing.stdout,
    "Success! 3 endpoints in 2 files are valid.\n",
    "neither prod's policies nor base's are manifests",
  );
});

test("a plan that destroys or replaces more than max_destroy fails; --allow-destroy-over-limit lifts it", async ({
  root,
}) => {
  const emulator: Emulator = await startEmulator({ ...credentials, provisioningDelayMs: 10 });
  try {
    const dir = join(root, "prod");
    const settings = `apiVersion: ark-sync/v1\nkind: Config\napi_url: ${emulator.url}\nmax_destroy: 1\n`;
    await writeTree(root, {
      "prod/ark-sync.yaml": settings,
      "prod/endpoints.yaml": `${endpoint("chat")}---\n${endpoint("search")}`,
    });
    const applyOptions: apply.ApplyOptions = {
      path: dir,
      ark: { parallelism: 10 },
      autoApprove: true,
      allowEmpty: false,
      targets: [],
      waitTimeoutSeconds: 30,
      switchUndo: "rollback",
    };
    const created = await runLikeCli(apply.run, applyOptions, testContext({ env }));
    assert.is(created.code, 0, created.stderr);
    // chat is replaced (tags cannot change in place), search destroyed: 2 > max_destroy 1.
    await writeTree(root, {
      "prod/endpoints.yaml": endpoint("chat", "tags:\n  - {key: team, value: chat}\n"),
    });
    const options: plan.PlanOptions = { ...offlinePlan(dir), refresh: true, json: true };
    const refused = await runLikeCli(plan.run, options, testContext({ env }));
    assert.is(refused.code, 1, refused.stderr);
    const errors = (JSON.parse(refused.stdout) as Plan).errors;
    assert.equal(errors, [
      {
        code: "max_destroy_exceeded",
        message:
          "This plan would destroy or replace 2 endpoints, more than max_destroy (1) in ark-sync.yaml allows. If that is intended, run plan and apply again with --allow-destroy-over-limit (sync never lifts it).",
      },
    ]);
    const text = await runLikeCli(plan.run, { ...options, json: false }, testContext({ env }));
    assert.match(text.stdout, "Too many endpoints destroyed");

    const blocked = await runLikeCli(apply.run, applyOptions, testContext({ env }));
    assert.is(blocked.code, 1);
    assert.match(blocked.stderr, "the plan has errors (shown above), so nothing was applied.");
    assert.is(emulator.listEndpoints().length, 2);

    const lifted = await runLikeCli(
      plan.run,
      { ...options, allowDestroyOverLimit: true },
      testContext({ env }),
    );
    assert.is(lifted.code, 2, lifted.stderr);
    assert.equal((JSON.parse(lifted.stdout) as Plan).errors, []);
    const applied = await runLikeCli(
      apply.run,
      { ...applyOptions, allowDestroyOverLimit: true },
      testContext({ env }),
    );
    assert.is(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, "Apply complete! Resources: 1 added, 0 changed, 2 destroyed.");
  } finally {
    await emulator.close();
  }
});

test.run();
