// apply as a separate process that does not wait for calls in flight: a second SIGINT exits at once,
// and calls that outlast the grace period are given up on. Timeouts are hang guards only.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { closeCloud, countByOwner, startCli } from "./helpers.js";
import { apply, names, type ProcessContext, setUp, untilIdle } from "./process-helpers.js";

const processes = suite<ProcessContext>("apply interrupted, not waiting");

processes.after.each(closeCloud);

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

processes.run();
