// Benchmark (not a test): `plan --all ROOT` over a fleet of project directories (each its own Ark
// project and local state, everything applied, a few endpoints drifted) against planning the same
// directories one after another, on an emulator answering every call after a fixed latency. Prints
// wall times, their ratio, calls per directory and peak memory. Exits 1 when a plan is not the
// expected steady state or a directory makes more calls than the list refresh needs: ⌈N/100⌉
// ListEndpoints for its project plus 1 for `default` (docs/design.md §4), no gets, nothing else.
//
// The emulator runs in a child process (`ark-sync emulator`), as Ark runs elsewhere: in this process
// it would take event-loop time from the plans it answers. Its call log counts what reached it.
//
// Run: npm run bench:all -- [directories=20] [endpointsPerDirectory=500] [latencyMs=20] [rounds=3]
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import * as plan from "../../src/app/plan.js";
import * as planAll from "../../src/app/plan-all.js";
import type { ArkAction } from "../../src/ark/actions.js";
import type { ArkClient } from "../../src/ark/client.js";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { recordIo, type TestContext, testContext } from "../app/context.js";
import { type CliProcess, cleanEnv, spawnCli } from "../cli/run-cli.js";
import { type FleetDirectory, seedFleet, writeFleet } from "./plan-all-fleet.js";

const directories = Number(process.argv[2] ?? 20);
const endpointsPerDirectory = Number(process.argv[3] ?? 500);
const latencyMs = Number(process.argv[4] ?? 20);
/** Each way is run this many times, alternately: the machine is shared, one run proves little. */
const rounds = Number(process.argv[5] ?? 3);
/** The CLI's default --parallelism. */
const parallelism = 10;
const credentials = { accessKey: "AKLTbenchPlanAllKey", secretKey: "bench-plan-all-secret" };
const expectedLists = Math.ceil(endpointsPerDirectory / 100) + 1;
const driftedSummary = "Plan: 0 to add, 1 to change, 0 to destroy.";

/** The Ark clients a run made, each with the projects it listed (one directory's own, plus default). */
interface ClientRecord {
  client: ArkClient;
  projects: Set<string>;
}

function recordingContext(clients: ClientRecord[], io = recordIo()): TestContext {
  const ctx = testContext({
    io,
    env: { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey },
  });
  const connect = ctx.connectArk;
  return {
    ...ctx,
    connectArk: async (settings) => {
      const client = await connect(settings);
      const record: ClientRecord = { client, projects: new Set() };
      clients.push(record);
      return {
        ...client,
        listEndpoints: (query) => {
          record.projects.add(query.projectName ?? "default");
          return client.listEndpoints(query);
        },
      };
    },
  };
}

const planOptions = (apiUrl: string) => ({
  ark: { apiUrl, parallelism },
  json: false,
  detailedExitcode: false,
  refresh: true,
  targets: [],
  allowEmpty: false,
  arkDryRun: true,
});

/** The `Plan:` or `No changes.` line of one plan's text. */
function summaryLine(text: string): string {
  return /^(Plan: .*|No changes\..*)$/m.exec(text)?.[1]?.replace(/ Your endpoints.*/, "") ?? "(no summary)";
}

/** Each directory's summary line from `plan --all` output (`### DIR` headings). */
function summariesOfAll(stdout: string): Map<string, string> {
  const summaries = new Map<string, string>();
  for (const section of stdout.split(/^### /m).slice(1)) {
    const [dir = "", ...rest] = section.split("\n");
    summaries.set(dir, summaryLine(rest.join("\n")));
  }
  return summaries;
}

/** Peak resident memory while `task` runs, sampled every 10 ms. */
async function withPeakRss<T>(task: () => Promise<T>): Promise<{ result: T; peakRss: number }> {
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 10);
  try {
    const result = await task();
    return { result, peakRss: Math.max(peakRss, process.memoryUsage.rss()) };
  } finally {
    clearInterval(sampler);
  }
}

/** Calls the emulator logged, by action: one stderr line per call, `Action STATUS … ms`. */
function loggedCalls(emulator: CliProcess): Map<string, number> {
  const calls = new Map<string, number>();
  for (const [, action = ""] of emulator.stderr().matchAll(/^([A-Za-z]+) (?:\d{3}|connection closed)/gm)) {
    calls.set(action, (calls.get(action) ?? 0) + 1);
  }
  return calls;
}

