// `ark-sync doctor` in this process against the emulator over loopback, through the real client: every
// check passes on the default emulator; an emulator that answers otherwise (its switches, identities
// of less power, wrong keys) fails the matching row and exits 1; --json has the report's shape; and
// nothing it sends changes Ark: the emulator sees reads and DryRuns only.
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as doctor from "../../src/app/doctor.js";
import type { DoctorReport } from "../../src/core/doctor-report.js";
import {
  type CallRecord,
  type Emulator,
  type EmulatorOptions,
  startEmulator,
} from "../../src/emulator/start-emulator.js";
import { cleanEnv, runCli } from "../cli/run-cli.js";
import { runLikeCli, testContext } from "./context.js";

const credentials = { accessKey: "AKLTdoctorAccessKey01", secretKey: "doctor/Secret+Key==0001" };
const env = { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey };
const reader = { name: "plan", accessKey: "AKLTdoctorReader0001", secretKey: "doctor/Read+Only==0001" };
const getter = { name: "getter", accessKey: "AKLTdoctorGetter0001", secretKey: "doctor/Get+Only==00001" };
const envOf = (user: { accessKey: string; secretKey: string }) => ({
  VOLC_ACCESSKEY: user.accessKey,
  VOLC_SECRETKEY: user.secretKey,
});
const model = (version: string) => ({
  FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: version },
});
const lineage = "3b0f3d1e-5a7c-4e58-9c1d-2f6a8b4c7d90";

/** Every check, in the order doctor runs them. */
const checkIds = [
  "host",
  "credentials",
  "list_without_project",
  "list_with_project",
  "list_order",
  "get_result_flat",
  "get_unknown_id",
  "support_rolling",
  "rolling_id",
  "moderation",
  "rate_limit",
  "prepaid_capacity",
  "rolling_info",
  "dry_run",
  "dry_run_permission",
];

interface Context {
  emulator: Emulator;
  dir: string;
  calls: CallRecord[];
  /** The endpoint the state records, switching its model. */
  switching: string;
}

/** An account with endpoints in two projects, one recorded in state and switching its model. */
async function account(context: Context, options: Partial<EmulatorOptions> = {}): Promise<void> {
  context.calls = [];
  context.emulator = await startEmulator({
    ...credentials,
    provisioningDelayMs: 0,
    rollingStepMs: 600_000,
    iam: {
      users: [
        { ...reader, actions: ["ark:List*", "ark:Get*"] },
        { ...getter, actions: ["ark:GetEndpoint"] },
      ],
    },
    onCall: (record) => context.calls.push(record),
    ...options,
  });
  const chat = await context.emulator.seedEndpoint({
    Name: "chat",
    ModelReference: model("250115"),
    RateLimit: { Rpm: 10, Tpm: 5000 },
    ModelUnitId: "mu-20260301-a1",
    Tags: [{ Key: "ark-sync:address", Value: "default/chat" }],
  });
  await context.emulator.seedEndpoint({ Name: "console", ModelReference: model("250115") });
  await context.emulator.seedEndpoint({
    Name: "search",
    ProjectName: "research",
    ModelReference: model("250115"),
  });
  await context.emulator.startModelSwitchOutside(chat.Id, {
    Name: "doubao-1-5-pro-32k",
    ModelVersion: "250415",
  });
  context.switching = chat.Id;
  context.dir = await mkdtemp(join(tmpdir(), "ark-sync-doctor-"));
  await writeFile(
    join(context.dir, "chat.yaml"),
    'apiVersion: ark-sync/v1\nkind: Endpoint\nname: chat\nmodel_reference:\n  foundation_model:\n    name: doubao-1-5-pro-32k\n    model_version: "250115"\n',
  );
  await writeFile(
    join(context.dir, "search.yaml"),
    'apiVersion: ark-sync/v1\nkind: Endpoint\nname: search\nproject_name: research\nmodel_reference:\n  foundation_model:\n    name: doubao-1-5-pro-32k\n    model_version: "250115"\n',
  );
  await mkdir(join(context.dir, ".ark-sync"));
  await writeFile(
    join(context.dir, ".ark-sync", "state.json"),
    JSON.stringify({
      version: 1,
      lineage,
      serial: 1,
      resources: { "default/chat": { endpoint_id: chat.Id, last_applied: null, applied_at: null } },
    }),
  );
}

