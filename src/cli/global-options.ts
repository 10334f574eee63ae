// Options every command accepts (docs/design.md §8). Defined once; commands read them from their argv.
import type { Argv } from "yargs";
import { ArkSyncError } from "../core/errors.js";

export interface GlobalOptions {
  "api-url"?: string;
  region?: string;
  state?: string;
  color: boolean;
  debug: boolean;
}

/** The global options that take a value (`--region cn-beijing`): what comes after them is no command. */
export const globalOptionsTakingValue: readonly string[] = ["api-url", "region", "state"];

export function withGlobalOptions<T>(yargs: Argv<T>): Argv<T & GlobalOptions> {
  return yargs
    .option("api-url", {
      type: "string",
      describe: "Ark API base URL, e.g. http://127.0.0.1:8787 for the emulator [env ARK_SYNC_API_URL]",
    })
    .option("region", {
      type: "string",
      // No yargs default: the directory's ark-sync.yaml comes between the flag and cn-beijing.
      describe: "Volcengine region [env VOLC_REGION; else ark-sync.yaml's region; else cn-beijing]",
    })
    .option("state", {
      type: "string",
      describe: "State backend: local (default, <DIR>/.ark-sync/state.json), local:PATH or git:BRANCH",
    })
    .option("color", {
      type: "boolean",
      default: true,
      describe: "Colour on a TTY (--no-color, or NO_COLOR, turns it off)",
    })
    .option("debug", { type: "boolean", default: false, describe: "Print debug details and stacks" })
    .group(["api-url", "region", "state", "color", "debug", "help", "version"], "Global options:") as Argv<
    T & GlobalOptions
  >;
}

/** The Ark connection the global options and environment name; what they leave out, the use case
 * takes from the directory's ark-sync.yaml (src/app/directory-connection.ts). */
export function arkSettings(
  args: GlobalOptions,
  parallelism: number,
): { apiUrl?: string; region?: string; parallelism: number } {
  const region = args.region || process.env.VOLC_REGION || undefined;
  return {
    ...(args["api-url"] ? { apiUrl: args["api-url"] } : {}),
    ...(region === undefined ? {} : { region }),
    parallelism,
  };
}

/** `--state SPEC`, when given; else the directory's ark-sync.yaml's `state`, else local. */
export function stateSpec(args: GlobalOptions): { state?: string } {
  return args.state === undefined ? {} : { state: args.state };
}

/** `--lock-timeout`, on the commands that write state. */
export function withLockTimeout<T>(yargs: Argv<T>): Argv<T & { "lock-timeout": string }> {
  return yargs.option("lock-timeout", {
    type: "string",
    default: "0s",
    describe: "How long to wait for a state lock another run holds, e.g. 30s or 5m (0s: refuse at once)",
  });
}

/** yargs' `.fail` handler: what yargs refuses is a usage error. A flag's `coerce` that throws reaches
 * here as yargs' own YError, which keeps only the message, so that too becomes a usage error. */
export function failAsUsage(message: string | null, error: Error | null | undefined): never {
  if (error instanceof ArkSyncError) throw error;
  if (error && error.name !== "YError") throw error;
  throw new ArkSyncError("usage", "invalid_arguments", message ?? error?.message ?? "Invalid arguments.", {
    hint: "Run with --help for usage.",
  });
}

/** A duration such as `30s`, `5m`, `1h`, `500ms` or `30` (seconds), in milliseconds: every duration
 * flag (`--lock-timeout`, `--wait-timeout`) is read by this one parser. */
export function parseDuration(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(String(text).trim());
  if (!match) {
    throw new ArkSyncError(
      "usage",
      "invalid_duration",
      `${flag} must be a duration such as 30s, 5m or 1h (a bare number is seconds), not ${JSON.stringify(text)}.`,
    );
  }
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? "s") as "ms" | "s" | "m" | "h"];
  return Math.round(Number(match[1]) * unit);
}
