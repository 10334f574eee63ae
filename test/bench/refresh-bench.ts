// Benchmark (not a test): refresh N endpoints from the emulator with 20 ms latency per call, the way
// ark-sync does (list 100 per call, no gets) and the way Terraform-style providers do (one
// GetEndpoint per endpoint, 10 at a time). Prints calls, wall time and the ratios.
// Run: npx tsc -p . && node dist/test/bench/refresh-bench.js [count] [latencyMs]
import { type ArkCallStats, createArkClient } from "../../src/ark/client.js";
import { readLiveEndpoints } from "../../src/ark/refresh.js";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { seedEndpoints } from "../ark/emulator-harness.js";

const count = Number(process.argv[2] ?? 1000);
const latencyMs = Number(process.argv[3] ?? 20);
const parallelism = 10;
const credentials = { accessKeyId: "AKLTbenchAccessKey", secretKey: "bench-secret-key" };

interface Measure {
  label: string;
  calls: number;
  lists: number;
  gets: number;
  ms: number;
  endpoints: number;
}

function totalCalls(stats: ArkCallStats): number {
  return Object.values(stats.calls).reduce((sum, n) => sum + n, 0);
}

async function main(): Promise<void> {
  const emulator = await startEmulator({
    accessKey: credentials.accessKeyId,
    secretKey: credentials.secretKey,
    latencyMs,
    provisioningDelayMs: 0,
  });
  try {
    await seedEndpoints(emulator, count);

    const measure = async (
      label: string,
      run: (client: ReturnType<typeof createArkClient>) => Promise<number>,
    ) => {
      const client = createArkClient({ apiUrl: emulator.url, credentials, parallelism });
      const started = performance.now();
      const endpoints = await run(client);
      const ms = performance.now() - started;
      const stats = client.stats();
      return {
        label,
        calls: totalCalls(stats),
        lists: stats.calls.ListEndpoints,
        gets: stats.calls.GetEndpoint,
        ms,
        endpoints,
      } satisfies Measure;
    };

    // Warm-up, not measured: loads the SDK and opens connections, so both runs start equal.
    await createArkClient({ apiUrl: emulator.url, credentials }).listEndpoints({ projectName: "warm-up" });
    const listed = await measure("ark-sync: list, no gets", async (client) => {
      return (await readLiveEndpoints(client, ["default"], () => false)).length;
    });
    const ids = emulator.listEndpoints().map((endpoint) => endpoint.Id);
    const perEndpoint = await measure(`GetEndpoint each, parallelism ${parallelism}`, async (client) => {
      const endpoints = await Promise.all(ids.map((id) => client.getEndpoint(id)));
      return endpoints.filter((endpoint) => endpoint !== null).length;
    });

    const rows = [listed, perEndpoint].map((m) => [
      m.label,
      String(m.endpoints),
      String(m.lists),
      String(m.gets),
      String(m.calls),
      `${m.ms.toFixed(0)} ms`,
    ]);
    const header = [
      `refresh of ${count} endpoints, ${latencyMs} ms/call`,
      "read",
      "lists",
      "gets",
      "calls",
      "wall",
    ];
    const widths = header.map((cell, i) =>
      Math.max(cell.length, ...rows.map((row) => (row[i] ?? "").length)),
    );
    const line = (cells: string[]) =>
      cells
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join("  ");
    console.log(line(header));
    for (const row of rows) console.log(line(row));
    console.log(
      `ratio: ${(perEndpoint.calls / listed.calls).toFixed(1)}x fewer calls, ${(perEndpoint.ms / listed.ms).toFixed(1)}x less wall time` +
        ` (targets: ${Math.ceil(count / 100)} list calls and 0 gets; >= 10x calls, >= 5x time)`,
    );
  } finally {
    await emulator.close();
  }
}

await main();
