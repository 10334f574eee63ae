// The soak: `sync --watch --repo` as a real process for a few minutes against the emulator, pulling a
// local bare repository that receives random commits (endpoints added, removed, their rate limits
// changed), while endpoints drift on the emulator (self-heal reverts them) and faults are injected
// (5xx, throttling, dropped connections, lost replies). The state is on a branch of that repository.
// Prints duplicates (endpoints made twice for one address: must be 0), reconciles by result,
// notifications a local webhook received, peak RSS, whether memory grew (first third against last
// third of the samples), Ark calls by outcome as its /metrics counts them, and how the watcher ended
// on SIGTERM. Exits 1 on a duplicate or an unclean end.
// Run with `npm run bench:soak -- --minutes 2` (default 3).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { FaultKind } from "../../src/emulator/start-emulator.js";
import { countByOwner, credentials, endpointYaml, startCloud } from "../apply/helpers.js";
import { cleanEnv, spawnCli } from "../cli/run-cli.js";
import { git, makeTempDir } from "../state/helpers.js";

const minutes = Number(readFlag("--minutes") ?? 3);
const intervalMs = 2000;
const faultKinds: FaultKind[] = ["internal-error", "unavailable", "throttle", "drop", "lost-reply"];

function readFlag(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/** A webhook that counts what it is sent. */
async function startWebhook() {
  const received: string[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push((JSON.parse(body) as { event: string }).event);
      response.writeHead(200).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** The resident set of a process, in MiB (Linux). */
function rssMiB(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** ark_sync_ark_calls_total summed by outcome, read from the watcher's /metrics. */
async function readMetrics(log: string): Promise<string> {
  const listen = /"listen":"([^"]+)"/.exec(log)?.[1];
  if (!listen) return "(no /metrics)";
  const text = await (await fetch(`${listen}/metrics`)).text();
  const byOutcome: Record<string, number> = {};
  for (const [, outcome, value] of text.matchAll(
    /^ark_sync_ark_calls_total\{action="\w+",outcome="(\w+)"\} (\d+)$/gm,
  ))
    byOutcome[outcome ?? ""] = (byOutcome[outcome ?? ""] ?? 0) + Number(value);
  return JSON.stringify(byOutcome);
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);

async function main(): Promise<void> {
  const cloud = await startCloud({ provisioningDelayMs: 300, latencyMs: 5 });
  const webhook = await startWebhook();
  const root = makeTempDir("soak");
  const origin = join(root.path, "origin.git");
  const clone = join(root.path, "clone");
  git(root.path, ["init", "--quiet", "--bare", "--initial-branch=main", origin]);
  git(root.path, ["clone", "--quiet", origin, clone]);
  mkdirSync(join(clone, "prod"));
  const live = new Set<string>();
  let serial = 0;
  const writeEndpoint = (name: string) =>
    writeFileSync(
      join(clone, "prod", `${name}.yaml`),
      endpointYaml(name, { rateLimit: { rpm: 10 + Math.floor(Math.random() * 90) } }),
    );
  const push = (message: string) => {
    git(clone, ["add", "-A"]);
    git(clone, ["commit", "--quiet", "--allow-empty", "-m", message]);
    git(clone, ["push", "--quiet", "origin", "HEAD:main"]);
  };
  writeFileSync(
    join(clone, "prod", "ark-sync.yaml"),
    [
      "apiVersion: ark-sync/v1",
      "kind: Config",
      "sync:",
      "  automated: true",
      "  self_heal: true",
      "  prune: true",
      "notify:",
      "  - url_env: SOAK_WEBHOOK",
      "    format: json",
      "    on: [drift, applied, failed, blocked]",
      "",
    ].join("\n"),
  );
  for (let i = 0; i < 6; i++) {
    const name = `ep-${serial++}`;
    writeEndpoint(name);
    live.add(name);
  }
  push("six endpoints");

  const watcher = spawnCli(
    [
      "sync",
      "--watch",
      "--repo",
      origin,
      "--ref",
      "main",
      "--path",
      "prod",
      "--workdir",
      join(root.path, "cache"),
      "--state",
      "git:ark-sync-state",
      "--interval",
      `${intervalMs}ms`,
      "--poll-interval",
      "500ms",
      "--api-url",
      cloud.url,
      "--listen",
      "127.0.0.1:0",
      "--json",
    ],
    {
      cwd: root.path,
      env: cleanEnv({
        VOLC_ACCESSKEY: credentials.accessKey,
        VOLC_SECRETKEY: credentials.secretKey,
        SOAK_WEBHOOK: webhook.url,
      }),
      timeoutMs: (minutes * 60 + 120) * 1000,
    },
  );
  const pid = watcher.child.pid ?? 0;
  const samples: number[] = [];
  const counts = { commits: 0, drifts: 0, faults: 0 };
  const end = performance.now() + minutes * 60_000;
  let nextSample = 0;
  while (performance.now() < end && watcher.child.exitCode === null) {
    // Sampled from the end of the first reconcile: start-up (loading the SDK, the first fetch) is no growth.
    if (performance.now() >= nextSample && watcher.stdout().includes('"event":"reconcile"')) {
      const rss = rssMiB(pid);
      if (rss !== null) samples.push(rss);
      nextSample = performance.now() + 1000;
    }
    const roll = Math.random();
    if (roll < 0.3) {
      // A commit: add, remove or change an endpoint.
      const kind = pick(["add", "remove", "change"] as const);
      if (kind === "add" || live.size < 3) {
        const name = `ep-${serial++}`;
        writeEndpoint(name);
        live.add(name);
      } else if (kind === "remove") {
        const name = pick([...live]);
        rmSync(join(clone, "prod", `${name}.yaml`));
        live.delete(name);
      } else {
        writeEndpoint(pick([...live]));
      }
      push(`${kind} an endpoint`);
      counts.commits += 1;
    } else if (roll < 0.6) {
      // Drift: a rate limit changed in the console.
      const endpoint = pick(cloud.listEndpoints().filter((e) => e.Status === "Running"));
      if (endpoint) {
        await cloud.changeEndpoint(endpoint.Id, {
          RateLimit: { Rpm: 1 + Math.floor(Math.random() * 9), Tpm: 0 },
        });
        counts.drifts += 1;
      }
    } else if (roll < 0.8) {
      cloud.injectFault({ kind: pick(faultKinds), count: 1 + Math.floor(Math.random() * 3) });
      counts.faults += 1;
    }
    await delay(1000 + Math.random() * 2000);
  }

  cloud.clearFaults();
  // Let the last commit and drift be reconciled before stopping.
  await delay(intervalMs * 2);
  const metrics = await readMetrics(watcher.stdout());
  const signalled = performance.now();
  watcher.child.kill("SIGTERM");
  const exit = await watcher.exit;
  const stopSeconds = (performance.now() - signalled) / 1000;

  const lines = watcher
    .stdout()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { event: string; result?: string });
  const reconciles = { synced: 0, "out-of-sync": 0, failed: 0 };
  for (const line of lines)
    if (line.event === "reconcile" && line.result) reconciles[line.result as keyof typeof reconciles] += 1;
  const fetchFailures = lines.filter((line) => line.event === "fetch-failed").length;
  const duplicates = [...countByOwner(cloud).values()].filter((count) => count > 1).length;
  const third = Math.max(1, Math.floor(samples.length / 3));
  const first = mean(samples.slice(0, third));
  const last = mean(samples.slice(-third));
  const grew = last > first * 1.2;
  const notifications = webhook.received.reduce<Record<string, number>>((all, event) => {
    all[event] = (all[event] ?? 0) + 1;
    return all;
  }, {});

  const figures = [
    `soak: ${minutes} min, interval ${intervalMs} ms, ${counts.commits} commits, ${counts.drifts} drifts, ${counts.faults} fault rules`,
    `duplicates: ${duplicates} (endpoints made twice for one address; must be 0)`,
    `reconciles: ${reconciles.synced} synced, ${reconciles["out-of-sync"]} out-of-sync, ${reconciles.failed} failed; ${fetchFailures} failed fetches`,
    `notifications: ${webhook.received.length} received (${JSON.stringify(notifications)})`,
    `endpoints at the end: ${cloud.listEndpoints().length} on the emulator, ${live.size} in the manifests`,
    `memory: peak RSS ${Math.max(...samples).toFixed(1)} MiB; first third ${first.toFixed(1)} MiB, last third ${last.toFixed(1)} MiB: ${grew ? "GREW (> 20 %)" : "no growth"} (${samples.length} samples)`,
    `ark calls (from /metrics): ${metrics}`,
    `SIGTERM: exit code ${exit.code}${exit.signal ? ` (signal ${exit.signal})` : ""} after ${stopSeconds.toFixed(1)} s`,
  ];
  process.stdout.write(`${figures.join("\n")}\n`);
  await cloud.close();
  await webhook.close();
  root.remove();
  if (duplicates > 0 || exit.code !== 0) {
    process.stderr.write(watcher.stderr().slice(-4000));
    process.exitCode = 1;
  }
}

await main();
