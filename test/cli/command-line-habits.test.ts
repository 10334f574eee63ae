// What a Terraform, kubectl or Argo CD user types first gets a useful answer (docs/commands.md): the
// help for no command and for `help COMMAND`, what ark-sync does instead of a command it lacks, the
// nearest commands and flags for a misspelt one, two-dash names for Terraform's one-dash flags, and
// stray ARK_SYNC_ variables ignored. In-process through the real yargs program; one real process.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { translateHabits } from "../../src/cli/command-line-habits.js";
import { commandNames } from "../../src/cli/commands/index.js";
import { buildProgram } from "../../src/cli/program.js";
import { isArkSyncError } from "../../src/core/errors.js";
import { cleanEnv, runCli } from "./run-cli.js";

/** The usage error `argv` gets, as the CLI would print it. */
async function refusal(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ message: string; hint: string }> {
  try {
    await buildProgram(translateHabits(argv, commandNames), { width: 100, env })
      .exitProcess(false)
      .parseAsync();
  } catch (error) {
    if (isArkSyncError(error)) return { message: error.message, hint: error.hint ?? "" };
    throw error;
  }
  throw new Error(`${argv.join(" ")} was let through`);
}

test("no command is the help; help COMMAND is that command's --help", () => {
  assert.equal(translateHabits([], commandNames), ["--help"]);
  assert.equal(translateHabits(["help", "plan"], commandNames), ["plan", "--help"]);
  assert.equal(translateHabits(["help"], commandNames), ["--help"]);
  assert.equal(translateHabits(["--debug", "help", "state", "list"], commandNames), [
    "--debug",
    "state",
    "list",
    "--help",
  ]);
  assert.equal(translateHabits(["--region", "cn-beijing", "plan", "envs/prod"], commandNames), [
    "--region",
    "cn-beijing",
    "plan",
    "envs/prod",
  ]);
});

// [argv, message, hint]
const answers: [string[], string, string][] = [
  [
    ["destroy"],
    "ark-sync has no destroy command",
    "Remove the endpoints' manifests, then run ark-sync plan and apply",
  ],
  [["help", "diff"], "ark-sync has no diff command", "ark-sync plan [DIR]"],
  [["delete"], "ark-sync has no delete command", "Remove the endpoint's manifest"],
  [
    ["diff", "envs/prod"],
    "ark-sync has no diff command",
    "ark-sync plan [DIR] shows what apply would change",
  ],
  [["--region", "cn-beijing", "diff"], "ark-sync has no diff command", "ark-sync plan [DIR]"],
  [["show"], "ark-sync has no show command", "ark-sync state show ADDRESS [DIR]"],
  [["get"], "ark-sync has no get command", "ark-sync status [DIR] lists every endpoint"],
  [["init"], "ark-sync has no init command", "ark-sync needs no init"],
  [["plann"], 'Unknown command "plann"', "Did you mean plan? Run ark-sync --help for every command."],
  [["stauts"], 'Unknown command "stauts"', "Did you mean status?"],
  [["stat"], 'Unknown command "stat"', "Did you mean state or status?"],
  [["valdiate"], 'Unknown command "valdiate"', "Did you mean validate?"],
  [["frobnicate"], 'Unknown command "frobnicate"', "Run ark-sync --help for every command."],
  [["state", "lis"], "Did you mean list?", ""],
  [["state"], "Name a state command: list, show, rm or unlock.", "Run with --help for usage."],
  [["emulator", "endpoint"], "Name what to do: create, update, delete, switch or list.", ""],
  [
    ["plan", "--taget", "default/x"],
    'ark-sync plan has no option "--taget"',
    "Did you mean --target? See ark-sync plan --help.",
  ],
  [
    ["plan", "--detailed-exit-code"],
    'ark-sync plan has no option "--detailed-exit-code"',
    "Did you mean --detailed-exitcode?",
  ],
  [
    ["apply", "--auto-aprove"],
    'ark-sync apply has no option "--auto-aprove"',
    "Did you mean --auto-approve? See ark-sync apply --help.",
  ],
  [
    ["apply", "envs/prod", "--paralelism=4"],
    'ark-sync apply has no option "--paralelism"',
    "Did you mean --parallelism=4?",
  ],
  [["plan", "--no-colr"], 'ark-sync plan has no option "--no-colr"', "Did you mean --no-color?"],
  [
    ["state", "list", "--jsn"],
    'ark-sync state list has no option "--jsn"',
    "Did you mean --json? See ark-sync state list --help.",
  ],
  [
    ["state", "list", "envs/prod", "extra", "--jsn"],
    'ark-sync state list has no option "--jsn"',
    "See ark-sync state list --help.",
  ],
  [
    ["validate", "--frobnicate"],
    'ark-sync validate has no option "--frobnicate"',
    "See ark-sync validate --help.",
  ],
  [
    ["plan", "-out=p.json"],
    '"-out=p.json": ark-sync\'s options take two dashes',
    "Did you mean --out=p.json? See ark-sync plan --help.",
  ],
  [
    ["apply", "-auto-approve"],
    '"-auto-approve": ark-sync\'s options take two dashes',
    "Did you mean --auto-approve?",
  ],
  [
    ["plan", "-target=default/x"],
    '"-target=default/x": ark-sync\'s options take two dashes',
    "Did you mean --target=default/x?",
  ],
  [
    ["plan", "-detailed-exitcode"],
    '"-detailed-exitcode": ark-sync\'s options take two dashes',
    "Did you mean --detailed-exitcode?",
  ],
  [
    ["plan", "-lock=false"],
    '"-lock=false": ark-sync\'s options take two dashes, and ark-sync plan has no --lock',
    "See ark-sync plan --help.",
  ],
];

