// Resolves manifest files inline, and on worker threads once the work queued is worth one
// (pool-decision.ts). The pool lives for the process: each worker loads the parser and compiles the
// schema once, and holds the process open only while it has work. The main thread claims files of the
// same batch between its other work, so one worker fewer than there are processors keeps them all busy
// (docs/design.md §11).
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { OverlayConfig } from "./load-config.js";
import { poolPaysOff } from "./pool-decision.js";
import { readManifestText } from "./read-manifest-text.js";
import {
  type Keep,
  type ResolvedFile,
  resolveManifestFile,
  resolveManifestText,
} from "./resolve-manifest-file.js";

/** A worker holds its own copy of the parser and the schema: memory grows with each. */
const MAX_WORKERS = 3;

/** The young generation of a worker's heap: parsing makes short-lived garbage, and V8's default
 * (for a worker as for the main thread) grows it past what the collections save. */
const WORKER_YOUNG_GENERATION_MB = 16;

/**
 * One call's files, sent to every worker once. Each thread, the main one included, claims the next
 * file by incrementing `claims`, a counter in memory they share: a worker never waits for the main
 * thread to hand it work, however long the main thread is busy elsewhere (reading the state,
 * planning another directory).
 */
export interface PoolBatch {
  id: number;
  files: readonly string[];
  overlay: OverlayConfig | undefined;
  keep: Keep;
  claims: Int32Array;
}

export type PoolAnswer =
  | { batch: number; index: number; resolved: ResolvedFile }
  | { batch: number; index: number; error: { message: string; stack: string | undefined } };

/** Claims the batch's next file: its index, or undefined once every file is claimed. */
export function claimFile(batch: PoolBatch): number | undefined {
  const index = Atomics.add(batch.claims, 0, 1);
  return index < batch.files.length ? index : undefined;
}

interface PendingBatch {
  batch: PoolBatch;
  results: ResolvedFile[];
  unanswered: number;
  resolve: (results: ResolvedFile[]) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  /** The batches sent to it that are not yet answered in full. */
  batches: Set<number>;
}

/** The process's pool, once the work queued is worth it. */
let pool: ManifestPool | undefined;

/** What checking inline has cost this process: the time spent checking (reading the files is left
 * out, as is whatever the thread did while it waited), and the files checked. */
const checkedInline = { ms: 0, files: 0 };
/** The process's first file is left out of the rate: it compiles the schema and warms the code. */
let warmedUp = false;
/** Manifest files waiting to be checked inline, every directory in flight. */
let filesQueued = 0;

/** Each file resolved (resolve-manifest-file.ts), in the order given. */
export async function resolveManifestFiles(
  files: readonly string[],
  overlay: OverlayConfig | undefined,
  keep: Keep,
): Promise<ResolvedFile[]> {
  if (pool !== undefined) return pool.resolveAll(files, overlay, keep);
  filesQueued += files.length;
  const results: ResolvedFile[] = [];
  try {
    for (const [index, file] of files.entries()) {
      // One file left is one job: a pool would only move it to another thread. Another directory in
      // flight may have started it meanwhile.
      if (files.length - index > 1 && poolPaysOff({ ...checkedInline, queuedFiles: filesQueued })) {
        startManifestPool();
      }
      const checker = currentPool();
      if (checker !== undefined) {
        return [...results, ...(await checker.resolveAll(files.slice(index), overlay, keep))];
      }
      const read = await readManifestText(file);
      const started = performance.now();
      results.push(resolveManifestText(file, read, overlay, keep));
      if (warmedUp) {
        checkedInline.ms += performance.now() - started;
        checkedInline.files++;
      }
      warmedUp = true;
      filesQueued--;
    }
    return results;
  } finally {
    filesQueued -= files.length - results.length;
  }
}

/** Starts the process's pool now, if it has none and there is a processor to spare. */
export function startManifestPool(size = Math.min(MAX_WORKERS, availableParallelism() - 1)): void {
  if (size > 0) pool ??= new ManifestPool(size);
}

/** Read through a call: a check above narrows `pool` for the rest of a function, though a call
 * (another directory's) may start it meanwhile. */
function currentPool(): ManifestPool | undefined {
  return pool;
}

/** How many workers the process's pool has; 0 before it starts. */
export function manifestPoolSize(): number {
  return pool?.size ?? 0;
}

