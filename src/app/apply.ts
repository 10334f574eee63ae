// `ark-sync apply [DIR | PLANFILE]` (docs/design.md §6): take the state lock, plan against the locked
// state and live Ark (or check that a saved plan is not stale), print the plan and ask for `yes` on a
// terminal (or, with --require-reviewed, check it is the plan reviewed on the pull request: review-gate.ts),
// have Ark check its creates and model switches (DryRun) before the first write, then carry it out,
// recording state after every resource. Interrupts stop it gracefully.
import { relative, resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { type ApplyResult, applyPlan, type ResourceOutcome } from "../apply/apply-plan.js";
import { readGitCommit } from "../apply/git-commit.js";
import { type Interrupts, listenForInterrupts } from "../apply/interrupts.js";
import type { SwitchUndo } from "../apply/model-switch.js";
import { operationOf } from "../apply/operation.js";
import { connectPacedClient, type PacedClient } from "../apply/paced-client.js";
import { PollSchedule } from "../apply/poll-schedule.js";
import { createProgressReporter } from "../apply/progress.js";
import {
  isComplete,
  renderApplyComplete,
  renderApplyIncomplete,
  renderHardStop,
} from "../apply/render-result.js";
import { checkSavedPlanLive, checkSavedPlanState, dependsOnLive } from "../apply/saved-plan.js";
import { createStateRecorder, type StateRecorder } from "../apply/state-recorder.js";
import { createStatusWatcher } from "../apply/status-watcher.js";
import type { ArkClient } from "../ark/client.js";
import { dryRunPlan, summarizeDryRun } from "../ark/dry-run-plan.js";
import { hasAction } from "../core/compute-plan.js";
import { ArkSyncError } from "../core/errors.js";
import type { DesiredEndpoint, Plan } from "../core/types.js";
import type { ManifestSet } from "../manifest/load-manifests.js";
import { sanitizeLines } from "../render/format-value.js";
import { renderPlanText, renderSummaryLine } from "../render/text.js";
import type { StateBackend, StateLock } from "../state/backend.js";
import { type ApplySource, commitDir, readSavedPlan, resolveApplySource } from "./apply-source.js";
import type { AppContext, ArkSettings, ExitCode } from "./context.js";
import { describeError } from "./describe-error.js";
import { type Connected, withConnection } from "./directory-connection.js";
import { lockState, openState } from "./open-state.js";
import { destroyLimit, loadValidConnection, loadValidManifests, readAndPlan } from "./read-and-plan.js";
import { applyOutcome, isPlanHash, openHashGate, openReviewGate, type ReviewGate } from "./review-gate.js";

export interface ApplyOptions {
  /** A manifest directory, or a plan file saved by `plan --out`. */
  path: string;
  /** With a plan file: the manifest directory whose state it was planned against. */
  dir?: string;
  state?: string;
  /** The region is absent when no flag or variable gives it (directory-connection.ts). */
  ark: Omit<ArkSettings, "sleep" | "region"> & { region?: string };
  autoApprove: boolean;
  allowEmpty: boolean;
  /** Lift ark-sync.yaml's max_destroy for this apply (--allow-destroy-over-limit). */
  allowDestroyOverLimit?: boolean;
  /** sync's --max-destroy: a limit on destroys that holds beside max_destroy and that nothing lifts. */
  destroyCeiling?: number;
  targets: string[];
  /** How long to wait for each endpoint to be Running, and for a model switch that makes no progress. */
  waitTimeoutSeconds: number;
  /** How a model switch that fails, stalls or is interrupted is undone (--on-switch-failure). */
  switchUndo: SwitchUndo;
  /** How often a model switch is looked at. Default 2000 ms. */
  switchPollMs?: number;
  /** How long to wait for a state lock another run holds (--lock-timeout); default 0, refuse at once. */
  lockTimeoutMs?: number;
  /** After the first interrupt, how long calls in flight may take. Default 5000 ms. */
  graceMs?: number;
  /** Apply only the plan reviewed on the pushed commit's pull request, and report there (review-gate.ts). */
  requireReviewed?: boolean;
  /** With requireReviewed: the login whose comment holds the reviewed plan (as `comment --author`). */
  author?: string;
  /** With requireReviewed: also require an approving review after the plan (default true). */
  requireApproval?: boolean;
  /** Apply only a fresh plan with this hash (the manual recovery run; review-gate.ts). */
  planHash?: string;
  /** Have Ark check each create and model switch (DryRun) before the first write (--ark-dry-run); default true. */
  arkDryRun?: boolean;
  /** Who runs this apply and why, when it is not a person: the lock's operation, and the lines the
   * state's commits lead with (sync's audit, docs/sync.md#audit). */
  audit?: { operation: string; lines: string[] };
}

const applyQuestion = [
  "Do you want to perform these actions?",
  "  ark-sync will perform the actions described above.",
  "  Only 'yes' will be accepted to approve.",
  "",
  "  Enter a value: ",
].join("\n");

/** Bound on the final state write when stopping at once. */
const hardStopWriteMs = 1500;

export async function run(options: ApplyOptions, ctx: AppContext): Promise<ExitCode> {
  checkNumbers(options);
  const source = await resolveApplySource(options, ctx.cwd);
  checkGateOptions(options, source.kind);
  // The review on the pull request, or the hash a reviewer approved, is the approval
  // (docs/github.md#applying-only-the-reviewed-plan).
  const approved = options.autoApprove || options.requireReviewed === true || options.planHash !== undefined;
  if (source.kind === "dir" && !approved && !ctx.io.isInteractive) {
    throw new ArkSyncError(
      "usage",
      "apply_needs_approval",
      "apply needs --auto-approve when it is not run in a terminal (no one can answer its confirmation prompt); nothing was done.",
      {
        hint: "Review the plan first (ark-sync plan), then run ark-sync apply --auto-approve; or save a plan with ark-sync plan --out plan.json and apply that file.",
      },
    );
  }
  const manifests = source.kind === "dir" ? await loadValidManifests(source.dir, ctx) : null;
  const connected = withConnection(
    options,
    manifests?.connection ?? (await loadValidConnection(source.dir, ctx)),
  );
  const savedPlan = source.kind === "plan" ? await readSavedPlan(source.file, ctx.cwd) : null;
  const commit = commitDir(source, ctx.cwd).then((dir) => readGitCommit(dir, ctx.env));
  // The comment is per directory as the plan job named it, relative to the checkout.
  const reviewDir = relative(ctx.cwd, resolve(ctx.cwd, options.path)) || ".";
  const gate = options.requireReviewed
    ? await openReviewGate(
        { directory: reviewDir, author: options.author, requireApproval: options.requireApproval !== false },
        ctx,
      )
    : options.planHash !== undefined
      ? openHashGate(reviewDir, options.planHash, ctx)
      : null;
  const backend = await openState(connected.state, source.dir, ctx);

  const interrupts = listenForInterrupts({
    signals: ctx.signals,
    write: ctx.io.err,
    graceMs: options.graceMs ?? 5000,
    onHardStop: (reason) => void applyRun.hardStop(reason),
  });
  const applyRun = new ApplyRun(connected, ctx, backend, interrupts, gate);
  try {
    await applyRun.connect();
    return await applyRun.execute(manifests, savedPlan, source, commit);
  } finally {
    interrupts.dispose();
  }
}

/** One apply, from taking the lock to the last state write; what a hard stop reports on. */
class ApplyRun {
  readonly #options: Connected<ApplyOptions>;
  readonly #ctx: AppContext;
  readonly #backend: StateBackend;
  readonly #interrupts: Interrupts;
  readonly #gate: ReviewGate | null;
  #client: ArkClient | null = null;
  #paced: PacedClient | null = null;
  #lock: StateLock | null = null;
  #recorder: StateRecorder | null = null;
  readonly #started = new Map<string, string>();
  readonly #finished: ResourceOutcome[] = [];

  constructor(
    options: Connected<ApplyOptions>,
    ctx: AppContext,
    backend: StateBackend,
    interrupts: Interrupts,
    gate: ReviewGate | null,
  ) {
    this.#options = options;
    this.#ctx = ctx;
    this.#backend = backend;
    this.#interrupts = interrupts;
    this.#gate = gate;
  }

  /** Makes the clients (resolving the credentials) before the lock is taken. */
  async connect(): Promise<void> {
    const { client, paced } = await connectPacedClient(
      (sleep) => this.#ctx.connectArk({ ...this.#options.ark, sleep }),
      this.#interrupts.signal,
      this.#ctx.io.debug,
    );
    this.#client = client;
    this.#paced = paced;
  }

  async execute(
    manifests: Pick<ManifestSet, "endpoints" | "maxDestroy"> | null,
    savedPlan: Plan | null,
    source: ApplySource,
    commit: Promise<string | undefined>,
  ): Promise<ExitCode> {
    const { io } = this.#ctx;
    const { audit } = this.#options;
    const lock = await lockState(
      this.#backend,
      audit?.operation ?? "apply",
      this.#options.lockTimeoutMs ?? 0,
      this.#ctx,
      audit?.lines,
    );
    this.#lock = lock;
    try {
      if (this.#interrupts.signal.aborted) throw interruptedBeforeChanges();
      const plan = await this.#whileInterruptible(
        manifests ? this.#planFromManifests(manifests) : this.#checkSavedPlan(savedPlan as Plan, source),
      );
      if ((await this.#gate?.check(plan)) === "already_applied") return 0;
      if (this.#options.arkDryRun !== false) {
        await this.#whileInterruptible(this.#checkWithArk(plan, manifests?.endpoints ?? []));
      }
      if (manifests && needsApproval(plan) && !this.#options.autoApprove && !this.#gate) {
        const approved = await this.#ctx.confirm(`\n${applyQuestion}`, this.#interrupts.signal);
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

  async #planFromManifests(manifests: Pick<ManifestSet, "endpoints" | "maxDestroy">): Promise<Plan> {
    const { io } = this.#ctx;
    const state = this.#lock?.current() ?? null;
    const { plan } = await readAndPlan(
      {
        desired: manifests.endpoints,
        state,
        ark: { client: this.#client as ArkClient, region: this.#options.ark.region },
        allowEmpty: this.#options.allowEmpty,
        targets: this.#options.targets,
        // sync's audited applies target the addresses it decided on, and say so themselves.
        ...(this.#options.audit === undefined ? {} : { warnOfTargets: false }),
        ...destroyLimit(
          manifests.maxDestroy,
          this.#options.allowDestroyOverLimit === true,
          this.#options.destroyCeiling,
        ),
      },
      this.#ctx,
    );
    io.out(renderPlanText(plan, { color: io.colorOut, width: io.width }));
    if (plan.errors.length > 0) {
      throw new ArkSyncError(
        "input",
        "plan_has_errors",
        "the plan has errors (shown above), so nothing was applied.",
      );
    }
    return plan;
  }

  /**
   * Ark's DryRun of every create and model switch, before anything is written: what Ark would refuse,
   * what these credentials may not call, or a DryRun Ark carried out (what it made is deleted at once),
   * stops the apply with nothing changed.
   */
  async #checkWithArk(plan: Plan, desired: DesiredEndpoint[]): Promise<void> {
    const { io } = this.#ctx;
    // Paced like the writes after it: a large plan's checks must not run into Ark's rate limit.
    const report = await dryRunPlan(this.#paced as PacedClient, plan, desired, {
      parallelism: this.#options.ark.parallelism,
    });
    if (report.creates + report.switches === 0) return;
    const refusals = [
      ...report.errors.map((error) => error.message),
      ...report.denied.map(
        ({ action, addresses, message }) =>
          `These credentials may not call ${action} (for ${addresses.join(", ")}): ${message}`,
      ),
    ];
    io.err(`${summarizeDryRun(report)}\n`);
    if (refusals.length === 0) return;
    io.err(refusals.map((line) => `  ${sanitizeLines(line)}\n`).join(""));
    if (report.ignored.length > 0) {
      throw new ArkSyncError(
        "external",
        "apply_dry_run_refused",
        "Ark carried out a check of the plan instead of only checking it (DryRun, above), so nothing was applied.",
        {
          hint: "Ark does not honour DryRun here: apply with --no-ark-dry-run, and delete in the Ark console any endpoint named above as not deleted.",
        },
      );
    }
    throw new ArkSyncError(
      "external",
      "apply_dry_run_refused",
      "Ark refused to let the plan go ahead when asked to check it (DryRun, above), so nothing was applied.",
      {
        hint: "Fix what Ark names, or give apply's credentials the permissions docs/credentials.md lists, then run apply again.",
      },
    );
  }

  async #checkSavedPlan(plan: Plan, source: ApplySource): Promise<Plan> {
    const { io } = this.#ctx;
    checkSavedPlanState(plan, this.#lock?.current() ?? null, this.#backend.describe());
    const file = source.kind === "plan" ? source.file : "";
    io.err(`Applying the saved plan ${file}: ${renderSummaryLine(plan.summary)}\n`);
    if (!dependsOnLive(plan)) return plan;
    io.err(`Checking that the live endpoints it relies on are unchanged (${this.#options.ark.region})...\n`);
    return checkSavedPlanLive(plan, this.#paced as PacedClient, this.#lock?.current() ?? null);
  }

  async #carryOut(plan: Plan, commit: string | undefined): Promise<ExitCode> {
    const { io, clock } = this.#ctx;
    const lock = this.#lock as StateLock;
    // Created endpoints are tagged with the state's lineage, so a new state is written before the
    // first create: a run that dies then leaves a state whose lineage adopts what it created.
    const creates = plan.resource_changes.some((change) => hasAction(change.change.actions, "create"));
    const state = lock.current() ?? (creates ? await lock.write({}) : null);
    const paced = this.#paced as PacedClient;
    const { signal } = this.#interrupts;
    const recorder = createStateRecorder(lock, (error) => {
      if (signal.aborted) return;
      io.err(
        `\nError: could not write the state: ${sanitizeLines(error.message)}\nStopping: nothing new is started.\n`,
      );
      this.#interrupts.stop();
    });
    this.#recorder = recorder;
    const result = await applyPlan(plan, {
      client: paced,
      watcher: createStatusWatcher({
        client: paced,
        schedule: new PollSchedule(),
        signal,
        now: clock.now,
        ...(io.debug ? { debug: io.debug } : {}),
      }),
      recorder,
      progress: createProgressReporter({ write: io.err, color: io.colorErr, now: clock.now }),
      parallelism: this.#options.ark.parallelism,
      signal,
      waitTimeoutMs: this.#options.waitTimeoutSeconds * 1000,
      modelSwitch: { undo: this.#options.switchUndo, pollMs: this.#options.switchPollMs ?? 2000 },
      ...(commit ? { commit } : {}),
      // Without creates nothing is tagged, and a plan with none may have no state to name.
      lineage: state?.lineage ?? "",
      now: clock.now,
      date: clock.date,
      onStart: (address, operation) => this.#started.set(address, operation),
      onOutcome: (outcome) => this.#finished.push(outcome),
    });
    await recorder.settle();
    const code = this.#report(result, recorder);
    await this.#gate?.report(applyOutcome(result, recorder.failure(), this.#describeState(recorder)));
    return code;
  }

  #report(result: ApplyResult, recorder: StateRecorder): ExitCode {
    const { io } = this.#ctx;
    const stateFailure = recorder.failure();
    if (isComplete(result) && !stateFailure) {
      io.out(`\n${renderApplyComplete(result.totals)}\n`);
      return 0;
    }
    if (!isComplete(result))
      io.err(sanitizeLines(renderApplyIncomplete(result, this.#interrupts.interrupted())));
    io.err(`\n${sanitizeLines(this.#describeState(recorder))}\n`);
    if (stateFailure) io.err(`\n${describeError(stateFailure, io.debug !== undefined)}`);
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
  async hardStop(reason: string): Promise<void> {
    const { io } = this.#ctx;
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
    io.err(sanitizeLines(renderHardStop(this.#finished, inFlight, this.#stateAtHardStop(finished))));
    this.#ctx.exit(1);
  }

  /** What the state holds at a hard stop, given whether the last write settled in time. */
  #stateAtHardStop(settled: boolean): string {
    const where = this.#backend.describe();
    const recorder = this.#recorder;
    const failure = recorder?.failure();
    if (failure) return `State: the last write to ${where} failed (${failure.message}).`;
    if (!settled) return `State: the last write to ${where} did not complete in time.`;
    const written = recorder?.lastWritten();
    return written
      ? `State: written to ${where} (serial ${written.serial}).`
      : `State: no endpoint was recorded in ${where} (nothing had completed).`;
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

/** --require-reviewed and --plan-hash plan a directory afresh, and only one of them decides. */
function checkGateOptions(options: ApplyOptions, source: ApplySource["kind"]): void {
  const flag = options.requireReviewed
    ? "--require-reviewed"
    : options.planHash !== undefined
      ? "--plan-hash"
      : null;
  if (flag === null) return;
  if (options.requireReviewed && options.planHash !== undefined) {
    throw new ArkSyncError(
      "usage",
      "apply_gates_conflict",
      "--require-reviewed and --plan-hash cannot be given together; nothing was done.",
      {
        hint: "On a push, --require-reviewed applies the pull request's reviewed plan; by hand, --plan-hash applies the plan with that hash.",
      },
    );
  }
  if (source !== "dir") {
    throw new ArkSyncError(
      "usage",
      "apply_review_needs_dir",
      `${flag} plans the manifest directory afresh; it does not take a plan file. Nothing was done.`,
      { hint: `Run ark-sync apply DIR ${flag}${flag === "--plan-hash" ? " HASH" : ""}.` },
    );
  }
  if (options.planHash !== undefined && !isPlanHash(options.planHash)) {
    throw new ArkSyncError(
      "usage",
      "plan_hash_invalid",
      "--plan-hash must be a whole plan hash, sha256: and 64 hexadecimal digits; nothing was done.",
      {
        hint: "Copy it from the job summary of the plan you reviewed (`Plan hash, for --plan-hash`), or from `ark-sync plan --json`'s plan_hash.",
      },
    );
  }
}

function checkNumbers(options: ApplyOptions): void {
  const { parallelism } = options.ark;
  if (!Number.isInteger(parallelism) || parallelism < 1) {
    throw new ArkSyncError(
      "usage",
      "invalid_parallelism",
      `--parallelism must be a positive integer, got ${parallelism}.`,
    );
  }
  const seconds = options.waitTimeoutSeconds;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new ArkSyncError(
      "usage",
      "invalid_wait_timeout",
      `--wait-timeout must be a number of seconds > 0, got ${seconds}.`,
    );
  }
}
