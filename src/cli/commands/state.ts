import type { Argv, CommandModule } from "yargs";
import type { StateAction } from "../../app/state.js";
import { type GlobalOptions, stateSpec } from "../global-options.js";
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

function runState(action: StateAction, args: StateArgs): Promise<void> {
  return runUseCase(() => import("../../app/state.js"), { action, dir: args.dir, ...stateSpec(args) }, args);
}

const listCommand: CommandModule<GlobalOptions, StateArgs> = {
  command: "list",
  describe: "List the recorded addresses and their endpoint ids",
  builder: (yargs) => withDir(yargs),
  handler: (args) => runState({ kind: "list" }, args),
};

function addressCommand(name: "show" | "rm", describe: string): CommandModule<GlobalOptions, AddressArgs> {
  return {
    command: `${name} <address>`,
    describe,
    builder: (yargs) =>
      withDir(yargs).positional("address", {
        type: "string",
        demandOption: true,
        describe: "e.g. default/chat-prod",
      }),
    handler: (args) => runState({ kind: name, address: args.address }, args),
  };
}

const showCommand = addressCommand("show", "Print one recorded resource as JSON");

const rmCommand = addressCommand("rm", "Forget a resource (the endpoint on Ark is left untouched)");

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
