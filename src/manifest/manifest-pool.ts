// Resolves manifest files on worker threads when there is enough to check that they pay for
// themselves; inline otherwise. The pool starts at the first batch past the threshold and lives for the
// process: each worker loads the parser and compiles the schema once, and holds the process open only
// while it has work. The main thread takes files from the same queue between its other work, so one
// worker fewer than there are processors keeps them all busy (docs/design.md §11).
import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { OverlayConfig } from "./load-config.js";
import { type Keep, type ResolvedFile, resolveManifestFile } from "./resolve-manifest-file.js";

/** Bytes of manifests one process reads before the pool starts. A worker costs about 0.5 s of CPU
 * before its first answer (its own modules and schema compile) and some 30 MiB, where checking inline
 * costs about 3.5 ms a KiB (both measured on the 2-core machine under load): it pays for itself once
 * it takes half of some 300 KiB (docs/contributing.md#benchmarks). */
export const POOL_THRESHOLD_BYTES = 256 * 1024;

/** A worker holds its own copy of the parser and the schema: memory grows with each. */
const MAX_WORKERS = 3;

/** Files sent to a worker ahead of the one it checks, so it never waits for the next. */
const IN_FLIGHT_PER_WORKER = 2;

/** The young generation of a worker's heap: parsing makes short-lived garbage, and V8's default
 * (for a worker as for the main thread) grows it past what the collections save. */
const WORKER_YOUNG_GENERATION_MB = 16;

export interface PoolJob {
  id: number;
  file: string;
  overlay: OverlayConfig | undefined;
  keep: Keep;
}

export type PoolAnswer =
  | { id: number; resolved: ResolvedFile }
  | { id: number; error: { message: string; stack: string | undefined } };

interface Pending {
  job: PoolJob;
  resolve: (resolved: ResolvedFile) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  /** The jobs sent to it and not yet answered. */
  jobs: Set<number>;
}

/** The process's pool, started at the first batch past the threshold. */
let pool: ManifestPool | undefined;
/** Bytes checked inline so far: many small directories (plan --all) add up to a big batch too. */
let bytesSeen = 0;

/** Each file resolved (resolve-manifest-file.ts), in the order given. */
export async function resolveManifestFiles(
  files: readonly string[],
  overlay: OverlayConfig | undefined,
  keep: Keep,
): Promise<ResolvedFile[]> {
  if (pool === undefined && files.length > 0) {
    const bytes = await totalBytes(files);
    // Added after the wait, so directories read at once (plan --all) all count.
    bytesSeen += bytes;
    // One file is one job: a pool would only move it to another thread.
    if (bytesSeen >= POOL_THRESHOLD_BYTES && files.length > 1) startManifestPool();
  }
  const checker = pool;
  if (checker === undefined) return inOrder(files, (file) => resolveManifestFile(file, overlay, keep));
  return Promise.all(files.map((file) => checker.resolve(file, overlay, keep)));
}

/** Starts the process's pool now, if it has none and there is a processor to spare. */
export function startManifestPool(size = Math.min(MAX_WORKERS, availableParallelism() - 1)): void {
  if (size > 0) pool ??= new ManifestPool(size);
}

/** How many workers the process's pool has; 0 before it starts. */
export function manifestPoolSize(): number {
  return pool?.size ?? 0;
}

/** Unreadable files count as nothing: their check reports them. */
async function totalBytes(files: readonly string[]): Promise<number> {
  const sizes = await Promise.all(
    files.map((file) =>
      stat(file).then(
        (stats) => stats.size,
        () => 0,
      ),
    ),
  );
  return sizes.reduce((sum, size) => sum + size, 0);
}

async function inOrder<T>(files: readonly string[], check: (file: string) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (const file of files) results.push(await check(file));
  return results;
}

class ManifestPool {
  private readonly workers: PoolWorker[] = [];
  private readonly queue: number[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** Whether the main thread is taking jobs from the queue. */
  private helping = false;

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.workers.push(this.startWorker());
  }

  get size(): number {
    return this.workers.length;
  }

  resolve(file: string, overlay: OverlayConfig | undefined, keep: Keep): Promise<ResolvedFile> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { job: { id, file, overlay, keep }, resolve, reject });
      this.queue.push(id);
      this.dispatch();
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
    const entry: PoolWorker = { worker, jobs: new Set() };
    worker.unref();
    worker.on("message", (answer: PoolAnswer) => this.answer(entry, answer));
    worker.on("error", (error) => this.fail(entry, error));
    worker.on("exit", (code) => this.fail(entry, new Error(`a manifest worker exited (${code})`)));
    return entry;
  }

  private dispatch(): void {
    for (const entry of this.workers) {
      while (entry.jobs.size < IN_FLIGHT_PER_WORKER) {
        const job = this.takeJob();
        if (job === undefined) return;
        entry.jobs.add(job.id);
        // Held open only while it works: an idle pool never keeps the process alive.
        entry.worker.ref();
        entry.worker.postMessage(job satisfies PoolJob);
      }
    }
  }

  /** The main thread resolves queued files too, one at a time, letting the workers' answers in between. */
  private async help(): Promise<void> {
    if (this.helping) return;
    this.helping = true;
    try {
      for (let job = this.takeJob(); job !== undefined; job = this.takeJob()) {
        const { id, file, overlay, keep } = job;
        const resolved = await resolveManifestFile(file, overlay, keep).then(
          (result) => ({ id, resolved: result }),
          (error: unknown) => ({ id, error: describeFailure(error) }),
        );
        this.settle(resolved);
        await new Promise((next) => setImmediate(next));
      }
    } finally {
      this.helping = false;
    }
  }

  private takeJob(): PoolJob | undefined {
    const id = this.queue.shift();
    return id === undefined ? undefined : this.pending.get(id)?.job;
  }

  private answer(entry: PoolWorker, answer: PoolAnswer): void {
    entry.jobs.delete(answer.id);
    if (entry.jobs.size === 0) entry.worker.unref();
    this.settle(answer);
    this.dispatch();
  }

  private settle(answer: PoolAnswer): void {
    const pending = this.pending.get(answer.id);
    if (pending === undefined) return;
    this.pending.delete(answer.id);
    if ("resolved" in answer) {
      pending.resolve(answer.resolved);
    } else {
      const error = new Error(`checking ${pending.job.file}: ${answer.error.message}`);
      if (answer.error.stack !== undefined) error.stack = answer.error.stack;
      pending.reject(error);
    }
  }

  /** A worker that died fails its jobs, and is replaced so the queue still drains. */
  private fail(entry: PoolWorker, error: Error): void {
    const at = this.workers.indexOf(entry);
    if (at === -1) return;
    for (const id of entry.jobs) {
      this.pending.get(id)?.reject(error);
      this.pending.delete(id);
    }
    this.workers.splice(at, 1, this.startWorker());
    this.dispatch();
  }
}

export function describeFailure(error: unknown): { message: string; stack: string | undefined } {
  return error instanceof Error
    ? { message: error.message, stack: error.stack }
    : { message: String(error), stack: undefined };
}
