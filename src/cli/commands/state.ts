import type { Argv, CommandModule } from "yargs";
import type { StateAction } from "../../app/state.js";
import { ArkSyncError } from "../../core/errors.js";
import { withOwnOptionsFirst } from "../command-help.js";
import { type GlobalOptions, parseDuration, stateSpec, withLockTimeout } from "../global-options.js";
import { runUseCase } from "../run-use-case.js";

interface StateArgs extends GlobalOptions {
  dir: string;
}

interface AddressArgs extends StateArgs {
  address: string;
}

interface UnlockArgs extends StateArgs {
  "lock-id": string;
}

/** DIR, as every command takes it: the positional after the command's own (`state list DIR`,
 * `state show ADDRESS DIR`); `--dir DIR` stays as an alias. Both, naming different directories, is
 * a usage error. A middleware settles it while parsing, so `args.dir` is the one directory. */
function withDir<T>(yargs: Argv<T>): Argv<T & { dir: string }> {
  return yargs
    .positional("directory", {
      type: "string",
      describe: "Manifest directory (the local state is <DIR>/.ark-sync/state.json) [default: manifests]",
    })
    .option("dir", { type: "string", describe: "The same as DIR (kept for scripts that pass it)" })
    .middleware((args) => {
      const parsed = args as Record<string, unknown>;
      parsed.dir = stateDir(parsed.directory as string | undefined, parsed.dir as string | undefined);
    }) as unknown as Argv<T & { dir: string }>;
}

/** The directory `state` reads: DIR, else `--dir`, else `manifests`. */
export function stateDir(positional: string | undefined, flag: string | undefined): string {
  if (positional !== undefined && flag !== undefined && positional !== flag) {
    throw new ArkSyncError(
      "usage",
      "invalid_arguments",
      `DIR ${JSON.stringify(positional)} and --dir ${JSON.stringify(flag)} name different directories.`,
      { hint: "Give the directory once, as DIR (--dir is only an alias)." },
    );
  }
  return positional ?? flag ?? "manifests";
}

function runState(action: StateAction, args: StateArgs, lockTimeoutMs = 0): Promise<void> {
  const options = { action, dir: args.dir, ...stateSpec(args), lockTimeoutMs };
  return runUseCase(() => import("../../app/state.js"), options, args);
}

function withAddress<T>(yargs: Argv<T>): Argv<T & { dir: string; address: string }> {
  return withDir(
    yargs.positional("address", {
      type: "string",
      demandOption: true,
      describe: "e.g. default/chat-prod",
    }) as Argv<T & { address: string }>,
  );
}

export const listCommand: CommandModule<GlobalOptions, StateArgs & { json: boolean }> = {
  command: "list [directory]",
  describe: "List the recorded addresses and their endpoint ids",
  builder: (yargs) =>
    withDir(yargs)
      .example("$0 state list envs/prod", "Every address envs/prod's state records, with its endpoint id")
      .example("$0 state list --json", "The same for manifests/, as JSON")
      .option("json", {
        type: "boolean",
        default: false,
        describe: 'Print {"serial", "resources": [{"address", "endpoint_id"}]} on stdout',
      }),
  handler: (args) => runState({ kind: "list", ...(args.json ? { json: true } : {}) }, args),
};

export const showCommand: CommandModule<GlobalOptions, AddressArgs> = {
  command: "show <address> [directory]",
  describe: "Print one recorded resource as JSON",
  builder: (yargs) =>
    withAddress(yargs)
      .example("$0 state show default/chat", "What manifests/'s state records for default/chat")
      .example("$0 state show default/chat envs/prod", "The same in envs/prod's state"),
  handler: (args) => runState({ kind: "show", address: args.address }, args),
};

export const rmCommand: CommandModule<GlobalOptions, AddressArgs & { "lock-timeout": string }> = {
  command: "rm <address> [directory]",
  describe: "Forget a resource (the endpoint on Ark is left untouched)",
  builder: (yargs) =>
    withLockTimeout(withAddress(yargs))
      .example("$0 state rm default/chat envs/prod", "Forget default/chat; its endpoint keeps running on Ark")
      .example(
        "$0 state rm default/chat --lock-timeout 1m",
        "Wait up to a minute for a lock another run holds",
      ),
  handler: (args) =>
    runState(
      { kind: "rm", address: args.address },
      args,
      parseDuration("--lock-timeout", args["lock-timeout"]),
    ),
};

export const unlockCommand: CommandModule<GlobalOptions, UnlockArgs> = {
  command: "unlock <lock-id> [directory]",
  describe: "Remove a lock left by a run that is gone; needs the Lock ID a refused run printed",
  builder: (yargs) =>
    withDir(
      yargs
        .example(
          "$0 state unlock 24b38104-f2db-4865-bca0-2cbbe920ed41 envs/prod",
          "Remove the lock a refused run named, once its holder is gone",
        )
        .example(
          "$0 state unlock 24b38104-f2db-4865-bca0-2cbbe920ed41 --state git:ark-sync-state",
          "The same for a lock on a git state branch",
        )
        .positional("lock-id", { type: "string", demandOption: true, describe: "Lock ID" }) as Argv<
        GlobalOptions & { "lock-id": string }
      >,
    ),
  handler: (args) => runState({ kind: "unlock", lockId: args["lock-id"] }, args),
};

export const stateCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "state",
  describe:
    "Inspect or edit the last-applied record: list [DIR], show ADDRESS [DIR], rm ADDRESS [DIR], unlock LOCK_ID [DIR]",
  builder: (yargs) =>
    yargs
      .example("$0 state list envs/prod", "The addresses envs/prod's state records")
      .example("$0 state rm default/chat envs/prod", "Forget one, leaving its endpoint on Ark")
      .command(withOwnOptionsFirst(listCommand))
      .command(withOwnOptionsFirst(showCommand))
      .command(withOwnOptionsFirst(rmCommand))
      .command(withOwnOptionsFirst(unlockCommand))
      .demandCommand(1, "Name a state command: list, show, rm or unlock."),
  handler: () => undefined,
};
