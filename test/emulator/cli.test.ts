// `ark-sync emulator` as a process: the first stdout line, a signed call, faults from flags, the data
// file, clean exit on SIGTERM/SIGINT, and no credentials in any output.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type CliProcess, cleanEnv, runCli, spawnCli } from "../cli/run-cli.js";
import { arkClient, foundationModel, ok, testCredentials, withTempDir } from "./helpers.js";

interface Running extends CliProcess {
  firstLine: string;
  port: number;
}

/** `ark-sync emulator ARGS`, once it has printed its first line. */
async function run(args: string[], env: NodeJS.ProcessEnv): Promise<Running> {
  const emulator = spawnCli(["emulator", ...args], { env });
  await emulator.waitFor(/\n/, 1, "stdout");
  const firstLine = emulator.stdout().slice(0, emulator.stdout().indexOf("\n"));
  return { ...emulator, firstLine, port: Number(/:(\d+)$/.exec(firstLine)?.[1]) };
}

test("prints `listening on` first, answers signed calls, logs them, and exits 0 on SIGTERM", () =>
  withTempDir(async (dir) => {
    const dataFile = join(dir, "cloud.json");
    const emulator = await run(
      ["--port", "0", "--data", dataFile, "--provisioning-delay", "0", "--rolling-step-ms", "0"],
      cleanEnv({ VOLC_ACCESSKEY: testCredentials.accessKey, VOLC_SECRETKEY: testCredentials.secretKey }),
    );
    assert.match(emulator.firstLine, /^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const ark = arkClient({ port: emulator.port, region: "cn-beijing" });
    const { Id } = await ok(ark.call("CreateEndpoint", { Name: "cli", ModelReference: foundationModel }));
    assert.is((await ok(ark.call("GetEndpoint", { Id }))).Status, "Running");
    const newer = { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250415" } };
    const rolling = await ok(ark.call("CreateEndpointRolling", { EndpointId: Id, ModelReference: newer }));
    const done = await ok(ark.call("GetEndpointRolling", { Id: rolling.Id }));
    assert.equal(
      [done.RollingInfo.Status, done.RollingInfo.RollingGray],
      ["Completed", 100],
      "--rolling-step-ms 0",
    );
    const refused = await ark.call("DeleteEndpoint", { Id });
    assert.is(refused.ResponseMetadata.Error?.Code, "OperationDenied.EndpointStatus");

    emulator.child.kill("SIGTERM");
    assert.equal(await emulator.exit, { code: 0, signal: null });
    assert.is(emulator.stdout(), `${emulator.firstLine}\n`);
    assert.match(emulator.stderr(), "CreateEndpoint 200");
    assert.match(emulator.stderr(), "DeleteEndpoint of a Running endpoint: refused (stop it first)");
    assert.match(emulator.stderr(), "DeleteEndpoint 403 OperationDenied.EndpointStatus");
    assert.match(emulator.stderr(), "from VOLC_ACCESSKEY / VOLC_SECRETKEY");
    assert.match(emulator.stderr(), "model switches: 20% every 0 ms");
    for (const secret of [testCredentials.secretKey, testCredentials.accessKey]) {
      assert.not.match(emulator.stdout() + emulator.stderr(), secret);
    }
    const saved = JSON.parse(await readFile(dataFile, "utf8"));
    assert.equal(
      saved.endpoints.map((record: { endpoint: { Id: string } }) => record.endpoint.Id),
      [Id],
    );
  }));

test("--no-refuse-delete-running deletes a Running endpoint", async () => {
  const emulator = await run(
    ["--port", "0", "--provisioning-delay", "0", "--no-refuse-delete-running"],
    cleanEnv(),
  );
  const ark = arkClient(
    { port: emulator.port, region: "cn-beijing" },
    { accessKeyId: "emulator-ak", secretKey: "emulator-sk" },
  );
  const { Id } = await ok(ark.call("CreateEndpoint", { Name: "cli", ModelReference: foundationModel }));
  assert.is((await ok(ark.call("GetEndpoint", { Id }))).Status, "Running");
  assert.equal(await ok(ark.call("DeleteEndpoint", { Id })), {});
  emulator.child.kill("SIGTERM");
  assert.equal(await emulator.exit, { code: 0, signal: null });
  assert.match(emulator.stderr(), "DeleteEndpoint of a Running endpoint: allowed");
});

test("--ignore-update-field and --ignore-create-field: answered OK, not applied", async () => {
  const emulator = await run(
    [
      "--port",
      "0",
      "--provisioning-delay",
      "0",
      "--ignore-update-field",
      "Moderation",
      "--ignore-create-field",
      "RateLimit",
      "--ignore-dry-run",
    ],
    cleanEnv(),
  );
  const ark = arkClient(
    { port: emulator.port, region: "cn-beijing" },
    { accessKeyId: "emulator-ak", secretKey: "emulator-sk" },
  );
  const { Id } = await ok(
    ark.call("CreateEndpoint", { Name: "cli", ModelReference: foundationModel, RateLimit: { Rpm: 5 } }),
  );
  assert.equal(await ok(ark.call("UpdateEndpoint", { Id, Moderation: { Strategy: "Basic" } })), {});
  const read = await ok(ark.call("GetEndpoint", { Id }));
  assert.equal([read.RateLimit, read.Moderation], [{}, { Strategy: "Default" }]);
  const checked = await ok(
    ark.call("CreateEndpoint", { Name: "dry", ModelReference: foundationModel, DryRun: true }),
  );
  assert.ok(checked.Id, "--ignore-dry-run: a DryRun creates");
  emulator.child.kill("SIGTERM");
  assert.equal(await emulator.exit, { code: 0, signal: null });
  assert.match(emulator.stderr(), "UpdateEndpoint ignores: Moderation (answered OK, not applied)");
  assert.match(emulator.stderr(), "CreateEndpoint ignores: RateLimit (answered OK, given defaults)");
  assert.match(emulator.stderr(), "CreateEndpoint ignores DryRun");
});

test("--list-skips-endpoint, --list-shifts-past, --delete-answers-not-found, --throttle-as-account-flow-limit", () =>
  withTempDir(async (dir) => {
    const dataFile = join(dir, "cloud.json");
    const seeded = await run(["--port", "0", "--quiet", "--data", dataFile], cleanEnv());
    const seedArk = arkClient(
      { port: seeded.port, region: "cn-beijing" },
      { accessKeyId: "emulator-ak", secretKey: "emulator-sk" },
    );
    const { Id } = await ok(seedArk.call("CreateEndpoint", { Name: "cli", ModelReference: foundationModel }));
    const shifted = await ok(
      seedArk.call("CreateEndpoint", { Name: "shifted", ModelReference: foundationModel }),
    );
    seeded.child.kill("SIGTERM");
    await seeded.exit;

    const emulator = await run(
      [
        "--port",
        "0",
        "--data",
        dataFile,
        "--list-skips-endpoint",
        Id,
        "--list-shifts-past",
        shifted.Id,
        "--delete-answers-not-found",
        "--throttle-as-account-flow-limit",
        "--fault",
        "StopEndpoint:throttle",
      ],
      cleanEnv(),
    );
    const ark = arkClient(
      { port: emulator.port, region: "cn-beijing" },
      { accessKeyId: "emulator-ak", secretKey: "emulator-sk" },
    );
    const listed = await ok(ark.call("ListEndpoints"));
    assert.equal([listed.TotalCount, listed.Items], [2, []]);
    const byIds = await ok(ark.call("ListEndpoints", { Filter: { Ids: [Id, shifted.Id] } }));
    assert.equal(
      byIds.Items.map((item: { Id: string }) => item.Id),
      [shifted.Id],
      "a filtered list finds the shifted endpoint, never the skipped one",
    );
    assert.is((await ark.call("DeleteEndpoint", { Id })).ResponseMetadata.Error?.Code, "NotFound.Endpoint");
    assert.is((await ok(ark.call("GetEndpoint", { Id }))).Id, Id);
    const throttled = await ark.call("StopEndpoint", { Id });
    assert.is(throttled.ResponseMetadata.Error?.Code, "AccountFlowLimitExceeded");
    emulator.child.kill("SIGTERM");
    assert.equal(await emulator.exit, { code: 0, signal: null });
    assert.match(emulator.stderr(), `ListEndpoints skips: ${Id}`);
    assert.match(emulator.stderr(), `ListEndpoints without filters skips: ${shifted.Id}`);
    assert.match(emulator.stderr(), "DeleteEndpoint: answers NotFound.Endpoint and keeps the endpoint");
    assert.match(emulator.stderr(), "throttled with AccountFlowLimitExceeded (HTTP 400)");
    assert.match(emulator.stderr(), "StopEndpoint 400 AccountFlowLimitExceeded [fault: throttle]");
  }));

test("demo credentials by default; --fault flags; SIGINT also stops it", async () => {
  const emulator = await run(
    [
      ...["--port", "0", "--quiet", "--fault", "CreateEndpoint:lost-reply", "--fault", "*:internal-error:1"],
      ...["--fault", "CreateEndpoint:OperationDenied.ServiceNotOpen"],
    ],
    cleanEnv(),
  );
  const ark = arkClient(
    { port: emulator.port, region: "cn-beijing" },
    {
      accessKeyId: "emulator-ak",
      secretKey: "emulator-sk",
    },
  );
  const lost = await ark.call("CreateEndpoint", { Name: "lost", ModelReference: foundationModel }).then(
    () => "answered",
    (error: { code?: string }) => error.code,
  );
  assert.is(lost, "ECONNRESET");
  assert.is((await ark.call("ListEndpoints")).ResponseMetadata.Error?.Code, "InternalError");
  assert.is((await ok(ark.call("ListEndpoints"))).TotalCount, 1);
  const refused = await ark.call("CreateEndpoint", { Name: "refused", ModelReference: foundationModel });
  assert.is(refused.ResponseMetadata.Error?.Code, "OperationDenied.ServiceNotOpen");
  emulator.child.kill("SIGINT");
  assert.equal(await emulator.exit, { code: 0, signal: null });
  assert.not.match(emulator.stderr(), "emulator-sk");
  assert.not.match(emulator.stderr(), "ListEndpoints 200");
});

test("a bad --fault or pace is a usage error with nothing on stdout, and the process ends", async () => {
  for (const [args, message] of [
    [["--fault", "CreateEndpoint:explode"], 'Bad --fault "CreateEndpoint:explode"'],
    [["--fault", "CreateEndpoint:error"], "or an error code: ModelNotOpen"],
    [["--fault", "*:abnormal"], "applies to CreateEndpoint or StartEndpoint only"],
    [
      ["--fault", "UpdateEndpoint:failed"],
      "The failed fault applies to CreateEndpoint or StartEndpoint only",
    ],
    [["--rolling-step-percent", "0"], "--rolling-step-percent must be > 0 and <= 100"],
    [["--ignore-update-field", "Tags"], 'UpdateEndpoint cannot be told to ignore "Tags"'],
  ] as const) {
    const { code, stdout, stderr } = await runCli(["emulator", "--port", "0", ...args]);
    assert.is(code, 1, args.join(" "));
    assert.is(stdout, "", args.join(" "));
    assert.match(stderr, message);
  }
});

test.run();
