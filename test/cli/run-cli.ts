// Runs the built CLI as a child process, the way users and CI run it.
import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

export const cliPath = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
}

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliResult extends CliExit {
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  stdout(): string;
  stderr(): string;
  /** Resolves once `stream` matches `pattern` `times` times (rejects if the process ends first). */
  waitFor(pattern: RegExp, times?: number, stream?: "stdout" | "stderr"): Promise<void>;
  /** Settles once the process has ended and all its output is read. */
  exit: Promise<CliExit>;
}

/** The environment a CLI child gets: none of the developer's Ark or colour settings leak in. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VOLC_|ARK_SYNC_|NO_COLOR|FORCE_COLOR|DEBUG|GITHUB_)/.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

/** `ark-sync ARGS` as a running process, stdin not a terminal. */
export function spawnCli(args: string[], options: CliOptions = {}): CliProcess {
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: options.env ?? cleanEnv(),
    cwd: options.cwd ?? process.cwd(),
    stdio: ["ignore", "pipe", "pipe"],
    // A hang guard, not a timing assertion.
    timeout: options.timeoutMs ?? 60_000,
    killSignal: "SIGKILL",
  });
  const output = { stdout: "", stderr: "" };
  const watchers = new Set<() => void>();
  for (const stream of ["stdout", "stderr"] as const) {
    child[stream].setEncoding("utf8").on("data", (chunk: string) => {
      output[stream] += chunk;
      for (const watcher of [...watchers]) watcher();
    });
  }
  const exit = new Promise<CliExit>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    stdout: () => output.stdout,
    stderr: () => output.stderr,
    exit,
    waitFor(pattern, times = 1, stream = "stderr") {
      const global = new RegExp(
        pattern.source,
        pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`,
      );
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if ((output[stream].match(global)?.length ?? 0) >= times) {
            watchers.delete(check);
            resolve();
          }
        };
        const ended = () => {
          if (watchers.delete(check))
            reject(new Error(`exited before ${pattern} x${times} on ${stream}:\n${output.stderr}`));
        };
        watchers.add(check);
        check();
        void exit.then(ended, ended);
      });
    },
  };
}

/** `ark-sync ARGS` run to its end. */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const run = spawnCli(args, options);
  return { ...(await run.exit), stdout: run.stdout(), stderr: run.stderr() };
}
