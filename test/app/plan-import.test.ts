// `import` then `plan` in this process against the emulator over loopback: reordered
// tags change nothing, a live-only tag is unmanaged, an in-place change is an update, a new endpoint
// a create; errors carry Ark's code and request id and never a credential; throttling and 5xx are
// retried; errors that retrying cannot fix are sent once.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as importEndpoint from "../../src/app/import.js";
import * as plan from "../../src/app/plan.js";
import type { Emulator } from "../../src/emulator/start-emulator.js";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { type CliLikeResult, planOptionsFor, recordIo, runLikeCli, testContext } from "./context.js";

const accessKey = "AKLTplanLiveAccessKey01";
const secretKey = "planLive/Secret+Key==01";

interface Context {
  emulator: Emulator;
  dir: string;
  chatId: string;
}

const test = suite<Context>("plan against live Ark");

const chatManifest = (rpm: number) => `apiVersion: ark-sync/v1
kind: Endpoint
name: chat
model_reference:
  foundation_model:
    name: doubao-1-5-pro-32k
    model_version: "250115"
rate_limit:
  rpm: ${rpm}
  tpm: 5000
tags:
  - key: team
    value: search
  - key: env
    value: prod
`;

const newManifest = `apiVersion: ark-sync/v1
kind: Endpoint
name: summarizer
model_reference:
  custom_model_id: cm-20250601120000-abcde
`;

const credentials = { VOLC_ACCESSKEY: accessKey, VOLC_SECRETKEY: secretKey };

interface RunOptions {
  env?: Record<string, string>;
  region?: string;
  debug?: boolean;
}

function contextFor({ env = credentials, debug = false }: RunOptions) {
  const io = recordIo();
  if (debug) io.debug = (line) => io.err(`debug: ${line}\n`);
  return testContext({ io, env });
}

function runImport(
  suiteContext: Context,
  endpointId: string,
  options: RunOptions = {},
): Promise<CliLikeResult> {
  const ark = { apiUrl: suiteContext.emulator.url, region: options.region ?? "cn-beijing" };
  const importOptions = { address: "default/chat", endpointId, dir: suiteContext.dir, ark };
  return runLikeCli(importEndpoint.run, importOptions, contextFor(options));
}

function runPlan(
  suiteContext: Context,
  extra: Partial<plan.PlanOptions> = {},
  options: RunOptions = {},
): Promise<CliLikeResult> {
  const planOptions: plan.PlanOptions = planOptionsFor(
    suiteContext.dir,
    { apiUrl: suiteContext.emulator.url, region: options.region ?? "cn-beijing", parallelism: 10 },
    { ...extra },
  );
  return runLikeCli(plan.run, planOptions, contextFor(options));
}

test.before.each(async (context) => {
  context.emulator = await startEmulator({ accessKey, secretKey, provisioningDelayMs: 0 });
  const seeded = await context.emulator.seedEndpoint({
    Name: "chat",
    Status: "Running",
    ModelReference: { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" } },
    RateLimit: { Rpm: 10, Tpm: 5000 },
    Tags: [
      { Key: "env", Value: "prod" },
      { Key: "team", Value: "search" },
      { Key: "owner", Value: "ops" },
    ],
  });
  context.chatId = seeded.Id;
  context.dir = await mkdtemp(join(tmpdir(), "ark-sync-plan-live-"));
  await writeFile(join(context.dir, "chat.yaml"), chatManifest(20));
  await writeFile(join(context.dir, "summarizer.yaml"), newManifest);
});

test.after.each(async (context) => {
  await context.emulator.close();
  await rm(context.dir, { recursive: true, force: true });
});

test("import records the endpoint with no last-applied and shows what the first plan enforces", async (context) => {
  const result = await runImport(context, context.chatId);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stderr, `Imported ${context.chatId} as default/chat`);
  assert.match(result.stdout, "~ rpm = 10 -> 20");
  const state = JSON.parse(await readFile(join(context.dir, ".ark-sync", "state.json"), "utf8"));
  assert.equal(state.resources["default/chat"], {
    endpoint_id: context.chatId,
    last_applied: null,
    applied_at: null,
  });
});

/** The "Note: Unmanaged values" lines of a text plan. */
const unmanagedLines = (text: string) => text.split("\n").filter((line) => /^ {2}default\/\S+: /.test(line));

