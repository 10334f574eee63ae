#!/usr/bin/env node
// The ark-sync command line. This module and the command modules it imports load only yargs: every
// handler imports its implementation lazily, so `--help` never loads the Ark SDK, git or ajv.
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { describeError } from "../app/describe-error.js";
import { translateHabits } from "./command-line-habits.js";
import { withCommands } from "./commands/index.js";
import { failAsUsage, withGlobalOptions } from "./global-options.js";

export async function main(argv: string[]): Promise<void> {
  try {
    await parse(translateHabits(argv));
  } catch (error) {
    const debug = argv.includes("--debug");
    // Loaded only now: the guard is no part of what --help needs (src/cli/process-output.ts).
    const { processOutput } = await import("./process-output.js");
    processOutput().stderr.write(describeError(error, debug));
    process.exitCode = 1;
  }
}

async function parse(argv: string[]): Promise<void> {
  const cli = withGlobalOptions(yargs(argv))
    .scriptName("ark-sync")
    .usage("$0 <command> [options]\n\nGitOps for Volcengine Ark inference endpoints.")
    .strict()
    .demandCommand(1, "Name a command; see --help.")
    .recommendCommands()
    .env("ARK_SYNC")
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail(failAsUsage);
  await withCommands(cli).parseAsync();
}

await main(hideBin(process.argv));
