// The executor (docs/design.md §6): carries out a plan against Ark. Creates, updates, replacements and
// adoptions run concurrently, at most `parallelism` calls to Ark in flight; destroys follow once they
// have all succeeded; an endpoint Ark refuses to delete while Running is stopped first. Each resource is
// recorded in state as soon as Ark has acted on it (a created endpoint before it is Running), so
// nothing that happened is forgotten; a create is not sent while an endpoint with its ownership tag
// exists that the state does not record (unrecorded-endpoint.ts). Once `signal` aborts nothing new
// starts: calls in flight finish, waits stop, and every resource ends with an outcome.
import { setTimeout as delay } from "node:timers/promises";
import type { SwitchTarget } from "../ark/client.js";
import { isArkApiError, isDeleteRefusedWhileRunning } from "../ark/errors.js";
import { createLimiter } from "../ark/limit-concurrency.js";
import { ArkSyncError, isArkSyncError } from "../core/errors.js";
import { canonicalJson } from "../core/plan-hash.js";
import { projectOfAddress } from "../core/projects.js";
import type {
  Address,
  EndpointAttributes,
  IgnoredWrite,
  ModelReference,
  Plan,
  ResourceChange,
  StateResource,
} from "../core/types.js";
import { isEmptyUpdate, toEndpointUpdate } from "./endpoint-update.js";
import { isAbortError, isNotStarted, NotStartedError } from "./interruption.js";
import { ignoredWritesAfter, lastAppliedAfter, type NotManagedPath, withHeldValues } from "./last-applied.js";
import { readBeforeSwitch, runModelSwitch, type SwitchReadiness, type SwitchUndo } from "./model-switch.js";
import { type ApplyOperation, operationOf } from "./operation.js";
import type { ApplyClient } from "./paced-client.js";
import type { ProgressReporter, ProgressTask } from "./progress.js";
import { readBack, updateLeaves, writeIgnoredError, writtenLeaves } from "./read-back.js";
import type { StateRecorder } from "./state-recorder.js";
import type { StatusWatcher } from "./status-watcher.js";
import { type ReportContext, reportSwitch, type SwitchReport } from "./switch-report.js";
import { unrecordedEndpointExists } from "./unrecorded-endpoint.js";

/** `unknown`: a create whose answer was lost, so it may have happened; the next run adopts it. */
export type OutcomeStatus = "done" | "failed" | "interrupted" | "not_started" | "unknown";

export interface ApplyEffects {
  added: number;
  changed: number;
  destroyed: number;
}

export interface ResourceOutcome {
  address: Address;
  operation: ApplyOperation;
  status: OutcomeStatus;
  /** The endpoint the address has now (the new one after a create or replace), if any. */
  endpointId: string | null;
  /** What happened on Ark for this resource, whatever the status. */
  effects: ApplyEffects;
  /** The same in words, in order: "destroyed ep-…", "created ep-…". */
  done: string[];
  /** Why it failed, for `failed`. */
  error?: Error;
  /** What else the user should know, e.g. that a created endpoint is recorded though not Running. */
  notes: string[];
}

export interface ApplyResult {
  /** Every resource apply acted on (bookkeeping-only no-ops left out), sorted by address. */
  outcomes: ResourceOutcome[];
  totals: ApplyEffects;
}

export interface ApplyContext {
  client: ApplyClient;
  watcher: StatusWatcher;
  recorder: StateRecorder;
  progress: ProgressReporter;
  /** Most calls to Ark that change something in flight at once. */
  parallelism: number;
  /** Aborted on interrupt (or when state cannot be written): nothing new starts. */
  signal: AbortSignal;
  /** How long to wait for one endpoint to be Running, and for a model switch that makes no progress. */
  waitTimeoutMs: number;
  /** How a failed, stuck or interrupted model switch is undone, and how often a switch is looked at. */
  modelSwitch: { undo: SwitchUndo; pollMs: number };
  /** The git commit of the manifests, recorded with each resource. */
  commit?: string;
  /** The lineage of the state being applied to, tagged on every endpoint created (`ark-sync:state`). */
  lineage: string;
  /** Monotonic milliseconds, for waits. */
  now(): number;
  /** Wall-clock time, for `applied_at`. */
  date(): Date;
  /** Told when a resource's operation starts and when it ends, for an emergency summary. */
  onStart?(address: Address, operation: ApplyOperation): void;
  onOutcome?(outcome: ResourceOutcome): void;
}

