// What the outside world gives a use case (docs/design.md §11). The CLI builds the real one from the
// process (src/cli/process-context.ts); tests build a recording one. Nothing under src/app reads
// `process.*` itself, so every use case runs the same in a test as in a terminal.
import type { SignalSource } from "../apply/interrupts.js";
import type { ArkCallRecord, ArkClient } from "../ark/client.js";
import type { Environment } from "../core/environment.js";

export type { SignalSource };

/** 0 success (no changes with --detailed-exitcode), 1 error, 2 changes with --detailed-exitcode. */
export type ExitCode = 0 | 1 | 2;

/** One use case: plan, apply, import, … Failures the user must see are thrown as ArkSyncError. */
export type UseCase<Options> = (options: Options, ctx: AppContext) => Promise<ExitCode>;

/** Results on stdout, everything else on stderr (docs/design.md §5). */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /**
   * ark-sync's own GitHub workflow commands (annotations), on stdout: the one output that is written
   * as it is, where `out` and `err` keep anything from starting a command (docs/github.md#workflow-commands).
   */
  command(lines: string): void;
  /** The same on stderr, for when stdout holds one document (`--json`); the runner reads both. */
  errCommand(lines: string): void;
  /** Whether colour may be used on stdout / stderr. */
  colorOut: boolean;
  colorErr: boolean;
  /** Whether someone can answer a prompt. */
  isInteractive: boolean;
  /** Terminal width for wrapping prose, when stdout is a terminal. */
  width?: number;
  /** Where --debug lines go; absent without --debug. Lines are already free of credentials. */
  debug?: (line: string) => void;
}

/** Asks `question`; resolves true only for the answer `yes`, false when `signal` aborts first. */
export type Confirm = (question: string, signal: AbortSignal) => Promise<boolean>;

export type { Environment };

/** Which Ark to talk to, and how; credentials come from the context's environment. */
export interface ArkSettings {
  /** Any Ark-compatible base URL (e.g. the emulator's); default: Volcengine's. */
  apiUrl?: string;
  region: string;
  /** Most calls in flight at once. */
  parallelism: number;
  /** The wait between retries (apply paces it and cuts it short on interrupt). */
  sleep?: (ms: number) => Promise<void>;
  /** Told of every request the client sends, once it has ended (sync --watch's metrics). */
  onCall?: (call: ArkCallRecord) => void;
}

export interface AppContext {
  io: Io;
  env: Environment;
  cwd: string;
  homeDir: string | undefined;
  clock: {
    /** Milliseconds on a monotonic clock, for elapsed times. */
    now(): number;
    /** The wall-clock time, for what is recorded. */
    date(): Date;
  };
  signals: SignalSource;
  confirm: Confirm;
  /** Ends the process now; only apply's hard stop (a second interrupt) uses it. */
  exit(code: ExitCode): void;
  /** Makes an Ark client signed with the environment's credentials. Loads the SDK on first use. */
  connectArk(settings: ArkSettings): Promise<ArkClient>;
  /** HTTP outside Ark's SDK: the GitHub API, and the console commands' check for the emulator's marker. */
  fetch: typeof fetch;
  sleep(ms: number): Promise<void>;
}
