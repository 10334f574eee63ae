// The worker-thread side of manifest-pool.ts: takes each batch it is sent in turn, claims its files one
// at a time against the other threads, and answers each file with plain data (structured clone keeps
// every position) or with the error that stopped it. Each worker compiles the schema once, at its
// first file.
import { parentPort } from "node:worker_threads";
import { claimFile, describeFailure, type PoolAnswer, type PoolBatch } from "./manifest-pool.js";
import { resolveManifestFile } from "./resolve-manifest-file.js";

const batches: PoolBatch[] = [];
let working = false;

parentPort?.on("message", (batch: PoolBatch) => {
  batches.push(batch);
  if (!working) void work();
});

async function work(): Promise<void> {
  working = true;
  for (let batch = batches.shift(); batch !== undefined; batch = batches.shift()) {
    for (let index = claimFile(batch); index !== undefined; index = claimFile(batch)) {
      const { id, files, overlay, keep } = batch;
      const answer = await resolveManifestFile(files[index] as string, overlay, keep).then(
        (resolved): PoolAnswer => ({ batch: id, index, resolved }),
        (error: unknown): PoolAnswer => ({ batch: id, index, error: describeFailure(error) }),
      );
      parentPort?.postMessage(answer);
    }
  }
  working = false;
}