export async function applyPlan(plan: Plan, context: ApplyContext): Promise<ApplyResult> {
  const entries = plan.resource_changes.map((change) => ({ change, operation: operationOf(change) }));
  const executor = new Executor(plan, context);
  const outcomes = await executor.recordBookkeeping(entries);

  const first = entries.filter(({ operation }) => operation !== "destroy" && isActing(operation));
  outcomes.push(...(await Promise.all(first.map((entry) => executor.run(entry)))));

  const destroys = entries.filter(({ operation }) => operation === "destroy");
  const failed = outcomes.some((outcome) => outcome.status !== "done");
  for (const outcome of await Promise.all(
    destroys.map((entry) =>
      failed
        ? executor.skip(entry, "destroys are not started after a failed or interrupted change")
        : executor.run(entry),
    ),
  )) {
    outcomes.push(outcome);
  }

  outcomes.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const totals: ApplyEffects = { added: 0, changed: 0, destroyed: 0 };
  for (const { effects } of outcomes) {
    totals.added += effects.added;
    totals.changed += effects.changed;
    totals.destroyed += effects.destroyed;
  }
  return { outcomes, totals };
}

/** Whether the operation is carried out in the concurrent phases (the others are bookkeeping). */
function isActing(operation: ApplyOperation): boolean {
  switch (operation) {
    case "create":
    case "update":
    case "replace_destroy_first":
    case "replace_create_first":
    case "destroy":
    case "adopt":
      return true;
    case "forget":
    case "record":
      return false;
  }
}

interface Entry {
  change: ResourceChange;
  operation: ApplyOperation;
}

class Executor {
  /** What the state never records as last applied. */
  readonly #notManaged: NotManagedPath[];
  readonly #context: ApplyContext;
  readonly #limit: ReturnType<typeof createLimiter>;

  constructor(plan: Plan, context: ApplyContext) {
    this.#notManaged = [...plan.unmanaged, ...plan.no_longer_managed];
    this.#context = context;
    this.#limit = createLimiter(context.parallelism);
  }

