// The crash matrix: apply as a real process against the emulator, disturbed in every way a CI job can
// disturb it, then applied again with nothing done by hand. For each case it counts what must stay
// zero: duplicate endpoints and endpoints on Ark that the final state does not record; it counts the
// reruns refused for a lock, which need a hand-made `state unlock` (expected only with git state,
// whose locks are never taken over). Prints a table; exits 1 when a case leaves a duplicate, an
// unrecorded endpoint, a plan with changes, or a local-state lock to unlock by hand.
// Run with `npm run bench:crash`.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Emulator } from "../../src/emulator/start-emulator.js";
import {
  countByOwner,
  endpointYaml,
  makeWorkspace,
  startCli,
  startCloud,
  type Workspace,
} from "../apply/helpers.js";
import type { CliProcess } from "../cli/run-cli.js";
import { git } from "../state/helpers.js";

const endpoints = 20;

interface Case {
  name: string;
  /** Extra CLI arguments, e.g. the git state backend. */
  state?: "git";
  /** Starts the disturbed run(s); resolves once they have ended. */
  disturb(start: () => CliProcess, cloud: Emulator, creates: () => number): Promise<void>;
}

interface Counts {
  duplicates: number;
  unrecorded: number;
  handUnlocks: number;
  converged: boolean;
}

const killAfterCreates =
  (count: number, signal: NodeJS.Signals, times = 1): Case["disturb"] =>
  async (start, _cloud, creates) => {
    const run = start();
    while (creates() < count && run.child.exitCode === null) await delay(5);
    for (let i = 0; i < times; i++) {
      run.child.kill(signal);
      await delay(50);
    }
    await run.exit;
  };

const cases: Case[] = [
  ...[1, 4, 8, 13, 19].map((count) => ({
    name: `kill -9 after ${count} creates`,
    disturb: killAfterCreates(count, "SIGKILL"),
  })),
  ...[2, 10].map((count) => ({
    name: `SIGINT after ${count} creates, calls in flight`,
    disturb: killAfterCreates(count, "SIGINT"),
  })),
  ...[2, 10].map((count) => ({
    name: `SIGINT twice after ${count} creates (hard stop)`,
    disturb: killAfterCreates(count, "SIGINT", 2),
  })),
  {
    name: "5 lost create replies",
    disturb: async (start, cloud) => {
      cloud.injectFault({ kind: "lost-reply", action: "CreateEndpoint", count: 5 });
      await start().exit;
    },
  },
  {
    name: "two applies at once, local state",
    disturb: async (start) => {
      await Promise.all([start().exit, start().exit]);
    },
  },
  {
    name: "two applies at once, git state",
    state: "git",
    disturb: async (start) => {
      await Promise.all([start().exit, start().exit]);
    },
  },
  {
    name: "kill -9 after 8 creates, git state",
    state: "git",
    disturb: killAfterCreates(8, "SIGKILL"),
  },
];

async function runCase(testCase: Case): Promise<Counts> {
  let creates = 0;
  const cloud = await startCloud({
    provisioningDelayMs: 300,
    latencyMs: 20,
    onCall: (record) => {
      if (record.action === "CreateEndpoint") creates += 1;
    },
  });
  const ws = await makeWorkspace();
  try {
    const stateArgs = testCase.state === "git" ? gitCheckout(ws) : [];
    for (let i = 0; i < endpoints; i++) await ws.write(`ep-${i}.yaml`, endpointYaml(`ep-${i}`));
    const args = [
      "apply",
      "manifests",
      "--api-url",
      cloud.url,
      "--auto-approve",
      "--parallelism",
      "4",
      ...stateArgs,
    ];
    await testCase.disturb(
      () => startCli(args, ws.root),
      cloud,
      () => creates,
    );
    cloud.clearFaults();

    // Apply again. A refusal for the lock is what needs a hand-made `state unlock` (by design for git
    // state, whose locks are never taken over); do it as the message says, count it, and rerun.
    let handUnlocks = 0;
    for (let refused = true; refused; ) {
      const rerun = startCli(args, ws.root);
      await rerun.exit;
      const lockId = /state is locked[\s\S]*?Lock ID:\s+(\S+)/.exec(rerun.stderr())?.[1];
      refused = lockId !== undefined && handUnlocks < 3;
      if (lockId && refused) {
        handUnlocks += 1;
        await startCli(["state", "unlock", lockId, "--dir", "manifests", ...stateArgs], ws.root).exit;
      }
    }
    const planArgs = ["plan", "manifests", "--api-url", cloud.url, "--detailed-exitcode", ...stateArgs];
    const plan = startCli(planArgs, ws.root);
    const converged = (await plan.exit).code === 0;
    return { ...(await count(cloud, ws, testCase.state)), handUnlocks, converged };
  } finally {
    await cloud.close();
    await ws.dispose();
  }
}

async function count(cloud: Emulator, ws: Workspace, state: Case["state"]) {
  const duplicates = [...countByOwner(cloud).values()].reduce((sum, n) => sum + (n > 1 ? n - 1 : 0), 0);
  const document = state === "git" ? readGitState(ws) : await ws.state();
  const recorded = new Set(Object.values(document?.resources ?? {}).map((resource) => resource.endpoint_id));
  const unrecorded = cloud.listEndpoints().filter((endpoint) => !recorded.has(endpoint.Id)).length;
  return { duplicates, unrecorded };
}

/** Makes the workspace a checkout whose origin is a local bare repository, for git state. */
function gitCheckout(ws: Workspace): string[] {
  mkdirSync(join(ws.root, "origin.git"));
  git(ws.root, ["init", "--quiet", "--bare", "origin.git"]);
  git(ws.root, ["init", "--quiet"]);
  git(ws.root, ["remote", "add", "origin", join(ws.root, "origin.git")]);
  return ["--state", "git:ark-sync-state"];
}

/** The state document on the origin's state branch. */
function readGitState(ws: Workspace) {
  const text = git(join(ws.root, "origin.git"), ["show", "ark-sync-state:state.json"]);
  return JSON.parse(text) as { resources: Record<string, { endpoint_id: string }> };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const rows: string[] = [];
let bad = 0;
console.log(`crash matrix: ${endpoints} creates per case, then a rerun; unlocked by hand only if refused\n`);
for (const testCase of cases) {
  const counts = await runCase(testCase);
  // Git state's locks are never taken over: one hand-made unlock after a kill is its documented way.
  const unlocksAllowed = testCase.state === "git" ? 1 : 0;
  const ok =
    counts.duplicates === 0 &&
    counts.unrecorded === 0 &&
    counts.handUnlocks <= unlocksAllowed &&
    counts.converged;
  if (!ok) bad += 1;
  rows.push(
    `${testCase.name.padEnd(48)} ${String(counts.duplicates).padStart(10)} ${String(counts.unrecorded).padStart(10)} ${String(counts.handUnlocks).padStart(12)}   ${counts.converged ? "yes" : "NO"}`,
  );
  console.log(rows.at(-1));
}
console.log(
  `\n${"case".padEnd(48)} ${"duplicates".padStart(10)} ${"unrecorded".padStart(10)} ${"hand unlocks".padStart(12)}   next plan "No changes."`,
);
for (const row of rows) console.log(row);
console.log(`\n${cases.length - bad} of ${cases.length} cases clean`);
process.exitCode = bad > 0 ? 1 : 0;
