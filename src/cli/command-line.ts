// The command line as a function: argv in, the command's use case run. main.ts runs it for this
// process; a test runs it in its own process with a host that gives each use case the test's context
// and takes its exit code (test/docs/examples.test.ts), so argv is parsed exactly as for users.
import yargs from "yargs";
import { translateHabits } from "./command-line-habits.js";
import { withCommands } from "./commands/index.js";
import { failAsUsage, withGlobalOptions } from "./global-options.js";
import { HOST_KEY, type UseCaseHost } from "./run-use-case.js";

/** Parses `argv` and runs its command; throws what the command or the parser throws. */
export async function runCommandLine(argv: string[], host?: UseCaseHost): Promise<void> {
  const args = translateHabits(argv);
  const cli = withGlobalOptions(yargs(args))
    .scriptName("ark-sync")
    .usage("$0 <command> [options]\n\nGitOps for Volcengine Ark inference endpoints.")
    .strict()
    .demandCommand(1, "Name a command; see --help.")
    .recommendCommands()
    .env("ARK_SYNC")
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(host === undefined)
    .fail(failAsUsage);
  // yargs hands the parse context to every handler with its arguments (src/cli/run-use-case.ts).
  await withCommands(cli).parseAsync(args, host === undefined ? {} : { [HOST_KEY]: host });
}
