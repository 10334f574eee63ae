// The example overlay layout in docs/examples/overlays (the one README.md and docs/manifests.md#overlays-ark-syncyaml
// draw) stays what they say: prod and staging valid on one base, listed by `projects`, prod's policy
// kept inside prod and not read as a manifest.
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as projects from "../../src/app/projects.js";
import * as render from "../../src/app/render.js";
import * as validate from "../../src/app/validate.js";
import { repoRoot } from "../state/helpers.js";
import { runLikeCli, testContext } from "./context.js";

const example = join(repoRoot, "docs/examples/overlays");

test("prod and staging are valid, each from the base's two files", async () => {
  for (const stage of ["prod", "staging"]) {
    const checked = await runLikeCli(validate.run, { dir: join(example, stage) }, testContext());
    assert.is(checked.code, 0, checked.stderr);
    assert.is(checked.stdout, "Success! 2 endpoints in 2 files are valid.\n", stage);
  }
});

test("render prod: suffixed names, the env tag, Basic moderation and the patched limit", async () => {
  const rendered = await runLikeCli(render.run, { dir: join(example, "prod") }, testContext());
  assert.is(rendered.code, 0, rendered.stderr);
  const names = [...rendered.stdout.matchAll(/^name: (.+)$/gm)].map((match) => match[1]);
  assert.equal(names, ["chat-prod", "search-prod"]);
  assert.is(rendered.stdout.split("strategy: Basic\n").length - 1, 2);
  assert.is(rendered.stdout.split("value: prod\n").length - 1, 2);
  assert.match(rendered.stdout, "tpm: 500000\n");
});

test("projects lists prod and staging with their region, state and apply environment", async () => {
  const listed = await runLikeCli(
    projects.run,
    { root: example, json: true },
    testContext({ cwd: repoRoot }),
  );
  assert.is(listed.code, 0, listed.stderr);
  assert.equal(JSON.parse(listed.stdout), {
    include: [
      {
        dir: `${example}/prod`,
        region: "cn-shanghai",
        api_url: null,
        state: "git:ark-sync-state-prod",
        environment: "production",
      },
      {
        dir: `${example}/staging`,
        region: null,
        api_url: null,
        state: "git:ark-sync-state-staging",
        environment: "ark-sync-apply/docs/examples/overlays/staging",
      },
    ],
  });
});

test.run();
