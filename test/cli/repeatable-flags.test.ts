// A repeatable flag takes exactly one value each time it is given, so a directory after it is never
// read as a second value (docs/commands.md): every command with one, parsed with its flags before and
// after the positionals. Before `nargs: 1`, `plan --target default/x envs/staging` planned `manifests`.
import { test } from "uvu";
import * as assert from "uvu/assert";
import yargs, { type CommandModule } from "yargs";
import { applyCommand } from "../../src/cli/commands/apply.js";
import { emulatorServeCommand } from "../../src/cli/commands/emulator.js";
import {
  createCommand as consoleCreateCommand,
  listCommand as consoleListCommand,
} from "../../src/cli/commands/emulator-endpoint.js";
import { importCommand } from "../../src/cli/commands/import.js";
import { planCommand } from "../../src/cli/commands/plan.js";
import { listCommand, rmCommand, showCommand, unlockCommand } from "../../src/cli/commands/state.js";
import { statusCommand } from "../../src/cli/commands/status.js";
import {
  failAsUsage,
  type GlobalOptions,
  parseDuration,
  withGlobalOptions,
} from "../../src/cli/global-options.js";
import { ArkSyncError } from "../../src/core/errors.js";

/** What yargs hands the command's handler for `argv`; the handler itself never runs. */
function parse(command: CommandModule<GlobalOptions, object>, argv: string[]): Record<string, unknown> {
  let parsed: Record<string, unknown> | null = null;
  withGlobalOptions(yargs(argv))
    .strict()
    .command({
      ...command,
      handler: (args) => {
        parsed = args as Record<string, unknown>;
      },
    })
    .fail(failAsUsage)
    .parseSync();
  if (parsed === null) throw new Error(`no command ran for ${argv.join(" ")}`);
  return parsed;
}

const cases: {
  name: string;
  command: CommandModule<GlobalOptions, object>;
  argv: string[];
  expect: Record<string, unknown>;
}[] = [
  {
    name: "plan --target before the directory",
    command: planCommand as CommandModule<GlobalOptions, object>,
    argv: ["plan", "--target", "default/x", "envs/staging"],
    expect: { dir: "envs/staging", target: ["default/x"] },
  },
  {
    name: "plan --target after the directory, twice",
    command: planCommand as CommandModule<GlobalOptions, object>,
    argv: ["plan", "envs/staging", "--target", "default/x", "--target", "default/y"],
    expect: { dir: "envs/staging", target: ["default/x", "default/y"] },
  },
  {
    name: "apply --target before the directory",
    command: applyCommand as CommandModule<GlobalOptions, object>,
    argv: ["apply", "--target", "default/x", "envs/staging", "--auto-approve"],
    expect: { path: "envs/staging", target: ["default/x"] },
  },
  {
    name: "apply --target after the directory",
    command: applyCommand as CommandModule<GlobalOptions, object>,
    argv: ["apply", "envs/staging", "--target=default/x"],
    expect: { path: "envs/staging", target: ["default/x"] },
  },
  {
    name: "import --all --project and --tag before the directory",
    command: importCommand as CommandModule<GlobalOptions, object>,
    argv: ["import", "--all", "--project", "research", "--tag", "team=ml", "envs/staging"],
    expect: { address: "envs/staging", project: ["research"], tag: ["team=ml"] },
  },
  {
    name: "import --all with the directory first",
    command: importCommand as CommandModule<GlobalOptions, object>,
    argv: ["import", "--all", "envs/staging", "--project", "research", "--project", "default"],
    expect: { address: "envs/staging", project: ["research", "default"] },
  },
  {
    name: "status --project before the directory",
    command: statusCommand as CommandModule<GlobalOptions, object>,
    argv: ["status", "--project", "research", "envs/staging", "--json"],
    expect: { dir: "envs/staging", project: ["research"] },
  },
  {
    name: "emulator serve --fault, twice",
    command: emulatorServeCommand as CommandModule<GlobalOptions, object>,
    argv: ["serve", "--fault", "CreateEndpoint:drop", "--fault", "*:throttle:2"],
    expect: { fault: ["CreateEndpoint:drop", "*:throttle:2"] },
  },
  {
    name: "emulator endpoint create --tag before the name",
    command: consoleCreateCommand as CommandModule<GlobalOptions, object>,
    argv: ["create", "--tag", "team=a", "chat", "--model", "m", "--model-version", "1", "--tag", "env=x"],
    expect: { name: "chat", tag: ["team=a", "env=x"] },
  },
  {
    name: "emulator endpoint list --project, twice",
    command: consoleListCommand as CommandModule<GlobalOptions, object>,
    argv: ["list", "--project", "research", "--project", "default"],
    expect: { project: ["research", "default"] },
  },
];

