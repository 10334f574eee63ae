// Property (docs/manifests.md#limits-and-hostile-input): whatever an ark-sync.yaml says — bases anywhere
// on the machine, through links, in cycles; patches through prototype keys; policies that are pipes,
// devices or catastrophic patterns; prefixes with invisible characters; values of the wrong shape — validate,
// render and an offline plan answer within a time bound, with exit 0 or exit 1 and a file:line:col
// error (plan may also fail on its state with a plain error), never "a bug in ark-sync", and nothing is
// written anywhere.
import { execFileSync } from "node:child_process";
import { lstatSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { stringify } from "yaml";
import * as plan from "../../src/app/plan.js";
import * as render from "../../src/app/render.js";
import * as validate from "../../src/app/validate.js";
import { git, makeTempDir } from "../state/helpers.js";
import { planOptionsFor, runLikeCli, testContext } from "./context.js";
import { writeTree } from "./file-tree.js";
import { within } from "./time-bound.js";

const test = suite("hostile ark-sync.yaml files never crash, hang or write");

const endpoint = (name: string) =>
  `apiVersion: ark-sync/v1\nkind: Endpoint\nname: ${name}\nmodel_reference:\n  custom_model_id: cm-1\nrate_limit: {rpm: 5}\ntags:\n  - {key: team, value: a}\n`;

/**
 * outer/repo is the git repository, with the directory under test (prod), two bases (base, other: the
 * one whose ark-sync.yaml is also generated), policies, a pipe, and links out; outer/outside is beside
 * it, outside the repository.
 */
function layout(outer: string): { repo: string; pipe: string } {
  const repo = join(outer, "repo");
  mkdirSync(join(repo, "prod"), { recursive: true });
  git(repo, ["init", "--quiet"]);
  const files: Record<string, string> = {
    "repo/base/chat.yaml": endpoint("chat"),
    "repo/other/search.yaml": endpoint("search"),
    "repo/policies/slow.yaml": 'properties:\n  name: {pattern: "^(a+)+$"}\n',
    "repo/policies/lookahead.yaml": "properties:\n  name: {pattern: '(?=a)'}\n",
    "repo/policies/owner.json": '{"required": ["tags"]}',
    "outside/leak.yaml": endpoint("leak"),
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(outer, name, ".."), { recursive: true });
    writeFileSync(join(outer, name), text);
  }
  const pipe = join(repo, "policies/pipe.yaml");
  execFileSync("mkfifo", [pipe]);
  symlinkSync(join(outer, "outside"), join(repo, "link-out"));
  symlinkSync("/proc/self/environ", join(repo, "policies/environ.yaml"));
  return { repo, pipe };
}

const BASES = [
  "../base",
  "../other",
  "../prod",
  "..",
  ".",
  "/",
  "/proc",
  "/dev",
  "../missing",
  "../link-out",
];
const BASES_OF_OTHER = ["../base", "../prod", "../other", "/", "../link-out"];
const POLICIES = [
  "../policies/slow.yaml",
  "../policies/lookahead.yaml",
  "../policies/owner.json",
  "../policies/pipe.yaml",
  "../policies/environ.yaml",
  "/dev/zero",
  "/proc/self/environ",
  "../missing.yaml",
];
const POINTERS = [
  "",
  "/",
  "/name",
  "/rate_limit/rpm",
  "/rate_limit/tpm",
  "/tags/-",
  "/tags/0/key",
  "/model_reference/custom_model_id",
  "/__proto__/polluted",
  "/constructor/prototype",
  "/tags/__proto__",
  "/~1",
];
const STATES = [
  "local:state.json",
  "local:/proc/self/environ",
  "local:/dev/zero",
  "local:../../outside/s.json",
];

/** Strings with the characters hostile input favours: controls, invisible and bidi characters, quotes. */
const hostileString = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z0-9 _./:-]{0,8}$/), weight: 6 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 6 }), weight: 1 },
  { arbitrary: fc.constantFrom("\u200b", "\u202e", "\u0007", "a/b", "sys:", "'", "-0", ""), weight: 2 },
);
/** Any JSON value, or one of a few of the wrong shape. */
const anything = fc.oneof(
  { arbitrary: fc.constantFrom(null, 5, -1, 0.5, true, [], {}, "x", [null], { rpm: 0 }), weight: 5 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
);
/** Mostly `shaped`, sometimes anything: a value of the wrong shape stops at the schema, so rarely. */
const mostly = <T>(shaped: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: shaped, weight: 12 }, { arbitrary: anything, weight: 1 });

const operation = fc.record(
  {
    op: fc.oneof(
      { arbitrary: fc.constantFrom("add", "remove", "replace", "move", "copy", "test"), weight: 8 },
      { arbitrary: hostileString, weight: 1 },
    ),
    path: fc.oneof(
      { arbitrary: fc.constantFrom(...POINTERS), weight: 4 },
      { arbitrary: hostileString, weight: 1 },
    ),
    from: fc.constantFrom(...POINTERS),
    value: anything,
  },
  { requiredKeys: ["op", "path"] },
);

