// `npm start` runs `ark-sync demo`: the tour must run end to end and converge, with no account, and
// fit in 120 lines unless asked for everything. In this process; what the CLI adds (argv to options)
// is the same for every command.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as demo from "../../src/app/demo.js";
import { runExcerpted } from "../../src/app/demo-excerpt.js";
import { runLikeCli, testContext } from "./context.js";

const lineCount = (text: string) => text.split("\n").length - 1;

test("the tour imports, plans drift and an unmanaged tag, applies, and ends converged, in 120 lines", async () => {
  const result = await runLikeCli(demo.run, { keep: false, verbose: false }, testContext());
  assert.is(result.code, 0, result.stderr);
  const out = result.stdout;
  const order = [
    "1. ark-sync import default/chat-legacy",
    "# default/support-bot has changed",
    "Plan: 1 to add, 2 to change, 0 to destroy.",
    'default/search-assist: tags["cost-center"] = "cc-042"',
    "Apply complete! Resources: 1 added, 2 changed, 0 destroyed.",
    "4. ark-sync plan",
    "No changes.",
    "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.",
  ];
  let at = 0;
  for (const text of order) {
    const found = out.indexOf(text, at);
    assert.ok(found >= 0, `expected "${text}" after offset ${at}`);
    at = found;
  }
  assert.match(result.stderr, /Imported ep-\S+ as default\/chat-legacy/);
  assert.match(result.stderr, /default\/summarizer: Creation complete after \d+s \[id=ep-/);
  assert.match(result.stderr, /default\/support-bot: Switching model\.\.\. 100%/);
  const lines = lineCount(out) + lineCount(result.stderr);
  assert.ok(lines <= 120, `the tour printed ${lines} lines:\n${out}\n${result.stderr}`);
  // The first plan is shown once: apply's copy of it is left to --verbose.
  assert.is(out.split("# default/support-bot has changed").length - 1, 1);
  assert.not.match(out + result.stderr, "emulator-sk", "the secret key is never printed");
});

test("--verbose prints every step whole: the import's preview and each apply's plan", async () => {
  const result = await runLikeCli(demo.run, { keep: false, verbose: true }, testContext());
  assert.is(result.code, 0, result.stderr);
  const lines = lineCount(result.stdout) + lineCount(result.stderr);
  assert.ok(lines > 120, `only ${lines} lines`);
  assert.match(result.stdout, "The first plan for this endpoint will show:");
  assert.is(result.stdout.split("# default/support-bot has changed").length - 1, 2);
  assert.match(result.stdout, /Apply complete! Resources: 0 added, 1 changed, 0 destroyed\.\n/);
});

test("a step that fails prints everything it held back", async () => {
  const ctx = testContext();
  const code = await runExcerpted("outcome", ctx, async (step) => {
    step.io.err("Reading live endpoints...\n\n");
    step.io.err("default/x: Creating...\n");
    step.io.out("Plan: 1 to add, 0 to change, 0 to destroy.\n\nError: refused\n");
    return 1;
  });
  assert.is(code, 1);
  assert.is(ctx.io.stderr, "default/x: Creating...\nReading live endpoints...\n");
  assert.is(ctx.io.stdout, "Plan: 1 to add, 0 to change, 0 to destroy.\n\nError: refused\n");
});

test("a step that succeeds shows only its outcome line and apply's progress", async () => {
  const ctx = testContext();
  await runExcerpted("outcome", ctx, async (step) => {
    step.io.err("Reading live endpoints...\n");
    step.io.err("default/x: Creating...\n");
    step.io.out(
      "  + endpoint ...\n\nPlan: 1 to add, 0 to change, 0 to destroy.\n\nApply complete! Resources: 1 added, 0 changed, 0 destroyed.\n",
    );
    return 0;
  });
  assert.is(ctx.io.stderr, "default/x: Creating...\n");
  assert.is(ctx.io.stdout, "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.\n");
});

test.run();
