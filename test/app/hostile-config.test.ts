// Hostile ark-sync.yaml files, bases and policies (docs/manifests.md#limits-and-hostile-input), run
// through the application layer in this process, in real temporary git repositories: each ends in a
// located error (or a clean result) within a time bound, never "a bug in ark-sync".
import { execFileSync } from "node:child_process";
import { symlink } from "node:fs/promises";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as plan from "../../src/app/plan.js";
import * as projects from "../../src/app/projects.js";
import * as render from "../../src/app/render.js";
import * as validate from "../../src/app/validate.js";
import { git, makeTempDir } from "../state/helpers.js";
import { runLikeCli, testContext } from "./context.js";
import { writeTree } from "./file-tree.js";
import { within } from "./time-bound.js";

const test = suite<{ root: string; remove(): void }>("hostile ark-sync.yaml, bases and policies");

test.before.each((context) => {
  const temp = makeTempDir("hostile-config");
  Object.assign(context, { root: temp.path, remove: temp.remove });
  git(temp.path, ["init", "--quiet"]);
});

test.after.each(({ remove }) => remove());

const endpoint = (name: string) => `apiVersion: ark-sync/v1
kind: Endpoint
name: ${name}
model_reference:
  foundation_model:
    name: doubao-1-5-pro-32k
    model_version: "250115"
`;

const config = (lines: string) => `apiVersion: ark-sync/v1\nkind: Config\n${lines}`;

/** `validate DIR` as the CLI runs it. */
async function validateDir(dir: string) {
  return runLikeCli(validate.run, { dir }, testContext());
}

function assertNoBug(stderr: string): void {
  assert.not.match(stderr, "bug in ark-sync");
  assert.not.match(stderr, "unexpected failure");
}

