// An AppContext for running use cases in this process: streams recorded as strings, an environment
// and working folder of the test's choosing, signals it raises itself (an EventEmitter), scripted
// confirmation, and the real Ark client (signed HTTP to the emulator over loopback).
import { EventEmitter } from "node:events";
import { setTimeout as delay } from "node:timers/promises";
import { arkConnector } from "../../src/app/ark-connector.js";
import type { AppContext, Environment, Io } from "../../src/app/context.js";
import { describeError } from "../../src/app/describe-error.js";
import type { PlanOptions } from "../../src/app/plan.js";

export interface RecordedIo extends Io {
  stdout: string;
  stderr: string;
}

export function recordIo(interactive = false): RecordedIo {
  const io: RecordedIo = {
    stdout: "",
    stderr: "",
    out: (text) => {
      io.stdout += text;
    },
    err: (text) => {
      io.stderr += text;
    },
    command: (lines) => {
      io.stdout += lines;
    },
    errCommand: (lines) => {
      io.stderr += lines;
    },
    colorOut: false,
    colorErr: false,
    isInteractive: interactive,
  };
  return io;
}

export interface TestContext extends AppContext {
  io: RecordedIo;
  signals: EventEmitter;
}

/** A context over `parts`; by default no credentials, no home, and `exit` throws. */
export function testContext(parts: Partial<Omit<TestContext, "connectArk">> = {}): TestContext {
  const io = parts.io ?? recordIo();
  const env: Environment = parts.env ?? {};
  const homeDir = "homeDir" in parts ? parts.homeDir : undefined;
  return {
    cwd: process.cwd(),
    clock: { now: () => performance.now(), date: () => new Date() },
    signals: new EventEmitter(),
    confirm: async () => {
      throw new Error("the test did not expect a confirmation prompt");
    },
    exit: (code) => {
      throw new Error(`exit(${code}) called`);
    },
    fetch: globalThis.fetch,
    sleep: (ms) => delay(ms),
    ...parts,
    io,
    env,
    homeDir,
    connectArk: arkConnector(env, homeDir, {
      fetch: parts.fetch ?? globalThis.fetch,
      notice: (line) => io.err(`${line}\n`),
      ...(io.debug ? { debug: io.debug } : {}),
    }),
  };
}

export interface UseCaseRun {
  /** The exit code, or null when the use case threw. */
  code: number | null;
  /** What it threw (an ArkSyncError for anything the user is told). */
  error: unknown;
  io: RecordedIo;
}

/** Runs a use case, capturing its exit code or the error it threw. */
export async function runHere<Options>(
  run: (options: Options, ctx: AppContext) => Promise<number>,
  options: Options,
  ctx: TestContext = testContext(),
): Promise<UseCaseRun> {
  try {
    return { code: await run(options, ctx), error: undefined, io: ctx.io };
  } catch (error) {
    return { code: null, error, io: ctx.io };
  }
}

export interface CliLikeResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a use case as the CLI does: a thrown error becomes its message on stderr and exit code 1. */
export async function runLikeCli<Options>(
  run: (options: Options, ctx: AppContext) => Promise<number>,
  options: Options,
  ctx: TestContext,
): Promise<CliLikeResult> {
  let code: number;
  try {
    code = await run(options, ctx);
  } catch (error) {
    ctx.io.err(describeError(error, ctx.io.debug !== undefined));
    code = 1;
  }
  return { code, stdout: ctx.io.stdout, stderr: ctx.io.stderr };
}

/** `plan DIR`'s options as the command line defaults them (refreshing, Ark's DryRun on), with `changes`. */
export function planOptionsFor(
  dir: string,
  ark: PlanOptions["ark"],
  changes: Partial<PlanOptions> = {},
): PlanOptions {
  return {
    dir,
    ark,
    json: false,
    detailedExitcode: false,
    refresh: true,
    targets: [],
    allowEmpty: false,
    arkDryRun: true,
    ...changes,
  };
}
