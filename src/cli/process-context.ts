// The one place the real world becomes an AppContext: this process's streams (guarded under GitHub
// Actions, src/cli/process-output.ts), environment, working folder, home, clock, signals and terminal.
// Colour only on a TTY, never with NO_COLOR or --no-color.
import { homedir } from "node:os";
import { setTimeout as delay } from "node:timers/promises";
import { arkConnector } from "../app/ark-connector.js";
import type { AppContext, Io } from "../app/context.js";
import type { GlobalOptions } from "./global-options.js";
import { processOutput } from "./process-output.js";
import { createTerminalConfirm } from "./terminal-confirm.js";

export function processContext(options: Pick<GlobalOptions, "color" | "debug">): AppContext {
  const io = processIo(options);
  const env = process.env;
  const homeDir = homedir();
  return {
    io,
    env,
    cwd: process.cwd(),
    homeDir,
    clock: { now: () => performance.now(), date: () => new Date() },
    signals: process,
    confirm: createTerminalConfirm(),
    exit: (code) => process.exit(code),
    connectArk: arkConnector(env, homeDir, {
      fetch: globalThis.fetch,
      notice: (line) => io.err(`${line}\n`),
      ...(io.debug ? { debug: io.debug } : {}),
    }),
    fetch: globalThis.fetch,
    sleep: (ms) => delay(ms),
  };
}

function processIo(options: Pick<GlobalOptions, "color" | "debug">): Io {
  const allowed = options.color && !("NO_COLOR" in process.env && process.env.NO_COLOR !== "");
  const { stdout, stderr } = processOutput();
  const err = stderr.write;
  return {
    out: stdout.write,
    err,
    command: stdout.command,
    errCommand: stderr.command,
    colorOut: allowed && process.stdout.isTTY === true,
    colorErr: allowed && process.stderr.isTTY === true,
    isInteractive: process.stdin.isTTY === true && process.stdout.isTTY === true,
    ...(process.stdout.columns ? { width: Math.min(process.stdout.columns, 120) } : {}),
    ...(options.debug ? { debug: (line: string) => err(`debug: ${line}\n`) } : {}),
  };
}