/** The emulator's log once it has caught up with `expected` calls (its lines arrive through a pipe). */
async function settledLog(emulator: CliProcess, expected: number): Promise<Map<string, number>> {
  for (let waited = 0; waited < 2000; waited += 20) {
    const calls = loggedCalls(emulator);
    if (sum(calls.values()) >= expected) return calls;
    await delay(20);
  }
  return loggedCalls(emulator);
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

function callsOf(clients: readonly ClientRecord[], action?: ArkAction): number {
  return sum(
    clients.flatMap(({ client }) =>
      Object.entries(client.stats().calls)
        .filter(([name]) => action === undefined || name === action)
        .map(([, n]) => n),
    ),
  );
}

function difference(after: Map<string, number>, before: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([action, n]) => [action, n - (before.get(action) ?? 0)]));
}

interface Measure {
  label: string;
  ms: number;
  /** CPU time of this process (user + system): near `ms`, the run waited on little but itself. */
  cpuMs: number;
  peakRss: number;
  summaries: Map<string, string>;
  clients: ClientRecord[];
  logged: Map<string, number>;
}

async function measure(
  label: string,
  emulator: CliProcess,
  run: (clients: ClientRecord[]) => Promise<Map<string, string>>,
): Promise<Measure> {
  const clients: ClientRecord[] = [];
  const before = loggedCalls(emulator);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const { result: summaries, peakRss } = await withPeakRss(() => run(clients));
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const logged = difference(await settledLog(emulator, sum(before.values()) + callsOf(clients)), before);
  return { label, ms, cpuMs, peakRss, summaries, clients, logged };
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function median(runs: readonly Measure[], field: "ms" | "cpuMs"): number {
  const values = runs.map((m) => m[field]).sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] ?? Number.NaN;
}

/** Prints (if `print`) what each directory's plan said, grouped; returns the problems found. */
function reportPlans(m: Measure, fleet: readonly FleetDirectory[], print: boolean): string[] {
  const problems: string[] = [];
  const byLine = new Map<string, string[]>();
  for (const { dir, project, drifted } of fleet) {
    const line = m.summaries.get(dir) ?? "(not planned)";
    byLine.set(line, [...(byLine.get(line) ?? []), project]);
    const expected = drifted ? driftedSummary : "No changes.";
    if (line !== expected) problems.push(`${m.label}: ${project} planned "${line}", expected "${expected}"`);
  }
  if (!print) return problems;
  for (const [line, projects] of byLine)
    console.log(`    ${line}  ${projects.length}: ${projects.join(" ")}`);
  return problems;
}

/** Prints (if `print`) the calls per directory against the target; returns the problems found. */
function reportCalls(m: Measure, fleet: readonly FleetDirectory[], print: boolean): string[] {
  const problems: string[] = [];
  const lists: number[] = [];
  for (const { project } of fleet) {
    const mine = m.clients.filter(({ projects }) => projects.has(project));
    const stats = mine.map(({ client }) => client.stats().calls);
    const listCalls = sum(stats.map((calls) => calls.ListEndpoints));
    const otherCalls = sum(stats.map((calls) => sum(Object.values(calls)))) - listCalls;
    lists.push(listCalls);
    if (mine.length !== 1)
      problems.push(`${m.label}: ${project} used ${mine.length} Ark clients, expected 1`);
    if (listCalls > expectedLists || otherCalls > 0) {
      problems.push(
        `${m.label}: ${project} made ${listCalls} ListEndpoints and ${otherCalls} other calls; target ${expectedLists} and 0`,
      );
    }
  }
  const loggedTotal = sum(m.logged.values());
  const clientTotal = callsOf(m.clients);
  const expectedTotal = expectedLists * fleet.length;
  if (loggedTotal > expectedTotal || clientTotal > expectedTotal) {
    problems.push(`${m.label}: ${Math.max(loggedTotal, clientTotal)} calls in all, target ${expectedTotal}`);
  }
  if (!print) return problems;
  console.log(
    `    ListEndpoints per directory: ${Math.min(...lists)}–${Math.max(...lists)}, expected ${expectedLists}` +
      ` (⌈${endpointsPerDirectory}/100⌉ for its project + 1 for default); other calls: ${clientTotal - sum(lists)}`,
  );
  console.log(
    `    calls in all: ${clientTotal} counted by the clients, ${loggedTotal} logged by the emulator` +
      ` (${[...m.logged].map(([action, n]) => `${action} ${n}`).join(", ")}); expected ${expectedTotal}`,
  );
  return problems;
}