  /** Forgets endpoints deleted outside, moves the records of endpoints that only moved, and refreshes
   * the last-applied record of no-ops, in one write. */
  async recordBookkeeping(entries: Entry[]): Promise<ResourceOutcome[]> {
    const bookkept: { outcome: ResourceOutcome; note: string }[] = [];
    const saved = await this.#context.recorder.update((resources) => {
      for (const entry of entries) {
        const { change, operation } = entry;
        const at = resources[change.address] ? change.address : change.previous_address;
        const recorded = at === undefined ? undefined : resources[at];
        if (at === undefined || !recorded) continue;
        if (operation === "forget") {
          delete resources[at];
          const outcome = this.#newOutcome(entry);
          outcome.status = "done";
          outcome.endpointId = null;
          outcome.done.push(`removed from state (${recorded.endpoint_id} was deleted outside ark-sync)`);
          const note = `Removed from state: ${recorded.endpoint_id} was deleted outside ark-sync`;
          bookkept.push({ outcome, note });
        } else if (operation === "record" && recorded.endpoint_id === change.endpoint_id) {
          const lastApplied = change.change.after
            ? lastAppliedAfter(change, this.#notManaged, recorded.last_applied, "existing")
            : recorded.last_applied;
          const moved = at !== change.address;
          // A plan that writes nothing no longer wants a value Ark refused: its record goes too.
          const { ignored_writes: refused = [], ...kept } = recorded;
          if (
            moved ||
            refused.length > 0 ||
            canonicalJson(lastApplied) !== canonicalJson(recorded.last_applied)
          ) {
            delete resources[at];
            resources[change.address] = lastApplied
              ? this.#stateEntry(recorded.endpoint_id, lastApplied)
              : kept;
          }
          if (moved) {
            const outcome = this.#newOutcome(entry);
            outcome.status = "done";
            outcome.done.push(`moved in state from ${at}`);
            bookkept.push({ outcome, note: `Moved in state from ${at} [id=${recorded.endpoint_id}]` });
          }
        }
      }
    });
    for (const { outcome, note } of bookkept) {
      this.#context.progress.note(outcome.address, note);
      if (!saved) outcome.notes.push("the state could not be written (see below)");
      this.#context.onOutcome?.(outcome);
    }
    return bookkept.map(({ outcome }) => outcome);
  }

  skip(entry: Entry, reason: string): ResourceOutcome {
    const outcome = this.#newOutcome(entry);
    outcome.notes.push(reason);
    this.#context.onOutcome?.(outcome);
    return outcome;
  }

  async run(entry: Entry): Promise<ResourceOutcome> {
    const outcome = this.#newOutcome(entry);
    try {
      await this.#perform(entry, outcome);
      outcome.status = "done";
    } catch (error) {
      this.#classify(error, outcome);
    }
    this.#context.onOutcome?.(outcome);
    return outcome;
  }

  #newOutcome({ change, operation }: Entry): ResourceOutcome {
    return {
      address: change.address,
      operation,
      status: "not_started",
      endpointId: change.endpoint_id,
      effects: { added: 0, changed: 0, destroyed: 0 },
      done: [],
      notes: [],
    };
  }

  #classify(error: unknown, outcome: ResourceOutcome): void {
    // Something happened for it: a create, update or destroy, an adoption, or a stop before a delete.
    const acted = outcome.done.length > 0;
    if (isNotStarted(error)) {
      outcome.status = acted ? "interrupted" : "not_started";
    } else if (isAbortError(error)) {
      outcome.status = "interrupted";
      outcome.notes.push(
        "interrupted while retrying a call to Ark, so its outcome is unknown; the next plan shows what happened" +
          (outcome.operation === "destroy"
            ? ""
            : " (an endpoint created meanwhile is adopted by its ownership tag)"),
      );
    } else if (isArkSyncError(error) && error.code === "interrupted") {
      outcome.status = "interrupted";
    } else if (
      isArkSyncError(error) &&
      (error.code === "create_outcome_unknown" || error.code === "model_switch_unknown")
    ) {
      outcome.status = "unknown";
      outcome.error = error;
    } else {
      outcome.status = "failed";
      outcome.error = error instanceof Error ? error : new Error(String(error));
    }
  }

  async #perform(entry: Entry, outcome: ResourceOutcome): Promise<void> {
    this.#context.onStart?.(entry.change.address, entry.operation);
    const { change } = entry;
    switch (entry.operation) {
      case "create":
        return this.#createAndWait(change, outcome, null);
      case "update":
        return this.#update(change, outcome, "update");
      case "adopt":
        return this.#update(change, outcome, "adopt");
      case "destroy":
        return this.#destroy(change, outcome, requireId(change));
      case "replace_destroy_first": {
        const oldId = requireId(change);
        await this.#destroy(change, outcome, oldId);
        return this.#createAndWait(change, outcome, oldId);
      }
      case "replace_create_first": {
        const oldId = requireId(change);
        try {
          await this.#createAndWait(change, outcome, oldId);
        } catch (error) {
          if (outcome.effects.added > 0) {
            outcome.notes.push(
              `the old endpoint ${oldId} was kept; it is no longer recorded in state (its replacement is): delete it in the Ark console once the replacement works`,
            );
          }
          throw error;
        }
        try {
          await this.#destroy(change, outcome, oldId);
        } catch (error) {
          outcome.notes.push(
            `the old endpoint ${oldId} was not destroyed; it is no longer recorded in state (its replacement ${outcome.endpointId} is): delete it in the Ark console`,
          );
          throw error;
        }
        return;
      }
      case "forget":
      case "record":
        return;
    }
  }

  /** Runs `work` in a slot of the parallelism limit, unless apply is stopping by then. */
  #inSlot<T>(work: () => Promise<T>): Promise<T> {
    return this.#limit(async () => {
      if (this.#context.signal.aborted) throw new NotStartedError();
      return work();
    });
  }

  async #createAndWait(
    change: ResourceChange,
    outcome: ResourceOutcome,
    oldId: string | null,
  ): Promise<void> {
    const { client, recorder, progress, watcher } = this.#context;
    const attributes = change.change.after as EndpointAttributes;
    let task: ProgressTask | undefined;
    const owner = { address: change.address, state: this.#context.lineage };
    const id = await this.#inSlot(async () => {
      const exclude = this.#recordedIds(oldId);
      const owned = await client.findOwnedEndpoint(owner, attributes.project_name, exclude);
      if (owned) {
        progress.note(change.address, `Not created: ${owned.endpoint_id} has its ownership tag (see below)`);
        throw unrecordedEndpointExists(change.address, owned.endpoint_id);
      }
      task = progress.begin(change.address, "create");
      return track(task, client.createEndpoint(attributes, owner, { exclude }));
    });
    const started = this.#context.now();
    const created = task as ProgressTask;
    created.setId(id);
    outcome.endpointId = id;
    outcome.effects.added += 1;
    outcome.done.push(`created ${id}`);
    const lastApplied = lastAppliedAfter(change, this.#notManaged, null, "created");
    const saved = recorder.put(change.address, this.#stateEntry(id, lastApplied), change.previous_address);
    try {
      await track(
        created,
        watcher.waitUntilRunning(id, {
          projectName: attributes.project_name,
          startedAt: started,
          timeoutMs: this.#context.waitTimeoutMs,
        }),
      );
    } catch (error) {
      if (!(await saved)) outcome.notes.push(`${id} exists but could not be recorded in state (see below)`);
      else if (isArkSyncError(error) && error.code === "interrupted") {
        outcome.notes.push(
          `${id} is recorded in state; it was still provisioning when ark-sync stopped waiting`,
        );
      }
      throw error;
    }
    if (!(await saved)) outcome.notes.push(`${id} could not be recorded in state (see below)`);
    // Ark's success says nothing about what it stored: read the endpoint back (read-back.ts).
    const written = writtenLeaves(attributes);
    const { ignored } = await track(
      created,
      readBack(this.#context.client, id, "CreateEndpoint", written, this.#context.date()),
    );
    if (ignored.length > 0) {
      await this.#recordIgnored(change, outcome, id, withHeldValues(lastApplied, ignored), ignored);
      const error = writeIgnoredError(id, "CreateEndpoint", ignored);
      created.fail(error.message);
      throw error;
    }
    created.complete();
  }

  /** Records what Ark holds after a write it partly ignored, and the ignored writes beside it. */
  async #recordIgnored(
    change: ResourceChange,
    outcome: ResourceOutcome,
    id: string,
    held: EndpointAttributes,
    ignoredWrites: readonly IgnoredWrite[],
  ): Promise<void> {
    const entry = this.#stateEntry(id, held, ignoredWrites);
    if (!(await this.#context.recorder.put(change.address, entry, change.previous_address))) {
      outcome.notes.push(`what Ark holds for ${id} could not be recorded in state (see below)`);
    }
  }

  /** The endpoints a create's ownership look-ups pass over, before it and after an unknown outcome:
   * those the state has (one created for this address and since moved elsewhere) and `oldId`, the
   * endpoint a replacement replaces, recorded until its replacement is. */
  #recordedIds(oldId: string | null): string[] {
    const ids = new Set(this.#context.recorder.endpointIds());
    if (oldId) ids.add(oldId);
    return [...ids];
  }

  async #update(change: ResourceChange, outcome: ResourceOutcome, verb: "update" | "adopt"): Promise<void> {
    const { client, recorder, progress, watcher } = this.#context;
    const id = requireId(change);
    const { before, after } = change.change;
    const needsCall = change.change.actions[0] === "update" && before !== null && after !== null;
    const switching = needsCall && change.model_switch?.method === "rolling";
    const provisioning = change.status === "Scheduling";
    // The endpoint as planned; an update or adoption never changes its project (project_name replaces).
    const wait = {
      projectName: before?.project_name ?? projectOfAddress(change.address),
      timeoutMs: this.#context.waitTimeoutMs,
    };
    // Ark refuses UpdateEndpoint while an endpoint is Scheduling.
    if (needsCall && provisioning)
      await watcher.waitUntilRunning(id, { startedAt: this.#context.now(), ...wait });
    let ready: SwitchReadiness | undefined;
    let ignored: IgnoredWrite[] = [];
    const task = await this.#inSlot(async () => {
      const started = progress.begin(change.address, verb, id);
      if (needsCall) {
        // A switch starts from a read; one in progress already fails the resource before anything is sent.
        if (switching) ready = await track(started, this.#readBeforeSwitch(change, id));
        // The model goes by the rolling switch below, never by UpdateEndpoint.
        const inPlace = switching ? { ...after, model_reference: before.model_reference } : after;
        const update = toEndpointUpdate(before, inPlace);
        const sent = !isEmptyUpdate(update);
        if (sent) {
          await track(started, client.updateEndpoint(id, update));
          // Ark's success says nothing about what it stored: read the endpoint back (read-back.ts).
          const written = updateLeaves(update);
          ({ ignored } = await track(
            started,
            readBack(client, id, "UpdateEndpoint", written, this.#context.date()),
          ));
        }
        if (sent || !switching) {
          outcome.effects.changed += 1;
          outcome.done.push(`updated ${id} in place`);
        }
      }
      return started;
    });
    const recorded = verb === "adopt" ? undefined : this.#recorded(change)?.resource;
    let lastApplied = lastAppliedAfter(change, this.#notManaged, recorded?.last_applied ?? null, "existing");
    const ignoredWrites = ignoredWritesAfter(recorded?.ignored_writes, ignored);
    if (ignored.length > 0) {
      // What Ark holds is recorded, not what was sent; a model switch is not started after it.
      const liveModel = switching ? withModel(before?.model_reference) : {};
      const held = withHeldValues({ ...lastApplied, ...liveModel }, ignored);
      await this.#recordIgnored(change, outcome, id, held, ignoredWrites);
      const error = writeIgnoredError(id, "UpdateEndpoint", ignored);
      task.fail(error.message);
      throw error;
    }
    let report: SwitchReport | null = null;
    if (switching && ready) {
      try {
        report = await track(task, this.#switchModel(change, id, ready));
      } catch (error) {
        // The switch never got going (refused, or its start failed): the old model is live, and
        // what UpdateEndpoint changed above is recorded all the same.
        const oldModel = withModel(before?.model_reference);
        await recorder.put(
          change.address,
          this.#stateEntry(id, { ...lastApplied, ...oldModel }),
          change.previous_address,
        );
        throw error;
      }
      // The model GetEndpoint shows once no switch holds the endpoint, else the one it had before.
      lastApplied = { ...lastApplied, ...withModel(report.model) };
      outcome.done.push(...report.done);
      if (report.changed && outcome.effects.changed === 0) outcome.effects.changed += 1;
    }
    const saved = recorder.put(change.address, this.#stateEntry(id, lastApplied), change.previous_address);
    if (report?.error) {
      if (!(await saved)) outcome.notes.push(`${id} could not be recorded in state (see below)`);
      outcome.notes.push(...report.notes);
      task.stop(report.stop);
      throw report.error;
    }
    if (verb === "adopt") outcome.done.push(`adopted ${id}`);
    // An adopted endpoint still provisioning is the create of an earlier run: see it through.
    if (verb === "adopt" && provisioning && !needsCall) {
      await track(task, watcher.waitUntilRunning(id, { startedAt: this.#context.now(), ...wait }));
    }
    if (!(await saved)) outcome.notes.push(`${id} could not be recorded in state (see below)`);
    task.complete();
  }

  /** The read before a model switch; a switch already in progress fails the resource, nothing sent. */
  async #readBeforeSwitch(change: ResourceChange, id: string): Promise<SwitchReadiness> {
    const readiness = await readBeforeSwitch(this.#context.client, id, switchTargetOf(change));
    if (readiness.kind === "foreign") {
      const { error } = reportSwitch(readiness, this.#reportContext(change, id));
      if (error) throw error;
    }
    return readiness;
  }

  /** Runs the change's rolling model switch, unless the read before it found the target served already. */
  async #switchModel(change: ResourceChange, id: string, ready: SwitchReadiness): Promise<SwitchReport> {
    const { client, progress, signal } = this.#context;
    const context = this.#reportContext(change, id);
    if (ready.kind !== "ready") return reportSwitch(ready, context);
    let shown = -1;
    const result = await runModelSwitch(client, id, context.target, {
      undo: this.#context.modelSwitch.undo,
      pollMs: this.#context.modelSwitch.pollMs,
      stallTimeoutMs: context.stallTimeoutMs,
      signal,
      now: () => this.#context.now(),
      sleep: (ms, abort) => delay(ms, undefined, { signal: abort }),
      onProgress: (percent) => {
        if (percent === shown) return;
        shown = percent;
        progress.note(change.address, `Switching model... ${percent}% [id=${id}]`);
      },
      onNote: (text) => progress.note(change.address, `${text} [id=${id}]`),
    });
    return reportSwitch(result, { ...context, from: ready.endpoint.attributes.model_reference });
  }

  #reportContext(change: ResourceChange, id: string): ReportContext {
    return {
      endpointId: id,
      target: switchTargetOf(change),
      from: change.change.before?.model_reference,
      stallTimeoutMs: this.#context.waitTimeoutMs,
    };
  }

  async #destroy(change: ResourceChange, outcome: ResourceOutcome, id: string): Promise<void> {
    const { client, recorder, progress } = this.#context;
    let started: ProgressTask | undefined;
    const refused = await this.#inSlot(async () => {
      started = progress.begin(change.address, "destroy", id);
      return track(started, deleteUnlessRefused(client, id));
    });
    const task = started as ProgressTask;
    if (refused) await this.#stopThenDelete(change, outcome, id, task);
    outcome.effects.destroyed += 1;
    outcome.done.push(`destroyed ${id}`);
    // A create-before-destroy replacement already points the address at the new endpoint.
    const recorded = this.#recorded(change);
    if (recorded?.resource.endpoint_id === id) {
      if (!(await recorder.remove(recorded.address)))
        outcome.notes.push("its removal could not be recorded in state");
    }
    task.complete();
  }

  /** Ark refused to delete the endpoint because it is Running (docs/ark-api.md, Statuses): stop it,
   * wait until it is Stopped, and delete it again. Gone on the way counts as deleted. */
  async #stopThenDelete(change: ResourceChange, outcome: ResourceOutcome, id: string, task: ProgressTask) {
    const { client, progress, watcher } = this.#context;
    const call = <T>(work: () => Promise<T>) => track(task, this.#inSlot(work));
    progress.note(change.address, `Ark refuses to delete a Running endpoint: stopping it first [id=${id}]`);
    const exists = await call(() => stopUnlessGone(client, id));
    if (!exists) return;
    outcome.done.push(`stopped ${id} (Ark refuses to delete a Running endpoint)`);
    try {
      const wait = {
        // The endpoint being deleted: the old one of a replacement, in the project it had.
        projectName: change.change.before?.project_name ?? projectOfAddress(change.address),
        startedAt: this.#context.now(),
        timeoutMs: this.#context.waitTimeoutMs,
      };
      const stopped = await track(task, watcher.waitUntilStopped(id, wait));
      if (stopped) await call(() => client.deleteEndpoint(id));
    } catch (error) {
      // A create-before-destroy replacement no longer records its old endpoint, and says so itself.
      if (this.#recorded(change)?.resource.endpoint_id === id) {
        outcome.notes.push(
          `${id} was stopped but not deleted; it is still recorded in state: apply again to delete it`,
        );
      }
      throw error;
    }
  }

  /** The change's state record: under its address, or under the address a moved endpoint had. */
  #recorded(change: ResourceChange): { address: Address; resource: StateResource } | undefined {
    const { recorder } = this.#context;
    for (const address of [change.address, change.previous_address]) {
      const resource = address === undefined ? undefined : recorder.get(address);
      if (address !== undefined && resource) return { address, resource };
    }
    return undefined;
  }

  /** `ignoredWrites`: the writes to this endpoint Ark ignored that the next plan must know of. */
  #stateEntry(
    endpointId: string,
    lastApplied: EndpointAttributes,
    ignoredWrites: readonly IgnoredWrite[] = [],
  ): StateResource {
    const { commit } = this.#context;
    return {
      endpoint_id: endpointId,
      last_applied: lastApplied,
      applied_at: this.#context.date().toISOString(),
      ...(commit ? { commit } : {}),
      ...(ignoredWrites.length > 0 ? { ignored_writes: [...ignoredWrites] } : {}),
    };
  }
}

/** Ends the progress line of a step that throws, with what happened, and rethrows. */
async function track<T>(task: ProgressTask, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isNotStarted(error)) task.stop("Interrupted before the call was sent");
    else if (isAbortError(error)) task.stop("Interrupted while retrying (outcome unknown)");
    else if (isArkSyncError(error) && error.code === "interrupted")
      task.stop("Stopped waiting (interrupted)");
    else task.fail(error instanceof Error ? error.message : String(error));
    throw error;
  }
}

