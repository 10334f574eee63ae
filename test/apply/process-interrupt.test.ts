// apply as a separate process interrupted once with SIGINT: it stops gracefully and a rerun completes.
// Timeouts are hang guards only.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { closeCloud, countByOwner, nextPlan, startCli } from "./helpers.js";
import { apply, assertConsistent, names, type ProcessContext, setUp } from "./process-helpers.js";

const processes = suite<ProcessContext>("apply interrupted");

processes.after.each(closeCloud);

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

processes.run();