test("a patch path or from through __proto__, constructor or prototype is an error at the operation", async ({
  root,
}) => {
  await writeTree(root, {
    "base/chat.yaml": endpoint("chat"),
    "prod/ark-sync.yaml": config(
      [
        "bases: [../base]",
        "patches:",
        "  - target: default/chat",
        "    patch:",
        "      - {op: add, path: /__proto__/polluted, value: yes}",
        "      - {op: copy, from: /constructor/prototype, path: /description}",
        "      - {op: replace, path: /model_reference/prototype, value: 1}",
        "",
      ].join("\n"),
    ),
  });
  const result = await validateDir(join(root, "prod"));
  assertNoBug(result.stderr);
  assert.is(result.code, 1);
  const file = join(root, "prod/ark-sync.yaml");
  assert.is(
    result.stderr,
    `${file}:7:9: patch add '/__proto__/polluted': '__proto__' is never an attribute name; a patch may not go through __proto__, constructor or prototype\n` +
      `${file}:8:9: patch copy from '/constructor/prototype': 'constructor' is never an attribute name; a patch may not go through __proto__, constructor or prototype\n` +
      `${file}:9:9: patch replace '/model_reference/prototype': 'prototype' is never an attribute name; a patch may not go through __proto__, constructor or prototype\n` +
      "3 errors in 1 file.\n",
  );
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

test("values of the wrong shape are schema errors at their place, never a crash", async ({ root }) => {
  await writeTree(root, {
    "prod/ark-sync.yaml": config("common_tags: [null]\npatches:\n  - target: default/chat\n    patch: 5\n"),
  });
  const result = await validateDir(join(root, "prod"));
  assertNoBug(result.stderr);
  assert.is(result.code, 1);
  const file = join(root, "prod/ark-sync.yaml");
  assert.match(result.stderr, `${file}:3:15: `);
  assert.match(result.stderr, `${file}:6:12: `);
  assert.match(result.stderr, "2 errors in 1 file.\n");
});

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

test("a policy pattern with catastrophic backtracking runs in linear time in validate, render and plan", async ({
  root,
}) => {
  // 27 characters take V8's backtracking engine several seconds; each added one doubles that.
  const slow = `${"a".repeat(27)}!`;
  await writeTree(root, {
    "prod/endpoints.yaml": `${endpoint(slow)}---\n${endpoint("aaaa")}`,
    "prod/names.yaml": 'title: names are all a\nproperties:\n  name: {pattern: "^(a+)+$"}\n',
    // ajv's strict mode tests each property name against each pattern: a name of the policy's own choosing.
    "prod/keys.json": JSON.stringify({
      properties: { [slow]: {} },
      patternProperties: { "^(a+)+$": { type: "string" } },
    }),
    "prod/ark-sync.yaml": config("policies: [names.yaml, keys.json]\n"),
  });
  const dir = join(root, "prod");
  const violation = `${join(dir, "endpoints.yaml")}:3:7: 'default/${slow}' breaks policy 'names are all a': /name must match pattern "^(a+)+$"`;
  for (const [command, run] of [
    ["validate", () => validateDir(dir)],
    ["render", () => runLikeCli(render.run, { dir }, testContext())],
    ["plan", () => runLikeCli(plan.run, offlinePlan(dir), testContext())],
  ] as const) {
    const started = performance.now();
    const result = await run();
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds < 2, `${command} took ${seconds.toFixed(1)} s`);
    assertNoBug(result.stderr);
    assert.is(result.code, 1, command);
    assert.ok(result.stderr.startsWith(`${violation}\n`), `${command}: ${result.stderr}`);
  }
});

test("a policy pattern the linear engine cannot run is an error at the pattern in the policy file", async ({
  root,
}) => {
  await writeTree(root, {
    "prod/endpoints.yaml": endpoint("chat"),
    "prod/policies/lookahead.yaml": "title: lookahead\nproperties:\n  name:\n    pattern: '^(?=chat)'\n",
    "prod/policies/backreference.json":
      '{\n  "patternProperties": {\n    "(a)\\\\1": {"type": "string"}\n  }\n}\n',
    "prod/ark-sync.yaml": config("policies:\n  - policies/lookahead.yaml\n  - policies/backreference.json\n"),
  });
  const result = await validateDir(join(root, "prod"));
  assertNoBug(result.stderr);
  assert.is(result.code, 1);
  const policies = join(root, "prod/policies");
  assert.is(
    result.stderr,
    `${policies}/backreference.json:3:5: pattern '(a)\\\\1' cannot be used: invalid escape sequence: \`\\1\`; policies use RE2 syntax, which runs in linear time and has no lookaround or backreferences\n` +
      `${policies}/lookahead.yaml:4:14: pattern '^(?=chat)' cannot be used: invalid or unsupported Perl syntax: \`(?=\`; policies use RE2 syntax, which runs in linear time and has no lookaround or backreferences\n` +
      "2 errors in 2 files.\n",
  );
});

test("pipes, devices and /proc files named as config, policy or manifest are refused at once where they are named", async ({
  root,
}) => {
  await writeTree(root, {
    "base/chat.yaml": endpoint("chat"),
    "pipes/chat.yaml": endpoint("pipes"),
    "prod/ark-sync.yaml": config(
      "bases: [../base, ../pipes]\npolicies:\n  - policy.fifo\n  - /dev/zero\n  - /proc/self/environ\n",
    ),
  });
  const policyPipe = join(root, "prod/policy.fifo");
  const configPipe = join(root, "pipes/ark-sync.yaml");
  execFileSync("mkfifo", [policyPipe, configPipe]);
  await symlink("/proc/self/environ", join(root, "base/environ.yaml"));
  const result = await within(5, [policyPipe, configPipe], () => validateDir(join(root, "prod")));
  assertNoBug(result.stderr);
  assert.is(result.code, 1);
  const file = join(root, "prod/ark-sync.yaml");
  assert.is(
    result.stderr,
    `${join(root, "base/environ.yaml")}:1:1: not a regular file: it holds more than the size it reports (a /proc or /sys file?)\n` +
      `${configPipe}:1:1: not a regular file (a pipe, socket or device)\n` +
      `${file}:5:5: cannot read policy '${policyPipe}': not a regular file (a pipe, socket or device)\n` +
      `${file}:6:5: cannot read policy '/dev/zero': not a regular file (a pipe, socket or device)\n` +
      `${file}:7:5: cannot read policy '/proc/self/environ': not a regular file: it holds more than the size it reports (a /proc or /sys file?)\n` +
      "5 errors in 3 files.\n",
  );
});

test("bases outside the repository, also through a symbolic link, are refused at their item before anything is read", async ({
  root,
}) => {
  const outside = makeTempDir("hostile-outside");
  try {
    await writeTree(outside.path, { "chat.yaml": endpoint("outside") });
    await writeTree(root, {
      "prod/ark-sync.yaml": config(`bases:\n  - /\n  - ${outside.path}\n  - ../link\n`),
    });
    await symlink(outside.path, join(root, "link"));
    const started = performance.now();
    const result = await validateDir(join(root, "prod"));
    assert.ok(performance.now() - started < 2000, "nothing outside was scanned");
    assertNoBug(result.stderr);
    assert.is(result.code, 1);
    const file = join(root, "prod/ark-sync.yaml");
    const refused = "bases must be in the repository that holds the directory";
    assert.is(
      result.stderr,
      `${file}:4:5: base '/' lies outside the repository '${root}'; ${refused}\n` +
        `${file}:5:5: base '${outside.path}' lies outside the repository '${root}'; ${refused}\n` +
        `${file}:6:5: base '${join(root, "link")}' lies outside the repository '${root}' (it leads to '${outside.path}'); ${refused}\n` +
        "3 errors in 1 file.\n",
    );
    // projects lists the project, says why, and reads nothing there.
    const listed = await runLikeCli(projects.run, { root, json: true }, testContext({ cwd: root }));
    assert.is(listed.code, 0);
    assert.match(listed.stderr, `${file}:4:5: base '/' lies outside the repository`);
    assert.is(listed.stderr.split("\n").length, 4, listed.stderr);
  } finally {
    outside.remove();
  }
});

test("outside a git repository, bases must lie inside the directory given", async () => {
  const alone = makeTempDir("hostile-no-git");
  try {
    await writeTree(alone.path, {
      "base/chat.yaml": endpoint("chat"),
      "prod/ark-sync.yaml": config("bases: [../base]\n"),
    });
    const result = await validateDir(join(alone.path, "prod"));
    assert.is(result.code, 1);
    assert.match(
      result.stderr,
      `${join(alone.path, "prod/ark-sync.yaml")}:3:9: base '${join(alone.path, "base")}' lies outside the repository '${join(alone.path, "prod")}'`,
    );
  } finally {
    alone.remove();
  }
});

/** `levels` levels of `width` directories, each built on every directory of the level below it. */
function diamond(levels: number, width: number, bottom: (name: string) => string): Record<string, string> {
  const tree: Record<string, string> = {};
  for (let level = 0; level < levels; level++) {
    for (let index = 0; index < width; index++) {
      const name = `l${level}-${index}`;
      if (level === levels - 1) {
        tree[`${name}/chat.yaml`] = bottom(name);
        continue;
      }
      const below = Array.from({ length: width }, (_, other) => `../l${level + 1}-${other}`);
      tree[`${name}/ark-sync.yaml`] = config(`bases: [${below.join(", ")}]\nname_suffix: '-${index}'\n`);
    }
  }
  return tree;
}

test("a 17-level diamond of bases (34 directories) ends within the run's endpoint limit, in well under a second", async ({
  root,
}) => {
  // Two endpoints at the bottom, renamed on every level: the top would hold 2^17 of them.
  await writeTree(
    root,
    diamond(17, 2, (name) => endpoint(`chat-${name}`)),
  );
  const started = performance.now();
  const result = await validateDir(join(root, "l0-0"));
  const seconds = (performance.now() - started) / 1000;
  assert.ok(seconds < 5, `took ${seconds.toFixed(1)} s`);
  assertNoBug(result.stderr);
  assert.is(result.code, 1);
  assert.match(
    result.stderr,
    /l\d+-\d\/ark-sync.yaml:3:\d+: base '[^']+' would bring this overlay to \d+ endpoints, with \d+ left of the 5000 one run resolves through overlays/,
  );
});

