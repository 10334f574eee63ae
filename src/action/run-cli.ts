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
  return (await spawnCli(cliPath, args, env, signals, "none")).code;
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
  return spawnCli(cliPath, args, env, signals, "stdout");
}

/**
 * For a command whose errors the action shows elsewhere too (a failed plan, on the pull request):
 * stderr goes to the log through `writeError` as it comes, and its last STDERR_KEPT characters are
 * returned.
 */
export async function runCliKeepingStderr(
  cliPath: string,
  args: string[],
  env: Environment,
  writeError: (text: string) => void,
  signals: SignalSource = process,
): Promise<{ code: number; stderr: string }> {
  return spawnCli(cliPath, args, env, signals, { writeError });
}

const STDERR_KEPT = 64 * 1024;

/**
 * What is read from the child rather than passed through: its stdout, as data; or its stderr, to keep,
 * passed on to `writeError`. Whatever the child writes straight to the log it has guarded itself: it
 * runs with GITHUB_ACTIONS=true (docs/github.md#workflow-commands).
 */
type Capture = "none" | "stdout" | { writeError: (text: string) => void };

async function spawnCli(
  cliPath: string,
  args: string[],
  env: Environment,
  signals: SignalSource,
  capture: Capture,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const keepStderr = typeof capture === "object" ? capture.writeError : null;
  const child = spawn(process.execPath, [cliPath, ...args], {
    stdio: ["inherit", capture === "stdout" ? "pipe" : "inherit", keepStderr ? "pipe" : "inherit"],
    env,
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    keepStderr?.(chunk);
    stderr = (stderr + chunk).slice(-STDERR_KEPT);
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  signals.on("SIGINT", forward);
  signals.on("SIGTERM", forward);
  try {
    const code = await new Promise<number>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
    });
    return { code, stdout, stderr };
  } finally {
    signals.off("SIGINT", forward);
    signals.off("SIGTERM", forward);
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : signal === "SIGKILL" ? 9 : 1;
}
