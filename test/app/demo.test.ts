// `npm start` runs `ark-sync demo`: the tour must run end to end and converge, with no account.
// In this process; what the CLI adds (argv to options) is the same for every command.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as demo from "../../src/app/demo.js";
import { runLikeCli, testContext } from "./context.js";

test("the tour imports, plans drift and an unmanaged tag, applies, and ends with No changes", async () => {
  const result = await runLikeCli(demo.run, { keep: false }, testContext());
  assert.is(result.code, 0, result.stderr);
  const out = result.stdout;
  const order = [
    "1. ark-sync import default/chat-legacy",
    "# default/support-bot has changed",
    'default/search-assist: tags["cost-center"] = "cc-042"',
    "Plan: 1 to add, 2 to change, 0 to destroy.",
    "Apply complete! Resources: 1 added, 2 changed, 0 destroyed.",
    "4. ark-sync plan",
    "No changes.",
  ];
  let at = 0;
  for (const text of order) {
    const found = out.indexOf(text, at);
    assert.ok(found >= 0, `expected "${text}" after offset ${at}`);
    at = found;
  }
  assert.match(result.stderr, /default\/summarizer: Creation complete after \d+s \[id=ep-/);
  assert.not.match(out + result.stderr, "emulator-sk", "the secret key is never printed");
});

test.run();
