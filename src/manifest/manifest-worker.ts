// The worker-thread side of manifest-pool.ts: checks the manifest files it is sent, one message each,
// and answers with plain data (structured clone keeps every position), or with the error that stopped
// it. Each worker compiles the schema once, at its first file.
import { parentPort } from "node:worker_threads";
import { checkManifestFile } from "./check-manifest-file.js";
import type { PoolAnswer, PoolJob } from "./manifest-pool.js";

parentPort?.on("message", ({ id, file }: PoolJob) => {
  checkManifestFile(file).then(
    (checked) => parentPort?.postMessage({ id, checked } satisfies PoolAnswer),
    (error: unknown) => {
      const { message, stack } =
        error instanceof Error ? error : { message: String(error), stack: undefined };
      parentPort?.postMessage({ id, error: { message, stack } } satisfies PoolAnswer);
    },
  );
});
