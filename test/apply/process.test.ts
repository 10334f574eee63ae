// apply as a separate process, where the process is what gets killed or interrupted: SIGKILL part-way
// through 30 creates, SIGINT once (graceful) and twice (at once), a call that outlasts the grace
// period, two applies at once, and no terminal without --auto-approve. The emulator runs here, so it
// outlives the process under test. Timeouts are hang guards only.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Emulator } from "../../src/emulator/start-emulator.js";
import {
  type CloudContext,
  closeCloud,
  countByOwner,
  endpointYaml,
  makeWorkspace,
  nextPlan,
  startCli,
  startCloud,
  type Workspace,
} from "./helpers.js";

interface Context extends CloudContext {
  /** Requests the emulator has finished (answered or dropped). */
  finished: number;
}

const processes = suite<Context>("apply as a process");

processes.after.each(closeCloud);

async function setUp(context: Context, options: Parameters<typeof startCloud>[0], names: string[]) {
  context.finished = 0;
  context.cloud = await startCloud({
    ...options,
    onCall: () => {
      context.finished += 1;
    },
  });
  context.ws = await makeWorkspace();
  for (const name of names)
    await context.ws.write(`${name}.yaml`, endpointYaml(name, { tags: { env: "test" } }));
}

const names = (count: number) => Array.from({ length: count }, (_, i) => `ep-${String(i).padStart(2, "0")}`);
// Apply's DryRun checks before the first write are not the subject here (apply/dry-run.test.ts is):
// at the slow paces these tests set, a round of them would add seconds to every run.
const apply = (cloud: Emulator, ...extra: string[]) => [
  "apply",
  "manifests",
  "--api-url",
  cloud.url,
  "--no-ark-dry-run",
  ...extra,
];

