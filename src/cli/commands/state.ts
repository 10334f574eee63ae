import type { Argv, CommandModule } from "yargs";
import type { StateAction } from "../../app/state.js";
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

function withDir<T>(yargs: Argv<T>): Argv<T & { dir: string }> {
  return yargs.option("dir", {
    type: "string",
    default: "manifests",
    describe: "Manifest directory (the local state is <DIR>/.ark-sync/state.json)",
  });
}

function runState(action: StateAction, args: StateArgs, lockTimeoutMs = 0): Promise<void> {
  const options = { action, dir: args.dir, ...stateSpec(args), lockTimeoutMs };
  return runUseCase(() => import("../../app/state.js"), options, args);
}

function withAddress<T>(yargs: Argv<T>): Argv<T & { dir: string; address: string }> {
  return withDir(yargs).positional("address", {
    type: "string",
    demandOption: true,
    describe: "e.g. default/chat-prod",
  });
}

const listCommand: CommandModule<GlobalOptions, StateArgs> = {
  command: "list",
  describe: "List the recorded addresses and their endpoint ids",
  builder: (yargs) => withDir(yargs),
  handler: (args) => runState({ kind: "list" }, args),
};

const showCommand: CommandModule<GlobalOptions, AddressArgs> = {
  command: "show <address>",
  describe: "Print one recorded resource as JSON",
  builder: (yargs) => withAddress(yargs),
  handler: (args) => runState({ kind: "show", address: args.address }, args),
};

const rmCommand: CommandModule<GlobalOptions, AddressArgs & { "lock-timeout": string }> = {
  command: "rm <address>",
  describe: "Forget a resource (the endpoint on Ark is left untouched)",
  builder: (yargs) => withLockTimeout(withAddress(yargs)),
  handler: (args) =>
    runState(
      { kind: "rm", address: args.address },
      args,
      parseDuration("--lock-timeout", args["lock-timeout"]),
    ),
};

const unlockCommand: CommandModule<GlobalOptions, UnlockArgs> = {
  command: "unlock <lock-id>",
  describe: "Remove a lock left by a run that is gone; needs the Lock ID a refused run printed",
  builder: (yargs) =>
    withDir(yargs).positional("lock-id", { type: "string", demandOption: true, describe: "Lock ID" }),
  handler: (args) => runState({ kind: "unlock", lockId: args["lock-id"] }, args),
};

export const stateCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "state <command>",
  describe: "Inspect or edit the last-applied record: list, show ADDRESS, rm ADDRESS, unlock LOCK_ID",
  builder: (yargs) =>
    yargs
      .command(listCommand)
      .command(showCommand)
      .command(rmCommand)
      .command(unlockCommand)
      .demandCommand(1, "Name a state command: list, show, rm or unlock."),
  handler: () => undefined,
};
