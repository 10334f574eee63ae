// The worker-thread side of manifest-pool.ts: resolves the manifest files it is sent, one message each,
// and answers with plain data (structured clone keeps every position), or with the error that stopped
// it. Each worker compiles the schema once, at its first file.
import { parentPort } from "node:worker_threads";
import { describeFailure, type PoolAnswer, type PoolJob } from "./manifest-pool.js";
import { resolveManifestFile } from "./resolve-manifest-file.js";

parentPort?.on("message", ({ id, file, overlay, keep }: PoolJob) => {
  resolveManifestFile(file, overlay, keep).then(
    (resolved) => parentPort?.postMessage({ id, resolved } satisfies PoolAnswer),
    (error: unknown) => parentPort?.postMessage({ id, error: describeFailure(error) } satisfies PoolAnswer),
  );
});
