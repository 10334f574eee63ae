// apply asks Ark to DryRun every create and model switch before its first write, in this process
// against the emulator: a refusal, or credentials that may only read, leave zero writes on the
// emulator and no state, and so does an emulator that carries the DryRun out (--ignore-dry-run),
// once what it made is deleted; --no-ark-dry-run goes straight to the writes.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  applyHere,
  type CloudContext,
  closeCloud,
  endpointYaml,
  makeWorkspace,
  startCloud,
} from "./helpers.js";

/** An IAM user that may only read (the plan identity of docs/credentials.md). */
const reader = { name: "plan", accessKey: "AKLTapplyReader0001", secretKey: "apply/Reader+Key==0001" };
const readerEnv = { VOLC_ACCESSKEY: reader.accessKey, VOLC_SECRETKEY: reader.secretKey };

const dryRun = suite<CloudContext>("apply: Ark's DryRun before the first write");
dryRun.before.each(async (context) => {
  context.cloud = await startCloud({ iam: { users: [{ ...reader, actions: ["ark:List*", "ark:Get*"] }] } });
  context.ws = await makeWorkspace();
});
dryRun.after.each(closeCloud);

/** The calls that change something on the emulator, DryRun calls aside. */
function writes(byAction: Record<string, number>, dryRuns: number): number {
  const changing = [
    "UpdateEndpoint",
    "DeleteEndpoint",
    "StopEndpoint",
    "StartEndpoint",
    "CreateEndpointRolling",
  ];
  return (
    changing.reduce((sum, action) => sum + (byAction[action] ?? 0), 0) +
    (byAction.CreateEndpoint ?? 0) -
    dryRuns
  );
}

dryRun(
  "Ark refusing one create stops the whole apply: nothing is created, updated or recorded",
  async ({ cloud, ws }) => {
    await ws.write("good.yaml", endpointYaml("good"));
    await ws.write("chat.yaml", endpointYaml("chat", { description: "v1" }));
    assert.is((await applyHere(cloud, ws.manifests)).code, 0);
    const before = await ws.state();

    await ws.write("chat.yaml", endpointYaml("chat", { description: "v2" }));
    await ws.write("new.yaml", endpointYaml("new"));
    await ws.write(
      "typo.yaml",
      endpointYaml("typo", { model: { name: "doubao-1-5-pro-23k", version: "250115" } }),
    );
    cloud.resetStats();
    const run = await applyHere(cloud, ws.manifests);
    assert.is(run.code, null);
    assert.is((run.error as { code?: string }).code, "apply_dry_run_refused");
    assert.match(
      run.io.stderr,
      "Checked 2 planned creates and 0 model switches with Ark (DryRun): 1 refused.",
    );
    assert.match(
      run.io.stderr,
      /typo\.yaml:1:1: Ark would refuse to create default\/typo: .*InvalidParameter\.ModelReference/,
    );
    assert.equal(writes(cloud.stats().byAction, 2), 0);
    assert.equal(
      cloud
        .listEndpoints()
        .map((endpoint) => endpoint.Name)
        .sort(),
      ["chat", "good"],
    );
    assert.is(cloud.listEndpoints().find((endpoint) => endpoint.Name === "chat")?.Description, "v1");
    assert.equal(await ws.state(), before);
  },
);

dryRun(
  "credentials that may only read are stopped by the DryRun, before any write",
  async ({ cloud, ws }) => {
    await cloud.seedEndpoint({
      Name: "chat",
      ModelReference: { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" } },
      Tags: [{ Key: "ark-sync:address", Value: "default/chat" }],
    });
    await ws.write("chat.yaml", endpointYaml("chat", { description: "changed" }));
    await ws.write("new.yaml", endpointYaml("new"));
    const run = await applyHere(cloud, ws.manifests, {}, { env: readerEnv });
    assert.is((run.error as { code?: string }).code, "apply_dry_run_refused");
    assert.match(
      run.io.stderr,
      "Checked 1 planned create and 0 model switches with Ark (DryRun): none refused; 1 unchecked: these credentials may not call CreateEndpoint.",
    );
    assert.match(
      run.io.stderr,
      "These credentials may not call CreateEndpoint (for default/new): Ark CreateEndpoint failed (auth): AccessDenied: plan is not allowed to perform ark:CreateEndpoint.",
    );
    assert.match(String(run.error), "so nothing was applied");
    assert.equal(writes(cloud.stats().byAction, 1), 0);
    assert.is(cloud.listEndpoints().length, 1);
    assert.is(cloud.listEndpoints()[0]?.Description, "");
    assert.is(await ws.state(), null);
  },
);

dryRun(
  "an Ark that carries out a DryRun: apply deletes what it made and stops before its first write",
  async (context) => {
    await context.cloud.close();
    context.cloud = await startCloud({ ignoreDryRun: true });
    const { cloud, ws } = context;
    await ws.write("a.yaml", endpointYaml("a"));
    await ws.write("b.yaml", endpointYaml("b"));
    const run = await applyHere(cloud, ws.manifests);
    assert.is((run.error as { code?: string }).code, "apply_dry_run_refused");
    assert.match(String(run.error), "Ark carried out a check of the plan");
    assert.match(run.io.stderr, /Ark ignored DryRun and created ep-\S+, deleted, so 1 check was not sent\./);
    assert.match(run.io.stderr, "default/b went unchecked");
    assert.is(cloud.stats().byAction.CreateEndpoint, 1, "the one DryRun Ark carried out, and no create");
    assert.equal(cloud.listEndpoints(), []);
    assert.is(await ws.state(), null);

    const plain = await applyHere(cloud, ws.manifests, { arkDryRun: false });
    assert.is(plain.code, 0, plain.io.stderr);
    assert.equal(
      cloud
        .listEndpoints()
        .map((endpoint) => endpoint.Name)
        .sort(),
      ["a", "b"],
    );
  },
);

dryRun(
  "--no-ark-dry-run goes straight to the writes: the good create happens, the typo fails at create",
  async ({ cloud, ws }) => {
    await ws.write("good.yaml", endpointYaml("good"));
    await ws.write(
      "typo.yaml",
      endpointYaml("typo", { model: { name: "doubao-1-5-pro-23k", version: "250115" } }),
    );
    const run = await applyHere(cloud, ws.manifests, { arkDryRun: false });
    assert.is(run.code, 1);
    assert.not.match(run.io.stderr, "(DryRun)");
    assert.equal(
      cloud.listEndpoints().map((endpoint) => endpoint.Name),
      ["good"],
    );
    assert.is(cloud.stats().byAction.CreateEndpoint, 2);
  },
);

dryRun.run();