function runDoctor(context: Context, extra: Partial<doctor.DoctorOptions> = {}, doctorEnv: object = env) {
  const options: doctor.DoctorOptions = {
    dir: context.dir,
    ark: { apiUrl: context.emulator.url, region: "cn-beijing", parallelism: 1 },
    json: true,
    ...extra,
  };
  return runLikeCli(doctor.run, options, testContext({ env: doctorEnv as Record<string, string> }));
}

function statuses(report: DoctorReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((check) => [check.id, check.status]));
}

const test = suite<Context>("ark-sync doctor");

test.after.each(async (context) => {
  await context.emulator.close();
  await rm(context.dir, { recursive: true, force: true });
});

test("every check passes on the default emulator, with exit 0", async (context) => {
  await account(context);
  const result = await runDoctor(context);
  assert.is(result.code, 0, result.stdout);
  const report = JSON.parse(result.stdout) as DoctorReport;
  assert.equal(
    report.checks.filter((check) => check.status !== "pass").map((check) => [check.id, check.answer]),
    [],
  );
  const answer = (id: string) => report.checks.find((check) => check.id === id)?.answer ?? "";
  assert.match(answer("list_without_project"), 'the same 2 endpoints as ProjectName "default"');
  assert.match(answer("list_with_project"), "default: 2, research: 1");
  assert.match(answer("get_result_flat"), context.switching, "the endpoint the state records is read");
  assert.match(answer("rolling_id"), "a switch in progress");
  assert.match(answer("rate_limit"), "Rpm 10, Tpm 5000");
  assert.match(answer("prepaid_capacity"), 'ModelUnitId "mu-20260301-a1"');
  assert.match(answer("prepaid_capacity"), "list items carry no ScaleTierId");
  assert.match(
    answer("rolling_info"),
    "RollingOut doubao-1-5-pro-32k 250115, RollingIn doubao-1-5-pro-32k 250415",
  );
  assert.match(
    answer("dry_run"),
    `default/chat, as ${join(context.dir, "chat.yaml")} sets it: DryRunOperation`,
  );
  assert.match(result.stderr, "reads and one DryRun, nothing that changes Ark");
});

test("doctor changes nothing: the emulator sees reads and DryRuns only", async (context) => {
  await account(context);
  const before = context.emulator.listEndpoints();
  const files = await readdir(context.dir, { recursive: true });
  context.calls.length = 0;
  context.emulator.resetStats();

  const result = await runDoctor(context);
  assert.is(result.code, 0, result.stdout);
  const reads = new Set(["ListEndpoints", "GetEndpoint", "GetEndpointRolling"]);
  const writes = context.calls.filter((call) => !reads.has(call.action));
  assert.ok(writes.length > 0, "the DryRun was sent");
  assert.equal(
    writes.map((call) => [call.action, call.code]),
    writes.map(() => ["CreateEndpoint", "DryRunOperation"]),
    "every call that is not a read is a CreateEndpoint answered DryRunOperation",
  );
  assert.equal(Object.keys(context.emulator.stats().byAction).sort(), [
    "CreateEndpoint",
    "GetEndpoint",
    "GetEndpointRolling",
    "ListEndpoints",
  ]);
  assert.equal(context.emulator.listEndpoints(), before, "every endpoint as it was");
  assert.equal(await readdir(context.dir, { recursive: true }), files, "no state written");
});

test("--rolling-info-without-models: the switch check fails and doctor exits 1", async (context) => {
  await account(context, { rollingInfoWithoutModels: true });
  const result = await runDoctor(context);
  assert.is(result.code, 1);
  const report = JSON.parse(result.stdout) as DoctorReport;
  const failed = report.checks.filter((check) => check.status === "fail");
  assert.equal(
    failed.map((check) => check.id),
    ["rolling_info"],
  );
  assert.match(failed[0]?.answer ?? "", `of ${context.switching}: no RollingIn, no RollingOut`);
  assert.match(failed[0]?.ark_sync_does ?? "", "the outcome is reported unknown");
  assert.equal(report.summary, { pass: 14, warn: 0, fail: 1, skip: 0 });
});

test("credentials that may only read: DryRun is not allowed, a warning, and exit 0", async (context) => {
  await account(context);
  const result = await runDoctor(context, {}, envOf(reader));
  assert.is(result.code, 0, result.stdout);
  const report = JSON.parse(result.stdout) as DoctorReport;
  assert.equal(
    { dry_run: statuses(report).dry_run, dry_run_permission: statuses(report).dry_run_permission },
    { dry_run: "skip", dry_run_permission: "warn" },
  );
  const permission = report.checks.find((check) => check.id === "dry_run_permission");
  assert.match(permission?.answer ?? "", "no: AccessDenied");
  assert.match(permission?.ark_sync_does ?? "", "warns ark_dry_run_denied");
});

