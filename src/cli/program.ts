// The ark-sync command line as yargs parses it, without the process: main.ts runs it on the real
// argv, and tests run it in-process (its help, its refusals). The page for no command is
// top-level-help.ts's.
import yargs, { type Argv } from "yargs";
import { checkFlags } from "./check-flags.js";
import { withCommands } from "./commands/index.js";
import { failAsUsage, type GlobalOptions, withGlobalOptions } from "./global-options.js";

export interface ProgramSettings {
  /** Columns the help is wrapped to. */
  width: number;
  /** The environment yargs reads ARK_SYNC_<OPTION> from (the process's). */
  env: Readonly<Record<string, string | undefined>>;
}

/** `argv` as translated by translateHabits. */
export function buildProgram(argv: string[], settings: ProgramSettings): Argv<GlobalOptions> {
  const cli = withGlobalOptions(yargs(argv))
    .scriptName("ark-sync")
    .strict()
    .demandCommand(1, "Name a command; see ark-sync --help.")
    .recommendCommands()
    .env("ARK_SYNC")
    .middleware(checkFlags(argv, settings.env), true)
    .wrap(settings.width)
    .fail(failAsUsage);
  return withCommands(cli);
}
