// Runs the bundled ark-sync CLI as a child process, and forwards SIGINT and SIGTERM to it: the runner
// signals only the action's own process when a job is cancelled, and apply needs the signal to stop
// starting work and save its state.
import { spawn } from "node:child_process";
import type { Environment } from "../github/github-context.js";

/** Where cancel signals arrive: the process itself, or a stand-in in tests. */
export interface SignalSource {
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export async function runCli(
  cliPath: string,
  args: string[],
  env: Environment,
  signals: SignalSource = process,
): Promise<number> {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: "inherit", env });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  signals.on("SIGINT", forward);
  signals.on("SIGTERM", forward);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
    });
  } finally {
    signals.off("SIGINT", forward);
    signals.off("SIGTERM", forward);
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : signal === "SIGKILL" ? 9 : 1;
}
