// The git commands the git backend runs, through simple-git: a timeout on every command, stdin for
// plumbing, and errors whose text is scrubbed of credentials (remote URLs can carry tokens).
import { simpleGit } from "simple-git";
import { ArkSyncError } from "../core/errors.js";
import { withoutUrlCredentials } from "../core/url-credentials.js";

export interface GitRunner {
  /** Runs `git ...args` in the checkout; resolves with stdout, untrimmed. */
  run(args: string[], input?: string): Promise<string>;
}

// The user's own environment may carry how they reach origin (deploy keys, askpass helpers);
// simple-git strips these unless allowed. They come from whoever runs ark-sync, not from input.
const allowedEnvironment = ["GIT_SSH_COMMAND", "GIT_SSH", "GIT_ASKPASS", "SSH_ASKPASS"];

export function createGitRunner(baseDir: string, timeoutMs: number): GitRunner {
  const options = (input?: string) => ({
    baseDir,
    timeout: { block: timeoutMs },
    allowEnvironment: allowedEnvironment,
    unsafe: { allowUnsafeSshCommand: true, allowUnsafeAskPass: true },
    // simple-git fails a command only when it also wrote to stderr; `git config --get` exits 1 silently.
    errors: (
      error: Buffer | Error | undefined,
      result: { exitCode: number; stdOut: Buffer[]; stdErr: Buffer[] },
    ) =>
      error ??
      (result.exitCode === 0
        ? undefined
        : Buffer.concat([...result.stdOut, ...result.stdErr, Buffer.from(`(exit code ${result.exitCode})`)])),
    ...(input === undefined ? {} : { input: () => input }),
  });
  const git = simpleGit(options());
  return {
    async run(args, input) {
      try {
        return await (input === undefined ? git : simpleGit(options(input))).raw(args);
      } catch (error) {
        const output = redactCredentials(error instanceof Error ? error.message : String(error)).trim();
        throw new ArkSyncError("external", "git_failed", `git ${subcommand(args)} failed: ${output}`);
      }
    },
  };
}

function subcommand(args: string[]): string {
  let index = 0;
  while (args[index] === "-c") index += 2;
  return args[index] ?? "";
}

/** Removes credentials from git output: `https://user:token@host` and GitHub token shapes. */
export function redactCredentials(text: string): string {
  return withoutUrlCredentials(text).replace(
    /\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{16,})/g,
    "***",
  );
}
