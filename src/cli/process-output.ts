// This process's stdout and stderr as every part of the CLI writes them. Under GitHub Actions each
// goes through the workflow-command guard, so that nothing the CLI prints (a directory, a file or an
// endpoint name, manifest text quoted in an error) can start a command in the runner; ark-sync's own
// commands take the guard's separate path (docs/github.md#workflow-commands). One guard per stream for
// the whole process, as the guard remembers where the last write left its line.
import { type GuardedOutput, guardWorkflowCommands } from "../github/workflow-command-guard.js";

export interface ProcessOutput {
  stdout: GuardedOutput;
  stderr: GuardedOutput;
}

let output: ProcessOutput | undefined;

export function processOutput(): ProcessOutput {
  output ??= createProcessOutput(process.env.GITHUB_ACTIONS === "true");
  return output;
}

function createProcessOutput(github: boolean): ProcessOutput {
  const stream = (target: NodeJS.WriteStream): GuardedOutput => {
    const write = (text: string) => {
      target.write(text);
    };
    return github ? guardWorkflowCommands(write) : { write, command: write };
  };
  return { stdout: stream(process.stdout), stderr: stream(process.stderr) };
}
