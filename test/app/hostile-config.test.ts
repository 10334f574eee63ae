// Hostile ark-sync.yaml files, bases and policies (docs/manifests.md#limits-and-hostile-input), run
// through the application layer in this process, in real temporary git repositories: each ends in a
// located error (or a clean result) within a time bound, never "a bug in ark-sync".
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as validate from "../../src/app/validate.js";
import { git, makeTempDir } from "../state/helpers.js";
import { runLikeCli, testContext } from "./context.js";
import { writeTree } from "./file-tree.js";

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

test.run();