test("credentials that may not list: the list checks fail and doctor exits 1", async (context) => {
  await account(context);
  const result = await runDoctor(context, {}, envOf(getter));
  assert.is(result.code, 1);
  const report = JSON.parse(result.stdout) as DoctorReport;
  const status = statuses(report);
  assert.equal([status.host, status.credentials], ["pass", "pass"], "the signature was accepted");
  assert.equal([status.list_without_project, status.list_with_project], ["fail", "fail"]);
  assert.is(status.get_unknown_id, "pass", "GetEndpoint is allowed");
  assert.match(report.checks[2]?.answer ?? "", "AccessDenied");
});

test("wrong keys: the credentials check fails, nothing else is asked, and no key is printed", async (context) => {
  await account(context);
  const wrong = { accessKey: credentials.accessKey, secretKey: "not/the+secret==000000" };
  const result = await runDoctor(context, { json: false }, envOf(wrong));
  assert.is(result.code, 1);
  assert.match(result.stdout, /^fail\s+Credentials\s+SignatureDoesNotMatch/m);
  assert.match(result.stdout, /^pass\s+Region and host/m);
  assert.match(result.stdout, "1 passed, 0 warnings, 1 failed, 13 skipped.");
  assert.is(context.calls.length, 1, "one call, refused");
  for (const secret of [wrong.secretKey, credentials.secretKey]) {
    assert.not.ok((result.stdout + result.stderr).includes(secret));
  }
});

test("no credentials at all: the credentials check says what to set; nothing is sent", async (context) => {
  await account(context);
  const result = await runDoctor(context, {}, {});
  assert.is(result.code, 1);
  const report = JSON.parse(result.stdout) as DoctorReport;
  assert.equal([statuses(report).host, statuses(report).credentials], ["skip", "fail"]);
  assert.match(report.checks[1]?.answer ?? "", "VOLC_ACCESSKEY and VOLC_SECRETKEY are not set");
  assert.is(context.calls.length, 0);
});

test("--json: the report's shape, every check in order, the counts add up", async (context) => {
  await account(context);
  const result = await runDoctor(context);
  const report = JSON.parse(result.stdout) as DoctorReport;
  assert.equal(Object.keys(report), ["format_version", "region", "api_url", "checks", "summary"]);
  assert.equal(
    [report.format_version, report.region, report.api_url],
    ["1", "cn-beijing", context.emulator.url],
  );
  assert.equal(
    report.checks.map((check) => check.id),
    checkIds,
  );
  for (const check of report.checks) {
    assert.equal(Object.keys(check), ["id", "check", "status", "answer", "ark_sync_does"]);
    assert.ok(check.check && check.answer && check.ark_sync_does, check.id);
  }
  assert.equal(Object.keys(report.summary), ["pass", "warn", "fail", "skip"]);
  assert.is(
    Object.values(report.summary).reduce((sum, n) => sum + n, 0),
    checkIds.length,
  );
});

test("the text is a table: a header, one block per check, the counts and the verdict", async (context) => {
  await account(context);
  const result = await runDoctor(context, { json: false });
  assert.is(result.code, 0);
  const lines = result.stdout.split("\n");
  assert.is(lines[0], `ark-sync doctor: cn-beijing at ${context.emulator.url}`);
  assert.match(lines[2] ?? "", /^RESULT {2}CHECK {2,}ANSWER {2,}WHAT ARK-SYNC DOES WITH IT$/);
  for (const line of lines) assert.ok(line.length <= 100, `within 100 columns: ${line}`);
  assert.is(lines.filter((line) => /^pass {4}/.test(line)).length, checkIds.length);
  assert.match(
    result.stdout,
    "15 passed, 0 warnings, 0 failed, 0 skipped.\nArk answered as ark-sync assumes.\n",
  );
});

test("the command line: ark-sync doctor DIR --api-url URL --json, exit 0", async (context) => {
  await account(context);
  const result = await runCli(["doctor", context.dir, "--api-url", context.emulator.url, "--json"], {
    env: cleanEnv(env),
  });
  assert.is(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as DoctorReport;
  assert.equal(report.summary, { pass: 15, warn: 0, fail: 0, skip: 0 });
});

test.run();