function withModel(model: ModelReference | undefined): Partial<EndpointAttributes> {
  return model === undefined ? {} : { model_reference: model };
}

/** The foundation model a rolling switch moves to. */
function switchTargetOf(change: ResourceChange): SwitchTarget {
  const model = change.change.after?.model_reference;
  if (model === undefined || !("foundation_model" in model)) {
    throw new ArkSyncError(
      "internal",
      "apply_not_updatable",
      `${change.address}: only a foundation model can be switched in place`,
    );
  }
  return model.foundation_model;
}

/** DeleteEndpoint; true when Ark refused it because the endpoint is Running. */
async function deleteUnlessRefused(client: ApplyContext["client"], id: string): Promise<boolean> {
  try {
    await client.deleteEndpoint(id);
    return false;
  } catch (error) {
    if (isDeleteRefusedWhileRunning(error)) return true;
    throw error;
  }
}

/** StopEndpoint; false when the endpoint is already gone. */
async function stopUnlessGone(client: ApplyContext["client"], id: string): Promise<boolean> {
  try {
    await client.stopEndpoint(id);
    return true;
  } catch (error) {
    if (isArkApiError(error) && error.category === "not_found") return false;
    throw error;
  }
}

function requireId(change: ResourceChange): string {
  if (change.endpoint_id) return change.endpoint_id;
  throw new ArkSyncError(
    "internal",
    "apply_missing_id",
    `${change.address}: the plan gives no endpoint_id to act on`,
  );
}
