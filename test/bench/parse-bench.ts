// Benchmark (not a test): an offline plan (`ark-sync plan --refresh=false`, reading nothing from Ark)
// of 10,000 endpoints in 100 files, and `plan --all --refresh=false` over 20 directories × 500
// endpoints, each a real process, against the floor: the same files parsed by `yaml` alone, one thread,
// in a process of its own (parse-floor.ts). The two run alternately; prints each pair's ratio, the
// median ratio and each side's peak RSS (the child's high-water mark, from /usr/bin/time), then
// `ark-sync --help` start-up next to `node -e 0`. Targets are in docs/contributing.md.
// Run: npm run bench:parse -- [rounds=5] [endpoints=10000] [directories=20] [endpointsPerDirectory=500]
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cleanEnv, cliPath } from "../cli/run-cli.js";
import { writeFleetTree, writeSingleTree } from "./parse-tree.js";

const rounds = Number(process.argv[2] ?? 5);
const endpoints = Number(process.argv[3] ?? 10_000);
const directories = Number(process.argv[4] ?? 20);
const endpointsPerDirectory = Number(process.argv[5] ?? 500);
const floorPath = fileURLToPath(new URL("parse-floor.js", import.meta.url));

interface Run {
  seconds: number;
  peakMiB: number;
}

/** One run of `node ARGS` under /usr/bin/time: wall time and peak RSS; throws on a failed run. */
function timeNode(args: string[], cwd: string, okCodes: number[]): Run {
  const timeFile = join(cwd, ".time");
  const started = performance.now();
  const result = spawnSync("/usr/bin/time", ["-o", timeFile, "-f", "%M", process.execPath, ...args], {
    cwd,
    env: cleanEnv({ NO_COLOR: "1" }),
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const seconds = (performance.now() - started) / 1000;
  if (!okCodes.includes(result.status ?? -1)) {
    throw new Error(`node ${args.join(" ")} exited ${result.status}:\n${result.stderr.slice(0, 2000)}`);
  }
  const kib = Number(spawnSync("tail", ["-1", timeFile], { encoding: "utf8" }).stdout.trim());
  return { seconds, peakMiB: kib / 1024 };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/** `rounds` pairs, floor then plan, alternately; prints each pair and the medians. */
function compare(title: string, plan: string[], floor: string[], cwd: string): void {
  console.log(title);
  const ratios: number[] = [];
  const plans: Run[] = [];
  const floors: Run[] = [];
  for (let round = 0; round <= rounds; round++) {
    const f = timeNode(floor, cwd, [0]);
    // --detailed-exitcode is not given: 0 is a plan printed, whatever it changes.
    const p = timeNode(plan, cwd, [0]);
    if (round === 0) continue; // warm-up: the file cache, the compile cache
    floors.push(f);
    plans.push(p);
    ratios.push(p.seconds / f.seconds);
    console.log(
      `  round ${round}: plan ${p.seconds.toFixed(2)} s, floor ${f.seconds.toFixed(2)} s, ratio ${(p.seconds / f.seconds).toFixed(2)}x`,
    );
  }
  const mib = (runs: Run[]) => `${Math.max(...runs.map((run) => run.peakMiB)).toFixed(0)} MiB`;
  console.log(
    `  median: plan ${median(plans.map((p) => p.seconds)).toFixed(2)} s, floor ${median(floors.map((f) => f.seconds)).toFixed(2)} s, ratio ${median(ratios).toFixed(2)}x   target <= 1.0x`,
  );
  console.log(`  peak RSS: plan ${mib(plans)}, floor ${mib(floors)}   target <= 256 MiB`);
}

function startup(args: string[], cwd: string): number {
  return median(Array.from({ length: 11 }, () => timeNode(args, cwd, [0]).seconds));
}

const root = await mkdtemp(join(tmpdir(), "ark-sync-bench-parse-"));
try {
  const single = join(root, "single");
  await writeSingleTree(single, endpoints);
  compare(
    `offline plan of ${endpoints} endpoints in ${Math.ceil(endpoints / 100)} files against the yaml floor, ${rounds} rounds`,
    [cliPath, "plan", single, "--refresh=false"],
    [floorPath, single],
    root,
  );
  const fleetRoot = join(root, "fleet");
  await writeFleetTree(fleetRoot, directories, endpointsPerDirectory);
  compare(
    `plan --all --refresh=false over ${directories} directories x ${endpointsPerDirectory} endpoints against the yaml floor, ${rounds} rounds`,
    [cliPath, "plan", "--all", fleetRoot, "--refresh=false"],
    [floorPath, fleetRoot],
    root,
  );
  const bare = startup(["-e", "0"], root);
  const help = startup([cliPath, "--help"], root);
  console.log(
    `start-up, median of 11: node -e 0 ${(bare * 1000).toFixed(0)} ms, ark-sync --help ${(help * 1000).toFixed(0)} ms (${(help / bare).toFixed(2)}x; target <= 3x)`,
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
