// apply as a separate process that must refuse: a second apply while the first holds the lock, and
// no terminal without --auto-approve.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { closeCloud, startCli } from "./helpers.js";
import { apply, names, type ProcessContext, setUp } from "./process-helpers.js";

const processes = suite<ProcessContext>("apply refusals");

processes.after.each(closeCloud);

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