async function seed(dataFile: string, fleet: readonly FleetDirectory[]): Promise<void> {
  const emulator = await startEmulator({ ...credentials, provisioningDelayMs: 0, dataFile });
  try {
    await seedFleet(emulator, fleet);
  } finally {
    await emulator.close();
  }
}

async function main(): Promise<number> {
  const work = await mkdtemp(join(tmpdir(), "ark-sync-plan-all-bench-"));
  const root = join(work, "fleet");
  const dataFile = join(work, "emulator.json");
  let emulator: CliProcess | undefined;
  try {
    const setupStarted = performance.now();
    const fleet = await writeFleet(root, { directories, endpointsPerDirectory, driftEvery: 5 });
    await seed(dataFile, fleet);
    emulator = spawnCli(
      [
        "emulator",
        ...["--port", "0", "--data", dataFile, "--latency", String(latencyMs)],
        ...["--provisioning-delay", "0", "--access-key", credentials.accessKey],
        ...["--secret-key", credentials.secretKey],
      ],
      { env: cleanEnv(), timeoutMs: 60 * 60_000 },
    );
    await emulator.waitFor(/^listening on (\S+)$/m, 1, "stdout");
    const apiUrl = /^listening on (\S+)$/m.exec(emulator.stdout())?.[1] ?? "";
    const setupSeconds = (performance.now() - setupStarted) / 1000;

    // Warm-up, not reported: loads the SDK and the manifest schemas, so both ways start equal. It goes
    // through measure() only so that its calls are in the emulator's log before the next run counts.
    const [first] = fleet;
    await measure("warm-up", emulator, async (clients) => {
      if (first) await plan.run({ dir: first.dir, ...planOptions(apiUrl) }, recordingContext(clients));
      return new Map();
    });

    const planEverything = async (clients: ClientRecord[]) => {
      const ctx = recordingContext(clients);
      const code = await planAll.run({ root, ...planOptions(apiUrl) }, ctx);
      if (code !== 0) throw new Error(`plan --all exited ${code}:\n${ctx.io.stderr.slice(-3000)}`);
      return summariesOfAll(ctx.io.stdout);
    };
    const planEach = async (clients: ClientRecord[]) => {
      const summaries = new Map<string, string>();
      for (const { dir } of fleet) {
        const ctx = recordingContext(clients);
        const code = await plan.run({ dir, ...planOptions(apiUrl) }, ctx);
        if (code !== 0) throw new Error(`plan ${dir} exited ${code}:\n${ctx.io.stderr.slice(-3000)}`);
        summaries.set(dir, summaryLine(ctx.io.stdout));
      }
      return summaries;
    };
    const all: Measure[] = [];
    const sequential: Measure[] = [];
    for (let round = 0; round < rounds; round++) {
      all.push(await measure("plan --all", emulator, planEverything));
      sequential.push(await measure("one after another", emulator, planEach));
    }

    console.log(
      `plan of ${directories} directories × ${endpointsPerDirectory} endpoints (each its own project and local state),` +
        ` ${latencyMs} ms per Ark call, --parallelism ${parallelism}; set up in ${setupSeconds.toFixed(1)} s;` +
        ` ${rounds} rounds, alternately`,
    );
    const problems: string[] = [];
    for (const runs of [all, sequential]) {
      const times = runs.map((m) => `${seconds(m.ms)} (CPU ${seconds(m.cpuMs)})`).join(", ");
      const peakRss = Math.max(...runs.map((m) => m.peakRss));
      console.log(
        `  ${runs[0]?.label}: median ${seconds(median(runs, "ms"))}, CPU ${seconds(median(runs, "cpuMs"))};` +
          ` runs ${times}; peak RSS ${mib(peakRss)}`,
      );
      runs.forEach((m, round) => {
        problems.push(...reportPlans(m, fleet, round === 0), ...reportCalls(m, fleet, round === 0));
      });
    }
    console.log(
      `  ratio one-after-another / plan --all (medians): ${(median(sequential, "ms") / median(all, "ms")).toFixed(2)}×` +
        ` (plan --all: 4 directories at a time, --parallelism ${parallelism} shared among them)`,
    );
    console.log(
      `  peak RSS of the whole process: ${mib(process.resourceUsage().maxRSS * 1024)} (seeding included)`,
    );
    for (const problem of problems) console.error(`FAIL ${problem}`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    emulator?.child.kill("SIGTERM");
    await emulator?.exit;
    await rm(work, { recursive: true, force: true });
  }
}

process.exitCode = await main();
