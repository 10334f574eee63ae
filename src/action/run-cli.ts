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

/** The CLI's output goes straight to the log; resolves to its exit code. */
export async function runCli(
  cliPath: string,
  args: string[],
  env: Environment,
  signals: SignalSource = process,
): Promise<number> {
  return (await spawnCli(cliPath, args, env, signals, false)).code;
}

/**
 * For a command whose stdout is data for the action (`projects --json`): stdout is returned, not
 * logged; stderr still goes to the log, so the CLI's diagnostics show there.
 */
export async function runCliCapturingStdout(
  cliPath: string,
  args: string[],
  env: Environment,
  signals: SignalSource = process,
): Promise<{ code: number; stdout: string }> {
  return spawnCli(cliPath, args, env, signals, true);
}

async function spawnCli(
  cliPath: string,
  args: string[],
  env: Environment,
  signals: SignalSource,
  captureStdout: boolean,
): Promise<{ code: number; stdout: string }> {
  const child = spawn(process.execPath, [cliPath, ...args], {
    stdio: ["inherit", captureStdout ? "pipe" : "inherit", "inherit"],
    env,
  });
  let stdout = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  signals.on("SIGINT", forward);
  signals.on("SIGTERM", forward);
  try {
    const code = await new Promise<number>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
    });
    return { code, stdout };
  } finally {
    signals.off("SIGINT", forward);
    signals.off("SIGTERM", forward);
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : signal === "SIGKILL" ? 9 : 1;
}