test("a 17-level diamond with no endpoints resolves each directory once: valid, at once", async ({
  root,
}) => {
  // Without each directory resolved once, the bottom would be read 2^16 times.
  await writeTree(
    root,
    diamond(17, 2, () => "# no endpoint here\n"),
  );
  const started = performance.now();
  const result = await validateDir(join(root, "l0-0"));
  const seconds = (performance.now() - started) / 1000;
  assert.ok(seconds < 5, `took ${seconds.toFixed(1)} s`);
  assert.is(result.code, 0, result.stderr);
  assert.is(result.stdout, "Success! 0 endpoints in 2 files are valid.\n");
});

test("bases nested deeper than 32 levels, or more than 256 directories, are refused at the item past the limit", async ({
  root,
}) => {
  const chain: Record<string, string> = { "d34/chat.yaml": endpoint("chat") };
  for (let level = 0; level < 34; level++)
    chain[`d${level}/ark-sync.yaml`] = config(`bases: [../d${level + 1}]\n`);
  const many: Record<string, string> = {};
  for (let index = 0; index < 257; index++) many[`b${index}/chat.yaml`] = endpoint(`chat-${index}`);
  const items = Object.keys(many).map((file) => `  - ../${file.replace(/\/chat.yaml$/, "")}`);
  await writeTree(root, { ...chain, ...many, "many/ark-sync.yaml": config(`bases:\n${items.join("\n")}\n`) });

  const deep = await validateDir(join(root, "d0"));
  assert.is(deep.code, 1);
  assert.is(
    deep.stderr,
    `${join(root, "d32/ark-sync.yaml")}:3:9: bases nest deeper than 32 levels below ${join(root, "d0")}\n1 error in 1 file.\n`,
  );
  const wide = await validateDir(join(root, "many"));
  assert.is(wide.code, 1);
  assert.is(
    wide.stderr,
    `${join(root, "many/ark-sync.yaml")}:260:5: base '${join(root, "b256")}' would be directory 257 of this run's bases, past the limit of 256\n1 error in 1 file.\n`,
  );
});

