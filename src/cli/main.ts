#!/usr/bin/env node
// The ark-sync command line. This module and the command modules it imports load only yargs: every
// handler imports its implementation lazily, so `--help` never loads the Ark SDK, git or ajv.
import { hideBin } from "yargs/helpers";
import { describeError } from "../app/describe-error.js";
import { runCommandLine } from "./command-line.js";

export async function main(argv: string[]): Promise<void> {
  try {
    await runCommandLine(argv);
  } catch (error) {
    const debug = argv.includes("--debug");
    // Loaded only now: the guard is no part of what --help needs (src/cli/process-output.ts).
    const { processOutput } = await import("./process-output.js");
    processOutput().stderr.write(describeError(error, debug));
    process.exitCode = 1;
  }
}

await main(hideBin(process.argv));