for (const { name, command, argv, expect } of cases) {
  test(name, () => {
    const parsed = parse(command, argv);
    for (const [key, value] of Object.entries(expect)) assert.equal(parsed[key], value, `${name}: ${key}`);
  });
}

test("a repeatable flag given no value is an error, not the directory that follows it", () => {
  assert.throws(() => parse(planCommand as CommandModule<GlobalOptions, object>, ["plan", "--target"]));
});

// Every duration flag reads `30s`, `5m`, `1h` or a bare number of seconds (docs/commands.md). Before
// issue 20, `--wait-timeout` was a number of seconds and `--wait-timeout 2m` was NaN.
const durations: { argv: string[]; waitMs: number }[] = [
  { argv: ["apply"], waitMs: 1_800_000 },
  { argv: ["apply", "--wait-timeout", "90"], waitMs: 90_000 },
  { argv: ["apply", "--wait-timeout", "2m", "envs/staging"], waitMs: 120_000 },
  { argv: ["apply", "envs/staging", "--wait-timeout=1h"], waitMs: 3_600_000 },
  { argv: ["apply", "--wait-timeout", "45s"], waitMs: 45_000 },
];
for (const { argv, waitMs } of durations) {
  test(`${argv.join(" ")}: --wait-timeout is ${waitMs} ms`, () => {
    const parsed = parse(applyCommand as CommandModule<GlobalOptions, object>, argv);
    assert.is(parsed["wait-timeout"], waitMs);
  });
}

test("a bad --wait-timeout is a usage error that names the flag", () => {
  try {
    parse(applyCommand as CommandModule<GlobalOptions, object>, ["apply", "--wait-timeout", "soon"]);
    assert.unreachable("parsed");
  } catch (error) {
    assert.instance(error, ArkSyncError);
    assert.is((error as ArkSyncError).kind, "usage");
    assert.match((error as ArkSyncError).message, "--wait-timeout");
  }
});

test("--lock-timeout and --wait-timeout share one parser: 1h is an hour", () => {
  assert.is(parseDuration("--lock-timeout", "1h"), 3_600_000);
  assert.is(parseDuration("--lock-timeout", "30"), 30_000);
});

// Every command takes DIR as its positional (docs/commands.md); `state`'s `--dir` stays as an alias.
// Before issue 20, `state list envs/staging` was an unknown argument and `--dir` the only way.
const state = (command: unknown) => command as CommandModule<GlobalOptions, object>;
const stateCases: { argv: string[]; command: CommandModule<GlobalOptions, object>; expect: object }[] = [
  { command: state(listCommand), argv: ["list"], expect: { dir: "manifests" } },
  { command: state(listCommand), argv: ["list", "envs/staging"], expect: { dir: "envs/staging" } },
  { command: state(listCommand), argv: ["list", "--dir", "envs/staging"], expect: { dir: "envs/staging" } },
  {
    command: state(showCommand),
    argv: ["show", "default/x", "envs/staging"],
    expect: { address: "default/x", dir: "envs/staging" },
  },
  {
    command: state(rmCommand),
    argv: ["rm", "default/x", "envs/staging", "--lock-timeout", "5m"],
    expect: { address: "default/x", dir: "envs/staging", "lock-timeout": "5m" },
  },
  {
    command: state(unlockCommand),
    argv: ["unlock", "L-1", "envs/staging"],
    expect: { "lock-id": "L-1", dir: "envs/staging" },
  },
  {
    command: state(unlockCommand),
    argv: ["unlock", "L-1", "envs/staging", "--dir", "envs/staging"],
    expect: { "lock-id": "L-1", dir: "envs/staging" },
  },
];
for (const { command, argv, expect } of stateCases) {
  test(`state ${argv.join(" ")}`, () => {
    const parsed = parse(command, argv);
    for (const [key, value] of Object.entries(expect))
      assert.equal(parsed[key], value, `${argv.join(" ")}: ${key}`);
  });
}

test("state DIR and a different --dir is a usage error", () => {
  try {
    parse(state(showCommand), ["show", "default/x", "envs/a", "--dir", "envs/b"]);
    assert.unreachable("parsed");
  } catch (error) {
    assert.instance(error, ArkSyncError);
    assert.is((error as ArkSyncError).kind, "usage");
    assert.match((error as ArkSyncError).message, "--dir");
  }
});

test.run();