test("a state file that is not ours to show is described, never quoted", async ({ root }) => {
  await writeTree(root, {
    "prod/chat.yaml": endpoint("chat"),
    "prod/ark-sync.yaml": config("state: local:/proc/self/environ\n"),
    "env/ark-sync.yaml": config("state: local:../.env\n"),
    "env/chat.yaml": endpoint("chat"),
    ".env": "DEPLOY_TOKEN=hunter2\n",
  });
  const environ = await runLikeCli(plan.run, offlinePlan(join(root, "prod")), testContext());
  assertNoBug(environ.stderr);
  assert.is(environ.code, 1);
  assert.is(
    environ.stderr,
    "Error: cannot read /proc/self/environ: not a regular file: it holds more than the size it reports (a /proc or /sys file?)\n",
  );
  for (const device of ["/dev/zero", join(root, "state.fifo")]) {
    await writeTree(root, { "prod/ark-sync.yaml": config(`state: local:${device}\n`) });
    if (device.endsWith(".fifo")) execFileSync("mkfifo", [device]);
    const pipes = device.endsWith(".fifo") ? [device] : [];
    const refused = await within(5, pipes, () =>
      runLikeCli(plan.run, offlinePlan(join(root, "prod")), testContext()),
    );
    assert.is(refused.code, 1);
    assert.is(
      refused.stderr,
      `Error: cannot read ${device}: not a regular file (a pipe, socket or device)\n`,
    );
  }
  const text = await runLikeCli(plan.run, offlinePlan(join(root, "env")), testContext());
  assert.is(text.code, 1);
  assert.match(
    text.stderr,
    `invalid state in ${join(root, ".env")}: not valid JSON, so not a state document`,
  );
  // Not even the first few characters, which JSON.parse's own message quotes.
  assert.not.match(text.stderr, "DEPLOY");
});

test("projects never prints a password written in api_url, as JSON or as a table", async ({ root }) => {
  await writeTree(root, {
    "prod/ark-sync.yaml": config("api_url: https://deploy:s3cr3t-Pa55@ark.example.com:8443\n"),
  });
  for (const json of [true, false]) {
    const listed = await runLikeCli(projects.run, { root, json }, testContext({ cwd: root }));
    assert.is(listed.code, 0, listed.stderr);
    assert.not.match(listed.stdout, "s3cr3t");
    assert.not.match(listed.stdout, "deploy:");
    assert.match(listed.stdout, "https://***@ark.example.com:8443");
  }
});

test("problems that name_prefix, name_suffix, defaults or common_tags cause are reported at their key in ark-sync.yaml", async ({
  root,
}) => {
  await writeTree(root, {
    "base/chat.yaml": endpoint("chat"),
    "prod/ark-sync.yaml": config(
      [
        "bases: [../base]",
        'name_prefix: "team\\u200b-"',
        'name_suffix: "-prod\\u0007"',
        "common_tags:",
        '  - {key: "sys:owner", value: ml}',
        "defaults:",
        '  project_name: "a/b"',
        "",
      ].join("\n"),
    ),
  });
  const result = await validateDir(join(root, "prod"));
  assertNoBug(result.stderr);
  assert.is(result.code, 1);
  const file = join(root, "prod/ark-sync.yaml");
  assert.is(
    result.stderr,
    `${file}:4:14: name_prefix must not contain control or invisible characters (such as zero-width spaces)\n` +
      `${file}:5:14: name_suffix must not contain control or invisible characters (such as zero-width spaces)\n` +
      "2 errors in 1 file.\n",
  );
  // Once the prefix and suffix are fixed, the tag and the default are reported at theirs.
  await writeTree(root, {
    "prod/ark-sync.yaml": config(
      'bases: [../base]\nname_prefix: team-\ncommon_tags:\n  - {key: "sys:owner", value: ml}\ndefaults:\n  project_name: "a/b"\n',
    ),
  });
  const next = await validateDir(join(root, "prod"));
  assert.is(
    next.stderr,
    `${file}:6:5: tag key 'sys:owner' is reserved: keys starting with 'sys:', in any letter case, belong to Ark\n` +
      `${file}:8:17: project_name must not contain '/', control or invisible characters (such as zero-width spaces)\n` +
      "2 errors in 1 file.\n",
  );
});

test.run();
