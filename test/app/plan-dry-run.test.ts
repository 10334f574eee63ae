// A live plan asks Ark to dry-run its creates and model switches, in this process against the emulator
// over loopback: what Ark would refuse fails the plan at the manifest's file:line:col, what it would
// accept passes and makes nothing, credentials that may only read get one warning per action and a
// plan that succeeds, and --refresh=false or --no-ark-dry-run send nothing. On an emulator that
// carries DryRun out (--ignore-dry-run), what it made is deleted and the plan fails naming it.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as plan from "../../src/app/plan.js";
import type { Plan } from "../../src/core/types.js";
import { type Emulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { planOptionsFor, runLikeCli, testContext } from "./context.js";

const credentials = { accessKey: "AKLTdryRunAccessKey001", secretKey: "dryRun/Secret+Key==001" };
const env = { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey };
/** An IAM user that may only read, as the plan identity of docs/credentials.md may be. */
const reader = { name: "plan", accessKey: "AKLTplanReadOnly0001", secretKey: "plan/Read+Only==0001" };
const readerEnv = { VOLC_ACCESSKEY: reader.accessKey, VOLC_SECRETKEY: reader.secretKey };

interface Context {
  emulator: Emulator;
  dir: string;
}

const test = suite<Context>("plan checked by Ark (DryRun)");

test.before.each(async (context) => {
  context.emulator = await startEmulator({
    ...credentials,
    provisioningDelayMs: 10,
    iam: { users: [{ ...reader, actions: ["ark:List*", "ark:Get*"] }] },
  });
  context.dir = await mkdtemp(join(tmpdir(), "ark-sync-dry-run-"));
});

test.after.each(async ({ emulator, dir }) => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const manifest = (name: string, model: string, version: string) => `apiVersion: ark-sync/v1
kind: Endpoint
name: ${name}
model_reference:
  foundation_model:
    name: ${model}
    model_version: "${version}"
`;

function runPlan({ emulator, dir }: Context, extra: Partial<plan.PlanOptions> = {}, planEnv = env) {
  const options: plan.PlanOptions = planOptionsFor(
    dir,
    { apiUrl: emulator.url, region: "cn-beijing", parallelism: 10 },
    { ...extra },
  );
  return runLikeCli(plan.run, options, testContext({ env: planEnv }));
}

test("a misspelt model fails the plan at its manifest; the good one passes; nothing is created", async (context) => {
  await writeFile(join(context.dir, "good.yaml"), manifest("good", "doubao-1-5-pro-32k", "250115"));
  await writeFile(
    join(context.dir, "typo.yaml"),
    `# a comment first\n${manifest("typo", "doubao-1-5-pro-23k", "250115")}`,
  );

  const result = await runPlan(context, { json: true });
  assert.is(result.code, 1);
  const errors = (JSON.parse(result.stdout) as Plan).errors;
  assert.equal(
    errors.map((error) => [error.code, error.address]),
    [["ark_dry_run_refused", "default/typo"]],
  );
  assert.match(
    errors[0]?.message ?? "",
    `${join(context.dir, "typo.yaml")}:2:1: Ark would refuse to create default/typo`,
  );
  assert.match(errors[0]?.message ?? "", "InvalidParameter.ModelReference");
  assert.match(result.stderr, "Checked 2 planned creates and 0 model switches with Ark (DryRun): 1 refused.");
  assert.is(context.emulator.stats().byAction.CreateEndpoint, 2);
  assert.is(context.emulator.listEndpoints().length, 0, "a dry run makes nothing");
});

test("a plan Ark would accept passes with exit 0", async (context) => {
  await writeFile(join(context.dir, "good.yaml"), manifest("good", "doubao-1-5-pro-32k", "250115"));
  const result = await runPlan(context);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stderr, "none refused");
});

test("a model switch to a version Ark does not have fails the plan; the endpoint is untouched", async (context) => {
  // Made by an earlier apply whose record was lost: adopted by its ownership tag, and switched in place.
  const seeded = await context.emulator.seedEndpoint({
    Name: "chat",
    ModelReference: { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" } },
    Tags: [{ Key: "ark-sync:address", Value: "default/chat" }],
  });
  await writeFile(join(context.dir, "chat.yaml"), manifest("chat", "doubao-1-5-pro-32k", "259999"));

  const result = await runPlan(context, { json: true });
  assert.is(result.code, 1);
  const [error] = (JSON.parse(result.stdout) as Plan).errors;
  assert.match(error?.message ?? "", "Ark would refuse to switch the model of default/chat");
  assert.match(result.stderr, "0 planned creates and 1 model switch with Ark (DryRun): 1 refused.");
  // Checked as a DryRun create with the new model: DryRun is documented for CreateEndpoint only.
  assert.is(context.emulator.stats().byAction.CreateEndpoint, 1);
  assert.is(context.emulator.stats().byAction.CreateEndpointRolling, undefined);
  assert.is(context.emulator.getEndpoint(seeded.Id)?.RollingId, "", "a dry run starts no switch");
  assert.is(context.emulator.listEndpoints().length, 1, "and creates nothing");
});

test("a model the account has not activated fails the plan at its manifest, saying to activate it", async (context) => {
  await writeFile(join(context.dir, "chat.yaml"), manifest("chat", "doubao-1-5-pro-32k", "250115"));
  context.emulator.injectFault({
    action: "CreateEndpoint",
    kind: "error",
    code: "ModelNotOpen",
    dryRun: true,
  });

  const result = await runPlan(context, { json: true });
  assert.is(result.code, 1);
  const [error] = (JSON.parse(result.stdout) as Plan).errors;
  assert.match(
    error?.message ?? "",
    `${join(context.dir, "chat.yaml")}:1:1: Ark would refuse to create default/chat`,
  );
  assert.match(error?.message ?? "", "ModelNotOpen");
  assert.match(
    error?.message ?? "",
    "This Volcengine account has not activated the model doubao-1-5-pro-32k 250115: activate it in the Ark console",
  );
  assert.is(context.emulator.listEndpoints().length, 0);
});

test("credentials that may only read: one warning per action left unchecked, and the plan succeeds", async (context) => {
  await context.emulator.seedEndpoint({
    Name: "chat",
    ModelReference: { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" } },
    Tags: [{ Key: "ark-sync:address", Value: "default/chat" }],
  });
  await writeFile(join(context.dir, "chat.yaml"), manifest("chat", "doubao-1-5-pro-32k", "250415"));
  await writeFile(join(context.dir, "a.yaml"), manifest("a", "doubao-1-5-pro-32k", "250115"));
  await writeFile(join(context.dir, "b.yaml"), manifest("b", "doubao-1-5-pro-23k", "250115"));

  const result = await runPlan(context, { json: true, detailedExitcode: true }, readerEnv);
  assert.is(result.code, 2, result.stderr);
  const planned = JSON.parse(result.stdout) as Plan;
  assert.equal(planned.errors, []);
  assert.equal(
    planned.warnings
      .filter((warning) => warning.code === "ark_dry_run_denied")
      .map((warning) => warning.message),
    [
      "The plan's credentials may not call CreateEndpoint (DryRun), so Ark did not check default/a, default/b, default/chat; checks Ark would make are left to apply.",
    ],
  );
  assert.match(
    result.stderr,
    "Checked 2 planned creates and 1 model switch with Ark (DryRun): none refused; 3 unchecked: these credentials may not call CreateEndpoint.",
  );
  const text = await runPlan(context, {}, readerEnv);
  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout, "Warning: Ark could not check the plan");
  assert.equal(context.emulator.listEndpoints().length, 1, "nothing was created");
});

/** The pessimistic answer: an Ark that carries out a DryRun CreateEndpoint. */
async function ignoreDryRun(context: Context, provisioningDelayMs = 10): Promise<void> {
  await context.emulator.close();
  context.emulator = await startEmulator({ ...credentials, provisioningDelayMs, ignoreDryRun: true });
}

test("an Ark that carries out a DryRun: what it made is deleted, the plan fails naming it, no further DryRun", async (context) => {
  await ignoreDryRun(context);
  for (const name of ["a", "b", "c"]) {
    await writeFile(join(context.dir, `${name}.yaml`), manifest(name, "doubao-1-5-pro-32k", "250115"));
  }
  const result = await runPlan(context, { json: true });
  assert.is(result.code, 1);
  assert.is(context.emulator.stats().byAction.CreateEndpoint, 1, "one DryRun sent, no further one");
  assert.equal(context.emulator.listEndpoints(), [], "what Ark made is gone");
  const { errors } = JSON.parse(result.stdout) as Plan;
  assert.equal(
    errors.map((error) => [error.code, error.address]),
    [
      ["ark_dry_run_ignored", "default/a"],
      ["ark_dry_run_ignored", undefined],
    ],
  );
  const made = /created (ep-\d{14}-[a-z0-9]{5});/.exec(errors[0]?.message ?? "")?.[1];
  assert.ok(made, errors[0]?.message);
  assert.match(
    errors[0]?.message ?? "",
    `${join(context.dir, "a.yaml")}:1:1: Asked only to check whether it would create default/a`,
  );
  assert.match(errors[0]?.message ?? "", `ark-sync deleted ${made} at once`);
  assert.match(errors[1]?.message ?? "", "default/b, default/c went unchecked");
  assert.match(result.stderr, `Ark ignored DryRun and created ${made}, deleted, so 2 checks were not sent.`);
});

test("a DryRun Ark carried out whose deletion fails: the plan names the endpoint, and so does the next plan", async (context) => {
  await ignoreDryRun(context);
  await writeFile(join(context.dir, "chat.yaml"), manifest("chat", "doubao-1-5-pro-32k", "250115"));
  context.emulator.injectFault({ action: "DeleteEndpoint", kind: "internal-error", count: 10 });
  const result = await runPlan(context, { json: true });
  assert.is(result.code, 1);
  const [left] = context.emulator.listEndpoints();
  assert.ok(left, "the deletion failed");
  const [error] = (JSON.parse(result.stdout) as Plan).errors;
  assert.match(error?.message ?? "", `created ${left?.Id}; deleting it failed`);
  assert.match(error?.message ?? "", `delete ${left?.Id} in the Ark console`);
  assert.match(result.stderr, `${left?.Id}, NOT deleted`);

  context.emulator.clearFaults();
  const next = await runPlan(context, { json: true, arkDryRun: false });
  assert.is(next.code, 0, next.stderr);
  const planned = JSON.parse(next.stdout) as Plan;
  assert.equal(
    planned.resource_changes.map((rc) => [rc.address, rc.change.actions]),
    [["default/chat", ["create"]]],
    "the leftover is never adopted",
  );
  assert.equal(
    planned.warnings.map((warning) => warning.code),
    ["dry_run_leftover"],
  );
  assert.match(
    planned.warnings[0]?.message ?? "",
    `${left?.Id} (default/chat) carries ark-sync's DryRun marker`,
  );
});

test("--refresh=false and --no-ark-dry-run send nothing to Ark", async (context) => {
  await writeFile(join(context.dir, "typo.yaml"), manifest("typo", "doubao-1-5-pro-23k", "250115"));
  const offline = await runPlan(context, { refresh: false });
  assert.is(offline.code, 0, offline.stderr);
  const unchecked = await runPlan(context, { arkDryRun: false });
  assert.is(unchecked.code, 0, unchecked.stderr);
  assert.is(context.emulator.stats().byAction.CreateEndpoint ?? 0, 0);
});

test.run();
