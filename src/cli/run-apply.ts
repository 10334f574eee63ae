// `ark-sync apply [DIR | PLANFILE]` (design §6): take the state lock, plan against the locked state
// and live Ark (or check a saved plan is not stale), print the plan and ask for `yes` on a terminal,
// then carry it out, recording state after every resource. Interrupts stop it gracefully.
import { stat } from "node:fs/promises";
import { homedir } from "node:os";
import { resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { type ApplyResult, applyPlan, type ResourceOutcome } from "../apply/apply-plan.js";
import { readGitCommit } from "../apply/git-commit.js";
import { operationOf } from "../apply/operation.js";
import { createPacedClient, type PacedClient } from "../apply/paced-client.js";
import { createPacer } from "../apply/pacer.js";
import { PollSchedule } from "../apply/poll-schedule.js";
import { createProgressReporter } from "../apply/progress.js";
import { isComplete, renderApplyComplete, renderApplyIncomplete } from "../apply/render-result.js";
import {
  checkSavedPlanFile,
  checkSavedPlanLive,
  checkSavedPlanState,
  dependsOnLive,
} from "../apply/saved-plan.js";
import { createStateRecorder, type StateRecorder } from "../apply/state-recorder.js";
import { createStatusWatcher } from "../apply/status-watcher.js";
import { describeUntracked, findUntrackedEndpoints } from "../apply/untracked-endpoints.js";
import type { ArkClient } from "../ark/client.js";
import { createArkClient } from "../ark/client.js";
import { resolveCredentials } from "../ark/credentials.js";
import { computePlan } from "../core/compute-plan.js";
import { ArkSyncError } from "../core/errors.js";
import type { DesiredEndpoint, Plan } from "../core/types.js";
import { readLiveForPlan } from "../pipeline/read-live.js";
import { readPlanFile } from "../render/plan-json.js";
import { renderPlanText, renderSummaryLine } from "../render/text.js";
import type { StateBackend, StateLock } from "../state/backend.js";
import { resolveStateBackend } from "../state/resolve-backend.js";
import type { ApplyArgs } from "./commands/apply.js";
import { applyQuestion, type Confirm, createTerminalConfirm } from "./confirm.js";
import { type Interrupts, listenForInterrupts, type SignalSource } from "./interrupts.js";
import { type Io, processIo } from "./io.js";
import { loadValidManifests } from "./load-valid-manifests.js";
import { describeError } from "./report-error.js";

export interface ApplyDeps {
  io: Io;
  confirm: Confirm;
  env: NodeJS.ProcessEnv;
  cwd: string;
  homeDir: string | undefined;
  signals: SignalSource;
  /** Ends the process now: only after a second interrupt, or when calls outlast the grace period. */
  exit(code: number): void;
  /** After the first interrupt, how long calls in flight may take. Default 5000 ms. */
  graceMs: number;
}

/** What an apply works from: a manifest directory, or a saved plan (and the directory of its state). */
type Source = { kind: "dir"; dir: string } | { kind: "plan"; file: string; dir: string };

/** Bound on the final state write when stopping at once. */
const hardStopWriteMs = 1500;

export async function runApply(args: ApplyArgs, overrides: Partial<ApplyDeps> = {}): Promise<number> {
  const deps: ApplyDeps = {
    io: processIo(args),
    confirm: createTerminalConfirm(),
    env: process.env,
    cwd: process.cwd(),
    homeDir: homedir(),
    signals: process,
    exit: (code) => process.exit(code),
    graceMs: 5000,
    ...overrides,
  };
  const { io } = deps;
  checkNumbers(args);
  const source = await resolveSource(args, deps.cwd);
  if (source.kind === "dir" && !args["auto-approve"] && !deps.io.isInteractive) {
    throw new ArkSyncError(
      "usage",
      "apply_needs_approval",
      "apply needs --auto-approve when it is not run in a terminal (no one can answer its confirmation prompt); nothing was done.",
      {
        hint: "Review the plan first (ark-sync plan), then run ark-sync apply --auto-approve; or save a plan with ark-sync plan --out plan.json and apply that file.",
      },
    );
  }
  const manifests = source.kind === "dir" ? await loadValidManifests(source.dir, io) : null;
  const savedPlan = source.kind === "plan" ? await readSavedPlan(source.file) : null;
  const commit = commitDir(source, deps.cwd).then(readGitCommit);
  const backend = await resolveStateBackend(args.state, source.dir, deps.cwd, {
    warn: (message) => io.err(`Warning: ${message}\n`),
  });

  const run = new ApplyRun(args, deps, backend);
  try {
    return await run.execute(manifests?.endpoints ?? null, savedPlan, source, commit);
  } finally {
    run.dispose();
  }
}

class ApplyRun {
  readonly #args: ApplyArgs;
  readonly #deps: ApplyDeps;
  readonly #backend: StateBackend;
  readonly #interrupts: Interrupts;
  readonly #client: ArkClient;
  readonly #paced: PacedClient;
  #lock: StateLock | null = null;
  #recorder: StateRecorder | null = null;
  readonly #started = new Map<string, string>();
  readonly #finished: ResourceOutcome[] = [];

  constructor(args: ApplyArgs, deps: ApplyDeps, backend: StateBackend) {
    this.#args = args;
    this.#deps = deps;
    this.#backend = backend;
    const credentials = resolveCredentials(deps.env, deps.homeDir);
    const debug = args.debug ? (line: string) => deps.io.err(`debug: ${line}\n`) : undefined;
    this.#interrupts = listenForInterrupts({
      signals: deps.signals,
      write: deps.io.err,
      graceMs: deps.graceMs,
      onHardStop: (reason) => void this.#hardStop(reason),
    });
    const { signal } = this.#interrupts;
    const pacer = createPacer();
    let paced: PacedClient | null = null;
    this.#client = createArkClient({
      ...(args["api-url"] ? { apiUrl: args["api-url"] } : {}),
      region: args.region,
      credentials,
      parallelism: args.parallelism,
      ...(debug ? { debug } : {}),
      // A retry waits out its backoff, then its turn with the pacer; an interrupt cuts both short.
      sleep: async (ms) => {
        await delay(ms, undefined, { signal });
        paced?.reportThrottles();
        await pacer.acquire(signal);
      },
    });
    paced = createPacedClient(this.#client, pacer, signal, debug);
    this.#paced = paced;
  }

  dispose(): void {
    this.#interrupts.dispose();
  }

  async execute(
    desired: DesiredEndpoint[] | null,
    savedPlan: Plan | null,
    source: Source,
    commit: Promise<string | undefined>,
  ): Promise<number> {
    const { io } = this.#deps;
    const lock = await this.#backend.lock({ operation: "apply" });
    this.#lock = lock;
    try {
      if (this.#interrupts.signal.aborted) throw interruptedBeforeChanges();
      const plan = await this.#whileInterruptible(
        desired ? this.#planFromManifests(desired) : this.#checkSavedPlan(savedPlan as Plan, source),
      );
      if (!needsApproval(plan)) return await this.#carryOut(plan, await commit);
      if (desired && !this.#args["auto-approve"]) {
        const approved = await this.#deps.confirm(`\n${applyQuestion}`, this.#interrupts.signal);
        if (!approved || this.#interrupts.signal.aborted) {
          io.out("\nApply cancelled.\n");
          return 1;
        }
        io.err("\n");
      }
      return await this.#carryOut(plan, await commit);
    } finally {
      await lock.release();
    }
  }

  /** Work before anything changes: an interrupt ends it with "nothing was changed". */
  async #whileInterruptible<T>(work: Promise<T>): Promise<T> {
    try {
      const result = await work;
      if (this.#interrupts.signal.aborted) throw interruptedBeforeChanges();
      return result;
    } catch (error) {
      if (this.#interrupts.signal.aborted) throw interruptedBeforeChanges();
      throw error;
    }
  }

  async #planFromManifests(desired: DesiredEndpoint[]): Promise<Plan> {
    const { io } = this.#deps;
    const state = this.#lock?.current() ?? null;
    io.err(`Reading live endpoints from Ark (${this.#args.region})...\n`);
    const live = await readLiveForPlan(this.#client, desired, state);
    const { calls } = this.#client.stats();
    io.err(
      `Read ${live.length} live endpoints (${calls.ListEndpoints} list, ${calls.GetEndpoint} get calls).\n\n`,
    );
    const plan = computePlan(desired, state, live, {
      allowEmpty: this.#args["allow-empty"],
      targets: this.#args.target,
    });
    io.out(renderPlanText(plan, { color: io.colorOut, width: io.width }));
    for (const endpoint of findUntrackedEndpoints(live, state, plan)) {
      io.err(`\nWarning: ${describeUntracked(endpoint)}\n`);
    }
    if (plan.errors.length > 0) {
      throw new ArkSyncError(
        "input",
        "plan_has_errors",
        "the plan has errors (shown above), so nothing was applied.",
      );
    }
    return plan;
  }

  async #checkSavedPlan(plan: Plan, source: Source): Promise<Plan> {
    const { io } = this.#deps;
    checkSavedPlanState(plan, this.#lock?.current() ?? null, this.#backend.describe());
    const file = source.kind === "plan" ? source.file : "";
    io.err(`Applying the saved plan ${file}: ${renderSummaryLine(plan.summary)}\n`);
    if (!dependsOnLive(plan)) return plan;
    io.err(`Checking that the live endpoints it relies on are unchanged (${this.#args.region})...\n`);
    return checkSavedPlanLive(plan, this.#paced, this.#lock?.current() ?? null);
  }

  async #carryOut(plan: Plan, commit: string | undefined): Promise<number> {
    const { io } = this.#deps;
    const lock = this.#lock as StateLock;
    const { signal } = this.#interrupts;
    const recorder = createStateRecorder(lock, (error) => {
      if (signal.aborted) return;
      io.err(`\nError: could not write the state: ${error.message}\nStopping: nothing new is started.\n`);
      this.#interrupts.stop();
    });
    this.#recorder = recorder;
    const now = () => performance.now();
    const result = await applyPlan(plan, {
      client: this.#paced,
      watcher: createStatusWatcher({
        client: this.#paced,
        schedule: new PollSchedule(),
        signal,
        now,
        ...(this.#args.debug ? { debug: (line: string) => io.err(`debug: ${line}\n`) } : {}),
      }),
      recorder,
      progress: createProgressReporter({ write: io.err, color: io.colorErr, now }),
      parallelism: this.#args.parallelism,
      signal,
      waitTimeoutMs: this.#args["wait-timeout"] * 1000,
      ...(commit ? { commit } : {}),
      now,
      date: () => new Date(),
      onStart: (address, operation) => this.#started.set(address, operation),
      onOutcome: (outcome) => this.#finished.push(outcome),
    });
    await recorder.settle();
    return this.#report(result, recorder);
  }

  #report(result: ApplyResult, recorder: StateRecorder): number {
    const { io } = this.#deps;
    const stateFailure = recorder.failure();
    if (isComplete(result) && !stateFailure) {
      io.out(`\n${renderApplyComplete(result.totals)}\n`);
      return 0;
    }
    if (!isComplete(result)) io.err(renderApplyIncomplete(result, this.#interrupts.interrupted()));
    io.err(`\n${this.#describeState(recorder)}\n`);
    if (stateFailure) io.err(`\n${describeError(stateFailure, this.#args.debug)}`);
    return 1;
  }

  #describeState(recorder: StateRecorder): string {
    const written = recorder.lastWritten();
    if (recorder.failure()) return `State: the last write to ${this.#backend.describe()} failed (below).`;
    return written
      ? `State: everything above is recorded in ${this.#backend.describe()} (serial ${written.serial}).`
      : `State: unchanged in ${this.#backend.describe()}.`;
  }

  /** Second interrupt, or calls that outlast the grace period: write what is known and exit now. */
  async #hardStop(reason: string): Promise<void> {
    const { io } = this.#deps;
    io.err(`\n${reason}: writing the state and exiting now.\n`);
    const recorder = this.#recorder;
    const lock = this.#lock;
    const finishing = (async () => {
      await recorder?.settle();
      await lock?.release();
    })();
    const finished = await Promise.race([
      finishing.then(() => true),
      delay(hardStopWriteMs).then(() => false),
    ]);
    const done = new Set(this.#finished.map((outcome) => outcome.address));
    const inFlight = [...this.#started.keys()].filter((address) => !done.has(address));
    const lines = [
      `Finished before stopping: ${this.#finished.length === 0 ? "none" : this.#finished.map((o) => `${o.address} (${o.status})`).join(", ")}`,
      ...(inFlight.length > 0
        ? [
            `Still in flight, outcome unknown: ${inFlight.join(", ")}. The next plan shows what happened; an endpoint created meanwhile is adopted by its ownership tag.`,
          ]
        : []),
      recorder === null
        ? "State: unchanged (nothing had been applied)."
        : finished && !recorder.failure()
          ? `State: written to ${this.#backend.describe()}${recorder.lastWritten() ? ` (serial ${recorder.lastWritten()?.serial})` : ""}.`
          : `State: the final write did not complete in time${recorder.failure() ? ` (${recorder.failure()?.message})` : ""}.`,
    ];
    io.err(`${lines.join("\n")}\n`);
    this.#deps.exit(1);
  }
}

/** Whether the plan does anything the user must approve (bookkeeping-only plans need not). */
function needsApproval(plan: Plan): boolean {
  return plan.resource_changes.some((change) => {
    const operation = operationOf(change);
    return operation !== "record" && operation !== "forget";
  });
}

function interruptedBeforeChanges(): ArkSyncError {
  return new ArkSyncError(
    "usage",
    "interrupted",
    "interrupted before anything was applied; nothing was changed.",
  );
}

function checkNumbers(args: ApplyArgs): void {
  if (!Number.isInteger(args.parallelism) || args.parallelism < 1) {
    throw new ArkSyncError(
      "usage",
      "invalid_parallelism",
      `--parallelism must be a positive integer, got ${args.parallelism}.`,
    );
  }
  if (!Number.isFinite(args["wait-timeout"]) || args["wait-timeout"] <= 0) {
    throw new ArkSyncError(
      "usage",
      "invalid_wait_timeout",
      `--wait-timeout must be a number of seconds > 0, got ${args["wait-timeout"]}.`,
    );
  }
}

async function resolveSource(args: ApplyArgs, cwd: string): Promise<Source> {
  const path = args.path;
  const found = await stat(resolve(cwd, path)).catch(() => null);
  if (found === null) {
    throw new ArkSyncError(
      "input",
      "apply_source_missing",
      `${path} is neither a manifest directory nor a plan file.`,
      {
        hint: "Give the manifest directory (default: manifests) or a plan saved with ark-sync plan --out FILE.",
      },
    );
  }
  if (found.isDirectory()) {
    if (args.dir !== undefined) {
      throw new ArkSyncError(
        "usage",
        "apply_dir_with_dir",
        "--dir is only for applying a plan file; the manifest directory is the argument.",
      );
    }
    return { kind: "dir", dir: path };
  }
  if (args.target.length > 0 || args["allow-empty"]) {
    throw new ArkSyncError(
      "usage",
      "apply_plan_options",
      `${args.target.length > 0 ? "--target" : "--allow-empty"} cannot be used with a saved plan: the plan already decides what is applied.`,
      { hint: "Pass it to ark-sync plan --out FILE instead." },
    );
  }
  return { kind: "plan", file: path, dir: args.dir ?? "manifests" };
}

async function readSavedPlan(file: string): Promise<Plan> {
  const plan = await readPlanFile(file);
  checkSavedPlanFile(plan, file);
  return plan;
}

/** The folder whose git checkout the commit is read from. */
async function commitDir(source: Source, cwd: string): Promise<string> {
  const dir = resolve(cwd, source.dir);
  const found = await stat(dir).catch(() => null);
  return found?.isDirectory() ? dir : cwd;
}
