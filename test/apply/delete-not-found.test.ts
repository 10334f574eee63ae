// A destroy Ark answers not-found while the endpoint is still there (Ark's NotFound may also mean "you
// may not see it", docs/ark-api.md, Confirming an absence) fails that resource, says so, and keeps the
// endpoint in state; it is never counted destroyed or forgotten. With the honest emulator the same
// destroy deletes.
import * as assert from "uvu/assert";
import { applyHere, cloudSuite, endpointYaml, nextPlan, startCloud } from "./helpers.js";

const destroys = cloudSuite("a delete answered not-found");

destroys(
  "fails the destroy and keeps the endpoint in state when GetEndpoint still finds it",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat"));
    await ws.write("old.yaml", endpointYaml("old"));
    const created = await applyHere(cloud, ws.manifests);
    assert.is(created.code, 0, created.io.stderr);
    const oldId = (await ws.state())?.resources["default/old"]?.endpoint_id ?? "";
    await cloud.close();

    // The same endpoints, on a cloud whose DeleteEndpoint answers NotFound and deletes nothing.
    const denying = await startCloud({ deleteAnswersNotFound: true });
    for (const endpoint of cloud.listEndpoints()) await denying.seedEndpoint(endpoint);
    try {
      await ws.remove("old.yaml");
      const run = await applyHere(denying, ws.manifests);
      assert.is(run.code, 1);
      const stderr = run.io.stderr.replace(/\s+/g, " ");
      assert.match(
        stderr,
        `default/old: destroy failed: Ark answered DeleteEndpoint for ${oldId} with not-found, but the endpoint is there (GetEndpoint finds it, Running), so Ark did not act on it.`,
      );
      assert.match(stderr, "Hint: Ark may answer not-found to credentials that may not act on an endpoint");
      assert.not.match(run.io.stdout, "Apply complete!");
      assert.ok(denying.getEndpoint(oldId), "still on Ark");
      assert.is((await ws.state())?.resources["default/old"]?.endpoint_id, oldId, "still recorded");
      const { plan } = await nextPlan(denying, ws.manifests);
      assert.equal(plan.summary, { add: 0, change: 0, destroy: 1 }, "the next plan destroys it again");
    } finally {
      await denying.close();
    }
  },
);

destroys("the honest answer: the destroy deletes the endpoint and forgets it", async ({ cloud, ws }) => {
  await ws.write("old.yaml", endpointYaml("old"));
  const created = await applyHere(cloud, ws.manifests);
  assert.is(created.code, 0, created.io.stderr);
  const oldId = (await ws.state())?.resources["default/old"]?.endpoint_id ?? "";
  await ws.remove("old.yaml");
  const run = await applyHere(cloud, ws.manifests, { allowEmpty: true });
  assert.is(run.code, 0, run.io.stderr);
  assert.match(run.io.stdout, "Apply complete! Resources: 0 added, 0 changed, 1 destroyed.");
  assert.is(cloud.getEndpoint(oldId), undefined);
  assert.equal((await ws.state())?.resources, {});
});

destroys.run();
