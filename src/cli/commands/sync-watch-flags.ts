// `sync --watch` and its flags (docs/deploy.md#the-watcher), kept apart from `sync`'s own: argv in,
// WatchOptions out.
import type { Argv } from "yargs";
import type { WatchOptions } from "../../app/sync-watch.js";
import { ArkSyncError } from "../../core/errors.js";
import { parseDuration } from "../global-options.js";

export interface WatchArgs {
  watch?: boolean;
  repo?: string;
  ref: string;
  path: string;
  workdir?: string;
  interval: number;
  "poll-interval": number;
  listen?: { host: string; port: number };
}

export function withWatchFlags<T>(yargs: Argv<T>): Argv<T & WatchArgs> {
  return (
    yargs
      // No default: `implies` and `conflicts` would count a default as given.
      .option("watch", {
        type: "boolean",
        describe: "Keep running: reconcile every --interval (and on each new commit of --repo) until SIGTERM",
      })
      .option("repo", {
        type: "string",
        implies: "watch",
        describe: "With --watch: pull this git repository (shallow fetches) instead of reading DIR",
      })
      .option("ref", {
        type: "string",
        default: "HEAD",
        describe: "With --repo: the branch, tag or ref to follow",
      })
      .option("path", {
        type: "string",
        default: ".",
        describe: "With --repo: the manifest directory inside the repository",
      })
      .option("workdir", {
        type: "string",
        describe:
          "With --repo: where the working copy lives [default: $XDG_CACHE_HOME/ark-sync, else the OS temp]",
      })
      .option("interval", {
        type: "string",
        default: "5m",
        coerce: (text: string) => positiveDuration("--interval", text),
        describe: "With --watch: how often to reconcile while nothing changes (±10 % jitter)",
      })
      .option("poll-interval", {
        type: "string",
        default: "1m",
        coerce: (text: string) => positiveDuration("--poll-interval", text),
        describe: "With --repo: how often to fetch for a new commit (at most --interval)",
      })
      .option("listen", {
        type: "string",
        implies: "watch",
        coerce: parseListen,
        describe: "With --watch: serve /healthz and /metrics on HOST:PORT, e.g. 0.0.0.0:9090",
      }) as unknown as Argv<T & WatchArgs>
  );
}

export function watchOptions(args: WatchArgs & { dir: string; json: boolean }): WatchOptions {
  return {
    source: args.repo
      ? {
          kind: "repository",
          url: args.repo,
          ref: args.ref,
          path: args.path,
          ...(args.workdir === undefined ? {} : { workdir: args.workdir }),
        }
      : { kind: "directory", dir: args.dir },
    intervalMs: args.interval,
    pollMs: args.repo ? args["poll-interval"] : args.interval,
    listen: args.listen ?? null,
    json: args.json,
  };
}

function positiveDuration(flag: string, text: string): number {
  const ms = parseDuration(flag, text);
  if (ms > 0) return ms;
  throw new ArkSyncError(
    "usage",
    "invalid_duration",
    `${flag} must be longer than 0, not ${JSON.stringify(text)}.`,
  );
}

/** `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (all interfaces). */
function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(String(text).trim());
  const port = Number(match?.[3]);
  if (!match || port > 65_535) {
    throw new ArkSyncError(
      "usage",
      "invalid_arguments",
      `--listen must be HOST:PORT, such as 127.0.0.1:9090 or 0.0.0.0:9090, not ${JSON.stringify(text)}.`,
    );
  }
  return { host: match[1] ?? (match[2] || "0.0.0.0"), port };
}
