// How every command's --help is laid out (docs/commands.md): its usage line and description, its
// positionals, its own options, then the global ones, then its examples.
import type { Argv, CommandModule } from "yargs";

/** `command` with its own options listed before the global ones. yargs lists the options it was not
 * told to group under "Options:", after the groups it knows, and it knows "Global options:" from the
 * top level; naming "Options:" in the command's own context puts it first. Subcommands (`state
 * list`) are registered through it too. */
export function withOwnOptionsFirst<T, U>(command: CommandModule<T, U>): CommandModule<T, U> {
  const { builder } = command;
  return {
    ...command,
    builder: (yargs: Argv<T>) => {
      const built = typeof builder === "function" ? builder(yargs) : builder ? yargs.options(builder) : yargs;
      return (built as Argv<U>).group([], "Options:");
    },
  } as CommandModule<T, U>;
}
