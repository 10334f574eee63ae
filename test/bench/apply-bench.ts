// Benchmark (not a test): `ark-sync apply` creating N endpoints on the emulator with a provisioning
// delay and a requests-per-second limit (FlowLimitExceeded / HTTP 429 beyond it). Prints the wall
// time against the bound that limit and provisioning impose, the ratio, and the calls made.
//
// The bound: every request apply needs goes through the rate limit, and the last endpoint still
// provisions after its create. The fewest requests are 1 ListEndpoints for the refresh (no endpoint
// exists yet), N CreateEndpoint with DryRun (Ark's check before the first write), N ownership
// look-ups (one ListEndpoints by tag before each create), N CreateEndpoint, and ⌈N/100⌉ status looks
// (one ListEndpoints filtered by up to 100 Ids sees that many endpoints Running at once).
// So: bound = (1 + 3N + ⌈N/100⌉) / rps + provisioning.
// (The emulator's bucket starts full, one second's worth, so the true floor is about a second lower.)
//
// Run: npx tsc -p . && node dist/test/bench/apply-bench.js [count=200] [rps=20] [provisioningMs=1000]
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run as runApply } from "../../src/app/apply.js";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { testContext } from "../app/context.js";
import { applyOptions, endpointYaml, recordIo } from "../apply/helpers.js";

const count = Number(process.argv[2] ?? 200);
const rps = Number(process.argv[3] ?? 20);
const provisioningMs = Number(process.argv[4] ?? 1000);
const credentials = { accessKey: "AKLTbenchApplyKey", secretKey: "bench-apply-secret" };

async function main(): Promise<void> {
  const emulator = await startEmulator({
    ...credentials,
    provisioningDelayMs: provisioningMs,
    requestsPerSecond: rps,
  });
  const root = await mkdtemp(join(tmpdir(), "ark-sync-apply-bench-"));
  try {
    const manifests = join(root, "manifests");
    await mkdir(manifests);
    for (let i = 0; i < count; i++) {
      const name = `bench-${String(i).padStart(4, "0")}`;
      await writeFile(
        join(manifests, `${name}.yaml`),
        endpointYaml(name, { rateLimit: { rpm: 100 }, tags: { env: "bench" } }),
      );
    }
    const io = recordIo();
    const started = performance.now();
    const code = await runApply(
      applyOptions(emulator, manifests),
      testContext({
        io,
        env: { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey },
        cwd: root,
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const stats = emulator.stats();
    const running = emulator.listEndpoints().filter((endpoint) => endpoint.Status === "Running").length;
    if (code !== 0 || running !== count) {
      throw new Error(`apply ended ${code} with ${running}/${count} Running:\n${io.stderr.slice(-3000)}`);
    }

    const needed = 1 + 3 * count + Math.ceil(count / 100);
    const bound = needed / rps + provisioningMs / 1000;
    const getBound = (1 + 4 * count) / rps + provisioningMs / 1000;
    const calls = (action: string) => stats.byAction[action] ?? 0;
    const answered = stats.requests - stats.throttled;
    console.log(
      `apply: ${count} creates, ${rps} requests/s limit, ${provisioningMs} ms provisioning, --parallelism 10`,
    );
    console.log(`  wall time          ${seconds.toFixed(2)} s`);
    console.log(
      `  bound              ${bound.toFixed(2)} s = (1 list + ${count} DryRun creates + ${count} look-ups + ${count} creates + ${Math.ceil(count / 100)} status lists) / ${rps} rps + ${provisioningMs / 1000} s`,
    );
    console.log(`  ratio              ${(seconds / bound).toFixed(2)} (target <= 1.5)`);
    console.log(
      `  requests           ${stats.requests} (${answered} answered, ${stats.throttled} throttled = ${((100 * stats.throttled) / stats.requests).toFixed(1)}%)`,
    );
    console.log(
      `    CreateEndpoint ${calls("CreateEndpoint")}, ListEndpoints ${calls("ListEndpoints")}, GetEndpoint ${calls("GetEndpoint")}`,
    );
    console.log(
      `  for comparison: one GetEndpoint per endpoint (no batching) needs >= ${1 + 4 * count} requests, bound ${getBound.toFixed(2)} s`,
    );
  } finally {
    await emulator.close();
    await rm(root, { recursive: true, force: true });
  }
}

await main();