test("commands and flags ark-sync lacks are answered with what it has", async () => {
  for (const [argv, message, hint] of answers) {
    const out = await refusal(argv);
    assert.is(out.message, message, argv.join(" "));
    assert.ok(out.hint.includes(hint), `${argv.join(" ")}: ${out.hint}`);
  }
});

test("a stray ARK_SYNC_ variable is ignored; a flag typed wrong is not", async () => {
  const stray = { ARK_SYNC_FOO: "1", ARK_SYNC_FOO_BAR: "1", ARK_SYNC_NESTED__KEY: "1" };
  const saved = { ...process.env };
  Object.assign(process.env, stray);
  try {
    // Past validation: the handler's own check is what refuses.
    assert.is(
      (await refusal(["plan", "--changed-since", "main"], stray)).message,
      "--changed-since needs --all",
    );
    assert.is((await refusal(["plan", "--foo"], stray)).message, 'ark-sync plan has no option "--foo"');
  } finally {
    for (const key of Object.keys(stray)) if (!(key in saved)) delete process.env[key];
  }
});

test("ARK_SYNC_NO_<FLAG> is refused with the variable that gives --no-<FLAG>, not ignored", async () => {
  const negated = { ARK_SYNC_NO_PRUNE: "true" };
  const saved = { ...process.env };
  Object.assign(process.env, negated);
  try {
    assert.is(
      (await refusal(["sync", "envs/prod"], negated)).message,
      "ARK_SYNC_NO_PRUNE is not read: the environment gives --no-prune as ARK_SYNC_PRUNE=false.",
    );
  } finally {
    for (const key of Object.keys(negated)) if (!(key in saved)) delete process.env[key];
  }
});

test("the process: no arguments prints the grouped help and exits 0; a habit exits 1", async () => {
  const bare = await runCli([], { env: cleanEnv() });
  assert.is(bare.code, 0, bare.stderr);
  assert.match(bare.stdout, /^ark-sync <command> \[options\]\n/);
  assert.match(bare.stdout, /\nPlan and apply:\n {2}validate \[dir\] /);
  const help = await runCli(["help", "plan"], { env: cleanEnv() });
  assert.is(help.code, 0, help.stderr);
  assert.match(help.stdout, /^ark-sync plan \[dir\]\n\nShow what apply would change/);
  const habit = await runCli(["plan", "-out=p.json"], { env: cleanEnv() });
  assert.is(habit.code, 1);
  assert.match(habit.stderr, "Did you mean --out=p.json?");
});

test.run();