const configValue = (bases: string[]) =>
  fc.record(
    {
      apiVersion: fc.oneof({ arbitrary: fc.constant("ark-sync/v1"), weight: 20 }, fc.constant("v2")),
      kind: fc.constant("Config"),
      bases: mostly(fc.array(fc.constantFrom(...bases), { maxLength: 4 })),
      name_prefix: hostileString,
      name_suffix: hostileString,
      common_tags: mostly(
        fc.array(fc.record({ key: hostileString, value: hostileString }), { maxLength: 3 }),
      ),
      defaults: mostly(
        fc.record(
          {
            description: hostileString,
            project_name: hostileString,
            rate_limit: fc.record({ rpm: fc.integer({ min: -1, max: 5 }) }),
            moderation: fc.record({ strategy: fc.constantFrom("Basic", "Default", "Strict") }),
          },
          { requiredKeys: [] },
        ),
      ),
      patches: mostly(
        fc.array(
          fc.record({
            target: fc.constantFrom("default/chat", "default/search", "default/x", ""),
            patch: fc.array(operation, { minLength: 1, maxLength: 3 }),
          }),
          { maxLength: 2 },
        ),
      ),
      policies: fc.array(fc.constantFrom(...POLICIES), { maxLength: 3 }),
      state: fc.constantFrom(...STATES),
      api_url: fc.constantFrom("https://user:pass@ark.example.com", "not a url"),
      max_destroy: mostly(fc.integer({ min: -1, max: 3 })),
    },
    { requiredKeys: ["apiVersion", "kind", "bases"] },
  );

/** The ark-sync.yaml text: the generated value as YAML, sometimes with hostile YAML of its own. */
const configText = (bases: string[]) =>
  fc
    .tuple(
      configValue(bases),
      fc.oneof(
        { arbitrary: fc.constant(""), weight: 10 },
        {
          arbitrary: fc.constantFrom("&a x: *a\n", "__proto__: 1\n", "---\n", "\u0000", "!!js/function f\n"),
          weight: 1,
        },
      ),
    )
    .map(([value, tail]) => `${stringify(value, { aliasDuplicateObjects: false })}${tail}`);

/** Every file and link under `dir` with its size and modification time, links not followed. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => ({ name, stats: lstatSync(join(dir, name)) }))
    .filter(({ stats }) => !stats.isDirectory())
    .map(({ name, stats }) => `${name} ${stats.size} ${stats.mtimeMs}`)
    .sort();
}

/** A line `file:line:col: message`, with a real position. */
const LOCATED = /^\S.*:[1-9]\d*:[1-9]\d*: /m;

test("validate, render and plan answer hostile configurations in time, located, without a bug or a write", async () => {
  const outer = makeTempDir("fuzz-config");
  try {
    const { repo, pipe } = layout(outer.path);
    const dir = join(repo, "prod");
    const before = snapshot(outer.path);
    await fc.assert(
      fc.asyncProperty(configText(BASES), configText(BASES_OF_OTHER), async (prod, other) => {
        await writeTree(repo, { "prod/ark-sync.yaml": prod, "other/ark-sync.yaml": other });
        const checked = await within(2, [pipe], () => runLikeCli(validate.run, { dir }, testContext()));
        const rendered = await within(2, [pipe], () => runLikeCli(render.run, { dir }, testContext()));
        const offline: plan.PlanOptions = planOptionsFor(
          dir,
          { parallelism: 1 },
          { refresh: false, allowEmpty: true, arkDryRun: false },
        );
        const planned = await within(2, [pipe], () => runLikeCli(plan.run, offline, testContext()));
        for (const [command, result] of [
          ["validate", checked],
          ["render", rendered],
          ["plan", planned],
        ] as const) {
          const context = `${command}:\n--- prod/ark-sync.yaml\n${prod}--- other/ark-sync.yaml\n${other}--- stderr\n${result.stderr}`;
          assert.not.match(result.stderr, "bug in ark-sync", context);
          assert.ok(result.code === 0 || result.code === 1, context);
          if (result.code === 1 && command !== "plan") assert.match(result.stderr, LOCATED, context);
        }
        assert.is(({} as Record<string, unknown>).polluted, undefined);
      }),
      { numRuns: 60, seed: 20261207 },
    );
    const changed = snapshot(outer.path).filter((entry) => !before.includes(entry));
    const generated = new Set(["repo/prod/ark-sync.yaml", "repo/other/ark-sync.yaml"]);
    assert.equal(
      changed.filter((entry) => !generated.has(entry.split(" ")[0] ?? "")),
      [],
      "nothing but the generated files changed",
    );
  } finally {
    rmSync(outer.path, { recursive: true, force: true });
  }
});

test.run();