test("the import preview lists the unmanaged values the next plan lists: no unread moderation", async (context) => {
  const preview = await runImport(context, context.chatId);
  assert.is(preview.code, 0, preview.stderr);
  const next = await runPlan(context);
  assert.is(next.code, 0, next.stderr);
  assert.equal(unmanagedLines(preview.stdout), ['  default/chat: tags["owner"] = "ops"']);
  assert.equal(unmanagedLines(preview.stdout), unmanagedLines(next.stdout));
  assert.not.match(
    preview.stdout,
    "moderation",
    "Ark's Default moderation is not shown: the plan never reads it",
  );
});

test("with moderation in the manifest, the preview and the plan both change it from Ark's Default", async (context) => {
  await writeFile(join(context.dir, "chat.yaml"), `${chatManifest(20)}moderation:\n  strategy: Basic\n`);
  const preview = await runImport(context, context.chatId);
  assert.is(preview.code, 0, preview.stderr);
  const next = await runPlan(context);
  assert.is(next.code, 0, next.stderr);
  for (const output of [preview.stdout, next.stdout])
    assert.match(output, '~ strategy = "Default" -> "Basic"');
});

test("after import: reordered tags no change, live-only tag unmanaged, rpm updated, new endpoint created", async (context) => {
  assert.is((await runImport(context, context.chatId)).code, 0);

  const json = await runPlan(context, { json: true });
  assert.is(json.code, 0, json.stderr);
  const plan = JSON.parse(json.stdout);
  const chat = plan.resource_changes.find((rc: { address: string }) => rc.address === "default/chat");
  assert.equal(chat.change.actions, ["update"]);
  assert.equal(chat.change.patch, [{ op: "replace", path: "/rate_limit/rpm", value: 20 }]);
  assert.equal(chat.change.replace_paths, [], "reordered tags force nothing");
  const summarizer = plan.resource_changes.find(
    (rc: { address: string }) => rc.address === "default/summarizer",
  );
  assert.equal(summarizer.change.actions, ["create"]);
  assert.equal(plan.unmanaged, [{ address: "default/chat", path: ["tags", "owner"], value: "ops" }]);
  assert.equal(plan.summary, { add: 1, change: 1, destroy: 0 });
  assert.not.match(json.stdout, "sys:created-by", "system tags are hidden");

  const text = await runPlan(context, { detailedExitcode: true });
  assert.is(text.code, 2, "changes present with --detailed-exitcode");
  assert.match(text.stdout, "Plan: 1 to add, 1 to change, 0 to destroy.");
  assert.match(text.stderr, "(1 list, 0 get calls)");
});

test("a wrong secret key: exit 1 with Ark's code and request id, and no credential even with --debug", async (context) => {
  const wrongSecret = "wrong/Secret+Key==99";
  const result = await runPlan(
    context,
    {},
    { env: { ...credentials, VOLC_SECRETKEY: wrongSecret }, debug: true },
  );
  assert.is(result.code, 1);
  assert.match(result.stderr, "SignatureDoesNotMatch");
  assert.match(result.stderr, /request id \w+|RequestId[ :=]+\w+/i);
  for (const secret of [wrongSecret, accessKey, secretKey]) {
    assert.not.match(result.stdout + result.stderr, secret);
  }
  assert.is(context.emulator.stats().byAction.ListEndpoints, 1, "auth errors are not retried");
});

test("throttling and 5xx answers are retried and the plan succeeds", async (context) => {
  context.emulator.injectFault({ action: "ListEndpoints", kind: "throttle", count: 2 });
  context.emulator.injectFault({ action: "ListEndpoints", kind: "internal-error", count: 1 });
  const result = await runPlan(context);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, "Plan: 2 to add");
  assert.is(context.emulator.stats().byAction.ListEndpoints, 4);
});

test("a 4xx that retrying cannot fix is sent once", async (context) => {
  const result = await runPlan(context, {}, { region: "cn-shanghai" });
  assert.is(result.code, 1);
  assert.match(result.stderr, "InvalidCredential");
  assert.is(context.emulator.stats().byAction.ListEndpoints, 1);

  const missing = await runImport(context, "ep-20250101000000-nosuch");
  assert.is(missing.code, 1);
  assert.match(missing.stderr, "has no endpoint ep-20250101000000-nosuch");
  assert.is(context.emulator.stats().byAction.GetEndpoint, 1);
});

test("--refresh=false needs no credentials and no network", async (context) => {
  const result = await runPlan(
    context,
    { refresh: false, ark: { apiUrl: "http://127.0.0.1:9", region: "cn-beijing", parallelism: 10 } },
    { env: {} },
  );
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, "Live state was not read");
  assert.match(result.stdout, "Plan: 2 to add, 0 to change, 0 to destroy.");
  assert.is(context.emulator.stats().requests, 0);
});

test.run();
