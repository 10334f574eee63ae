// A live plan asks Ark to dry-run its creates and model switches, in this process against the emulator
// over loopback: what Ark would refuse fails the plan at the manifest's file:line:col, what it would
// accept passes and makes nothing, credentials that may only read get one warning per action and a
// plan that succeeds, and --refresh=false or --no-ark-dry-run send nothing.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as plan from "../../src/app/plan.js";
import type { Plan } from "../../src/core/types.js";
import { type Emulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { runLikeCli, testContext } from "./context.js";

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
  const options: plan.PlanOptions = {
    dir,
    ark: { apiUrl: emulator.url, region: "cn-beijing", parallelism: 10 },
    json: false,
    detailedExitcode: false,
    refresh: true,
    targets: [],
    allowEmpty: false,
    arkDryRun: true,
    ...extra,
  };
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

test("--refresh=false and --no-ark-dry-run send nothing to Ark", async (context) => {
  await writeFile(join(context.dir, "typo.yaml"), manifest("typo", "doubao-1-5-pro-23k", "250115"));
  const offline = await runPlan(context, { refresh: false });
  assert.is(offline.code, 0, offline.stderr);
  const unchecked = await runPlan(context, { arkDryRun: false });
  assert.is(unchecked.code, 0, unchecked.stderr);
  assert.is(context.emulator.stats().byAction.CreateEndpoint ?? 0, 0);
});

test.run();
