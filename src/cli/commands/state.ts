import type { Argv, CommandModule } from "yargs";
import type { GlobalOptions } from "../global-options.js";
import { processIo } from "../io.js";

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

function stateOptions(args: StateArgs) {
  return { dir: args.dir, state: args.state, cwd: process.cwd() };
}

const listCommand: CommandModule<GlobalOptions, StateArgs> = {
  command: "list",
  describe: "List the recorded addresses and their endpoint ids",
  builder: (yargs) => withDir(yargs),
  handler: async (args) => {
    const { runStateList } = await import("../run-state.js");
    process.exitCode = await runStateList(stateOptions(args), processIo(args));
  },
};

function addressCommand(
  name: "show" | "rm",
  describe: string,
  run: (module: typeof import("../run-state.js")) => typeof module.runStateShow,
): CommandModule<GlobalOptions, AddressArgs> {
  return {
    command: `${name} <address>`,
    describe,
    builder: (yargs) =>
      withDir(yargs).positional("address", {
        type: "string",
        demandOption: true,
        describe: "e.g. default/chat-prod",
      }),
    handler: async (args) => {
      const runCommand = run(await import("../run-state.js"));
      process.exitCode = await runCommand(args.address, stateOptions(args), processIo(args));
    },
  };
}

const showCommand = addressCommand(
  "show",
  "Print one recorded resource as JSON",
  (module) => module.runStateShow,
);

const rmCommand = addressCommand(
  "rm",
  "Forget a resource (the endpoint on Ark is left untouched)",
  (module) => module.runStateRm,
);

const unlockCommand: CommandModule<GlobalOptions, UnlockArgs> = {
  command: "unlock <lock-id>",
  describe: "Remove a lock left by a run that is gone; needs the Lock ID a refused run printed",
  builder: (yargs) =>
    withDir(yargs).positional("lock-id", { type: "string", demandOption: true, describe: "Lock ID" }),
  handler: async (args) => {
    const { runStateUnlock } = await import("../run-state.js");
    process.exitCode = await runStateUnlock(args["lock-id"], stateOptions(args), processIo(args));
  },
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