class ManifestPool {
  private readonly workers: PoolWorker[] = [];
  private readonly pending = new Map<number, PendingBatch>();
  private nextId = 0;
  /** Whether the main thread's loop of claiming files is running. */
  private helping = false;

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.workers.push(this.startWorker());
  }

  get size(): number {
    return this.workers.length;
  }

  resolveAll(
    files: readonly string[],
    overlay: OverlayConfig | undefined,
    keep: Keep,
  ): Promise<ResolvedFile[]> {
    const batch: PoolBatch = {
      id: this.nextId++,
      files,
      overlay,
      keep,
      claims: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)),
    };
    return new Promise((resolve, reject) => {
      this.pending.set(batch.id, { batch, results: [], unanswered: files.length, resolve, reject });
      for (const entry of this.workers) this.send(entry, batch);
      void this.help();
    });
  }

  private startWorker(): PoolWorker {
    // Beside this module, with its extension: manifest-worker.js when compiled, .mjs in the Action's bundle.
    const here = fileURLToPath(import.meta.url);
    const script = path.join(path.dirname(here), `manifest-worker${path.extname(here)}`);
    const worker = new Worker(script, {
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    const entry: PoolWorker = { worker, batches: new Set() };
    worker.unref();
    worker.on("message", (answer: PoolAnswer) => this.settle(answer));
    worker.on("error", (error) => this.fail(entry, error));
    worker.on("exit", (code) => this.fail(entry, new Error(`a manifest worker exited (${code})`)));
    return entry;
  }

  private send(entry: PoolWorker, batch: PoolBatch): void {
    entry.batches.add(batch.id);
    // Held open only while it works: an idle pool never keeps the process alive.
    entry.worker.ref();
    entry.worker.postMessage(batch);
  }

  /**
   * The main thread claims files too, one at a time, oldest batch first, letting other work and the
   * answers in between. One loop for every batch, so with several directories in flight (plan --all)
   * the main thread checks one file a turn, not one per directory, and still plans the directories
   * whose files are all in.
   */
  private async help(): Promise<void> {
    if (this.helping) return;
    this.helping = true;
    try {
      for (let claim = this.claimAny(); claim !== undefined; claim = this.claimAny()) {
        const { batch, index } = claim;
        const answer = await resolveManifestFile(
          batch.files[index] as string,
          batch.overlay,
          batch.keep,
        ).then(
          (resolved): PoolAnswer => ({ batch: batch.id, index, resolved }),
          (error: unknown): PoolAnswer => ({ batch: batch.id, index, error: describeFailure(error) }),
        );
        this.settle(answer);
        await new Promise((next) => setImmediate(next));
      }
    } finally {
      this.helping = false;
    }
  }

  /** The next unclaimed file of the oldest batch that has one (a failed batch is dropped: what is left
   * of it is not worth checking). */
  private claimAny(): { batch: PoolBatch; index: number } | undefined {
    for (const { batch } of this.pending.values()) {
      const index = claimFile(batch);
      if (index !== undefined) return { batch, index };
    }
    return undefined;
  }

  private settle(answer: PoolAnswer): void {
    const pending = this.pending.get(answer.batch);
    if (pending === undefined) return;
    if ("error" in answer) {
      const error = new Error(`checking ${pending.batch.files[answer.index]}: ${answer.error.message}`);
      if (answer.error.stack !== undefined) error.stack = answer.error.stack;
      this.finish(pending);
      pending.reject(error);
      return;
    }
    pending.results[answer.index] = answer.resolved;
    if (--pending.unanswered > 0) return;
    this.finish(pending);
    pending.resolve(pending.results);
  }

  /** Forgets the batch; a worker done with every batch sent to it no longer holds the process open. */
  private finish({ batch }: PendingBatch): void {
    this.pending.delete(batch.id);
    for (const entry of this.workers) {
      if (entry.batches.delete(batch.id) && entry.batches.size === 0) entry.worker.unref();
    }
  }

  /** A worker that died fails the batches it was working on (which files it had claimed is not known),
   * and is replaced so later batches still have it. */
  private fail(entry: PoolWorker, error: Error): void {
    const at = this.workers.indexOf(entry);
    if (at === -1) return;
    this.workers.splice(at, 1, this.startWorker());
    for (const id of entry.batches) {
      const pending = this.pending.get(id);
      if (pending === undefined) continue;
      this.finish(pending);
      pending.reject(error);
    }
  }
}

export function describeFailure(error: unknown): { message: string; stack: string | undefined } {
  return error instanceof Error
    ? { message: error.message, stack: error.stack }
    : { message: String(error), stack: undefined };
}
