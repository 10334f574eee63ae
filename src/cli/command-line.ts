// The command line as a function: argv in, the command's use case run. main.ts runs it for this
// process; a test runs it in its own process with a host that gives each use case the test's context
// and takes its exit code (test/docs/examples.test.ts), so argv is parsed exactly as for users.
import { translateHabits } from "./command-line-habits.js";
import { commandNames } from "./commands/index.js";
import { buildProgram } from "./program.js";
import { HOST_KEY, type UseCaseHost } from "./run-use-case.js";
import { isTopLevelHelp, renderTopLevelHelp } from "./top-level-help.js";

/** Parses `argv` and runs its command; throws what the command or the parser throws. */
export async function runCommandLine(argv: string[], host?: UseCaseHost): Promise<void> {
  const width = Math.min(110, process.stdout.columns || 100);
  const args = translateHabits(argv, commandNames);
  if (isTopLevelHelp(args)) {
    process.stdout.write(await renderTopLevelHelp(width));
    return;
  }
  const program = buildProgram(args, { width, env: process.env }).exitProcess(host === undefined);
  // yargs hands the parse context to every handler with its arguments (src/cli/run-use-case.ts).
  await program.parseAsync(args, host === undefined ? {} : { [HOST_KEY]: host });
}
