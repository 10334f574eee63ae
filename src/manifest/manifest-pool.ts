// Checks manifest files on worker threads, one per processor up to MAX_WORKERS, when there is enough
// to check that they pay for themselves; inline otherwise. The pool starts at the first big batch
// and lives for the process: each worker loads the parser and compiles the schema once, and holds the
// process open only while it has work (docs/design.md §11).
import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { type CheckedFile, checkManifestFile } from "./check-manifest-file.js";

/** Bytes of manifests one process reads before the pool starts: under it, starting workers (about
 * 100 ms of start-up each, the parser and the schema loaded again) costs more than it saves. */
export const POOL_THRESHOLD_BYTES = 256 * 1024;

/** A worker holds its own copy of the parser and the schema, tens of MiB each. */
const MAX_WORKERS = 4;

export interface PoolJob {
  id: number;
  file: string;
}

export type PoolAnswer =
  | { id: number; checked: CheckedFile }
  | { id: number; error: { message: string; stack: string | undefined } };

interface Pending {
  file: string;
  resolve: (checked: CheckedFile) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  /** The job it is checking, if any. */
  busy: number | null;
}

/** The process's pool, started at the first batch past the threshold. */
let pool: ManifestPool | undefined;
/** Bytes checked inline so far: many small directories (plan --all) add up to a big batch too. */
let bytesSeen = 0;

/** Each file's check, in the order given. */
export async function checkManifestFiles(files: readonly string[]): Promise<CheckedFile[]> {
  if (pool === undefined && files.length > 0) {
    bytesSeen += await totalBytes(files);
    // One file is one job: a pool would only move it to another thread.
    if (bytesSeen >= POOL_THRESHOLD_BYTES && files.length > 1) startManifestPool();
  }
  const checker = pool;
  if (checker === undefined) return inOrder(files, checkManifestFile);
  return Promise.all(files.map((file) => checker.check(file)));
}

/** Starts the process's pool now, if it has none: every later check runs on it. */
export function startManifestPool(size = Math.min(MAX_WORKERS, availableParallelism())): void {
  pool ??= new ManifestPool(Math.max(1, size));
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
        (s) => s.size,
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

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.workers.push(this.startWorker());
  }

  get size(): number {
    return this.workers.length;
  }

  check(file: string): Promise<CheckedFile> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { file, resolve, reject });
      this.queue.push(id);
      this.dispatch();
    });
  }

  private startWorker(): PoolWorker {
    // Beside this module, with its extension: manifest-worker.js when compiled, .mjs in the Action's bundle.
    const here = fileURLToPath(import.meta.url);
    const script = path.join(path.dirname(here), `manifest-worker${path.extname(here)}`);
    const entry: PoolWorker = { worker: new Worker(script), busy: null };
    entry.worker.unref();
    entry.worker.on("message", (answer: PoolAnswer) => this.settle(entry, answer));
    entry.worker.on("error", (error) => this.fail(entry, error));
    entry.worker.on("exit", (code) => this.fail(entry, new Error(`a manifest worker exited (${code})`)));
    return entry;
  }

  private dispatch(): void {
    for (const entry of this.workers) {
      if (entry.busy !== null) continue;
      const id = this.queue.shift();
      const job = id === undefined ? undefined : this.pending.get(id);
      if (id === undefined || job === undefined) return;
      entry.busy = id;
      // Held open only while it works: an idle pool never keeps the process alive.
      entry.worker.ref();
      entry.worker.postMessage({ id, file: job.file } satisfies PoolJob);
    }
  }

  private settle(entry: PoolWorker, answer: PoolAnswer): void {
    const job = this.pending.get(answer.id);
    this.pending.delete(answer.id);
    entry.busy = null;
    entry.worker.unref();
    if (job !== undefined) {
      if ("checked" in answer) {
        job.resolve(answer.checked);
      } else {
        const error = new Error(`checking ${job.file}: ${answer.error.message}`);
        if (answer.error.stack !== undefined) error.stack = answer.error.stack;
        job.reject(error);
      }
    }
    this.dispatch();
  }

  /** A worker that died fails its job, and is replaced so the others' queue still drains. */
  private fail(entry: PoolWorker, error: Error): void {
    const at = this.workers.indexOf(entry);
    if (at === -1) return;
    const job = entry.busy === null ? undefined : this.pending.get(entry.busy);
    if (entry.busy !== null) this.pending.delete(entry.busy);
    job?.reject(error);
    this.workers.splice(at, 1, this.startWorker());
    this.dispatch();
  }
}
