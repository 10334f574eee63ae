// apply as a separate process that is killed (SIGKILL) part-way through 30 creates: the rerun takes
// the dead run's lock over and finishes with no duplicates. Timeouts are hang guards only.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { closeCloud, countByOwner, nextPlan, startCli } from "./helpers.js";
import { apply, assertConsistent, names, type ProcessContext, setUp, untilIdle } from "./process-helpers.js";

const processes = suite<ProcessContext>("apply killed");

processes.after.each(closeCloud);

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

processes.run();
