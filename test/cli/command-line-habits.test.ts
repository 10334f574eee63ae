// What a Terraform or kubectl user types first gets a useful answer (docs/commands.md): the help for
// no command and for `help COMMAND`, and a pointer for Terraform's one-dash flags and `destroy`.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { translateHabits } from "../../src/cli/command-line-habits.js";
import { isArkSyncError } from "../../src/core/errors.js";
import { cleanEnv, runCli } from "./run-cli.js";

function refusal(argv: string[]): { message: string; hint: string } {
  try {
    translateHabits(argv);
  } catch (error) {
    if (isArkSyncError(error)) return { message: error.message, hint: error.hint ?? "" };
    throw error;
  }
  throw new Error(`${argv.join(" ")} was let through`);
}

test("no command is the help; help COMMAND is that command's --help", () => {
  assert.equal(translateHabits([]), ["--help"]);
  assert.equal(translateHabits(["help", "plan"]), ["plan", "--help"]);
  assert.equal(translateHabits(["plan", "envs/prod", "--out", "p.json", "-h"]), [
    "plan",
    "envs/prod",
    "--out",
    "p.json",
    "-h",
  ]);
});

test("Terraform's one-dash flags are answered with their two-dash names", () => {
  const out = refusal(["plan", "-out=p.json"]);
  assert.is(out.message, '"-out=p.json": ark-sync\'s options take two dashes');
  assert.match(out.hint, "Did you mean --out=p.json? See ark-sync plan --help.");
  assert.match(refusal(["apply", "-auto-approve"]).hint, "Did you mean --auto-approve?");
  assert.match(refusal(["plan", "-detailed-exitcode"]).hint, "--detailed-exitcode");
});

test("destroy says how ark-sync destroys", () => {
  const destroy = refusal(["destroy"]);
  assert.is(destroy.message, "ark-sync has no destroy command");
  assert.match(destroy.hint, "Remove the endpoints' manifests");
});

test("the process: no arguments prints the help and exits 0; help plan prints plan's", async () => {
  const bare = await runCli([], { env: cleanEnv() });
  assert.is(bare.code, 0, bare.stderr);
  assert.match(bare.stdout, "ark-sync <command> [options]");
  const help = await runCli(["help", "plan"], { env: cleanEnv() });
  assert.is(help.code, 0, help.stderr);
  assert.match(help.stdout, "--detailed-exitcode");
  const habit = await runCli(["plan", "-out=p.json"], { env: cleanEnv() });
  assert.is(habit.code, 1);
  assert.match(habit.stderr, "Did you mean --out=p.json?");
});

test.run();