/** Resolves once the emulator has finished every request it received (a killed client's included). */
async function untilIdle(context: Context): Promise<void> {
  while (context.cloud.stats().requests > context.finished)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Every endpoint is ours exactly once, and state plus adoption by the next plan account for all of them. */
async function assertConsistent(cloud: Emulator, ws: Workspace): Promise<void> {
  for (const [owner, count] of countByOwner(cloud)) assert.is(count, 1, `${owner} has ${count} endpoints`);
  const state = await ws.state();
  const recorded = new Set(Object.values(state?.resources ?? {}).map((resource) => resource.endpoint_id));
  for (const id of recorded) assert.ok(cloud.getEndpoint(id), `state names ${id}, which does not exist`);
  const { plan } = await nextPlan(cloud, ws.manifests);
  const adopted = new Set(
    plan.resource_changes
      .filter((change) => change.action_reason === "adopted_by_ownership_tag")
      .map((change) => change.endpoint_id),
  );
  for (const endpoint of cloud.listEndpoints()) {
    assert.ok(
      recorded.has(endpoint.Id) || adopted.has(endpoint.Id),
      `${endpoint.Id} is neither in state nor adopted`,
    );
  }
}

processes(
  "SIGKILL after 10 of 30 creates: the rerun finishes with exactly 30 endpoints and no duplicates",
  async (context) => {
    // One call at a time, 300 ms each, so a create that Ark has received is still unanswered for a
    // while: killing the client then leaves an endpoint Ark made and no state records.
    await setUp(context, { provisioningDelayMs: 100, latencyMs: 300 }, names(30));
    const { cloud, ws } = context;
    const first = startCli(apply(cloud, "--auto-approve", "--parallelism", "1"), ws.root);
    await first.waitFor(/Creation complete after/, 10);
    const createsSent = () => cloud.stats().byAction.CreateEndpoint ?? 0;
    const before = createsSent();
    while (createsSent() === before) await new Promise((resolve) => setTimeout(resolve, 5));
    first.child.kill("SIGKILL");
    assert.is((await first.exit).signal, "SIGKILL");
    await untilIdle(context);
    const created = cloud.listEndpoints().length;
    const recorded = Object.keys((await ws.state())?.resources ?? {}).length;
    assert.ok(recorded >= 9, `completed creates are in state (${recorded})`);
    assert.ok(created < 30, `the kill came part-way (${created} created)`);
    // Unrecorded: the create in flight, and at most the previous one if its state write was too.
    assert.ok(created > recorded && created <= recorded + 2, `${created} created, ${recorded} recorded`);
    await assertConsistent(cloud, ws);

    // No hand-made unlock: the killed run's process is gone, so the next run takes its lock over.
    const second = startCli(apply(cloud, "--auto-approve"), ws.root);
    const { code } = await second.exit;
    assert.is(code, 0, second.stderr());
    assert.match(
      second.stderr(),
      /Warning: took over the lock on local state \S+ left by .* that process no longer runs/,
    );
    assert.match(second.stdout(), `Apply complete! Resources: ${30 - created} added`);
    assert.match(second.stderr(), "Adopting...");
    assert.is(cloud.listEndpoints().length, 30);
    assert.is(countByOwner(cloud).size, 30);
    for (const count of countByOwner(cloud).values()) assert.is(count, 1);
    const state = await ws.state();
    assert.is(Object.keys(state?.resources ?? {}).length, 30);
    for (const resource of Object.values(state?.resources ?? {}))
      assert.ok(cloud.getEndpoint(resource.endpoint_id));
    assert.match((await nextPlan(cloud, ws.manifests)).text, /^No changes\./m);
    process.stdout.write(`  (SIGKILL: ${created} created, ${recorded} recorded when killed)\n`);
  },
);

processes("SIGINT mid-apply: graceful stop, consistent state, and a rerun completes", async (context) => {
  await setUp(context, { provisioningDelayMs: 2500, latencyMs: 100 }, names(12));
  const { cloud, ws } = context;
  const run = startCli(apply(cloud, "--auto-approve", "--parallelism", "3"), ws.root);
  await run.waitFor(/Creating\.\.\./, 4);
  const signalled = performance.now();
  run.child.kill("SIGINT");
  const { code } = await run.exit;
  const seconds = (performance.now() - signalled) / 1000;
  assert.is(code, 1, run.stderr());
  assert.ok(seconds < 10, `exited ${seconds.toFixed(1)} s after SIGINT: GitHub Actions would have killed it`);
  assert.match(run.stderr(), "Interrupt received. Gracefully shutting down...");
  assert.match(run.stderr(), "Error: apply was interrupted");
  assert.match(run.stderr(), "Not started:");
  assert.match(run.stderr(), "State: everything above is recorded");
  await assertConsistent(cloud, ws);
  const created = cloud.listEndpoints().length;
  assert.ok(created > 0 && created < 12, `stopped part-way (${created} created)`);

  const rerun = startCli(apply(cloud, "--auto-approve"), ws.root);
  assert.is((await rerun.exit).code, 0, rerun.stderr());
  assert.is(cloud.listEndpoints().length, 12);
  for (const count of countByOwner(cloud).values()) assert.is(count, 1);
  assert.match((await nextPlan(cloud, ws.manifests)).text, /^No changes\./m);
  process.stdout.write(`  (SIGINT: exited ${seconds.toFixed(1)} s after the signal)\n`);
});

processes("a second SIGINT exits at once, still writing state", async (context) => {
  await setUp(context, { provisioningDelayMs: 100, latencyMs: 4000 }, names(3));
  const { cloud, ws } = context;
  const run = startCli(apply(cloud, "--auto-approve"), ws.root);
  await run.waitFor(/Creating\.\.\./, 1);
  run.child.kill("SIGINT");
  await run.waitFor(/Interrupt received/);
  const signalled = performance.now();
  run.child.kill("SIGINT");
  const { code } = await run.exit;
  assert.is(code, 1);
  assert.ok(performance.now() - signalled < 4000, "did not wait for the calls in flight");
  assert.match(run.stderr(), "Second interrupt received: writing the state and exiting now.");
  assert.match(run.stderr(), "Still in flight, outcome unknown:");

  // The creates sent before the interrupts still happen on Ark: the next apply adopts them.
  await untilIdle(context);
  const rerun = startCli(apply(cloud, "--auto-approve"), ws.root);
  assert.is((await rerun.exit).code, 0, rerun.stderr());
  assert.is(cloud.listEndpoints().length, 3);
  for (const count of countByOwner(cloud).values()) assert.is(count, 1);
});

processes("calls that outlast the grace period: exits about 5 s after the first SIGINT", async (context) => {
  await setUp(context, { provisioningDelayMs: 100, latencyMs: 9000 }, names(2));
  const { cloud, ws } = context;
  const run = startCli(apply(cloud, "--auto-approve"), ws.root);
  await run.waitFor(/Creating\.\.\./, 1);
  const signalled = performance.now();
  run.child.kill("SIGINT");
  const { code } = await run.exit;
  const seconds = (performance.now() - signalled) / 1000;
  assert.is(code, 1);
  assert.ok(seconds < 10, `exited ${seconds.toFixed(1)} s after SIGINT`);
  assert.match(run.stderr(), "Calls in flight did not finish within 5s: writing the state and exiting now.");
  process.stdout.write(`  (grace period: exited ${seconds.toFixed(1)} s after the signal)\n`);
});

processes("two applies at once: the second is refused and told who holds the lock", async (context) => {
  // Long enough for the second process to start and be refused on a loaded machine.
  await setUp(context, { provisioningDelayMs: 8000 }, names(2));
  const { cloud, ws } = context;
  const first = startCli(apply(cloud, "--auto-approve"), ws.root);
  await first.waitFor(/Creating\.\.\./, 1);
  const second = startCli(apply(cloud, "--auto-approve"), ws.root);
  const refused = await second.exit;
  assert.is(refused.code, 1);
  assert.match(second.stderr(), "state is locked");
  assert.match(second.stderr(), /Operation: +apply/);
  assert.match(second.stderr(), new RegExp(`Process: +${first.child.pid} on `));
  assert.match(second.stderr(), /Who: +\S+@\S+/);
  assert.is((await first.exit).code, 0, first.stderr());
  assert.is(cloud.listEndpoints().length, 2);
});

processes("without a terminal and without --auto-approve nothing is done", async (context) => {
  await setUp(context, {}, names(1));
  const { cloud, ws } = context;
  const run = startCli(apply(cloud), ws.root);
  assert.is((await run.exit).code, 1);
  assert.match(run.stderr(), "apply needs --auto-approve when it is not run in a terminal");
  assert.is(run.stdout(), "");
  assert.is(cloud.stats().requests, 0);
  assert.is(await ws.state(), null);
});

processes.run();
