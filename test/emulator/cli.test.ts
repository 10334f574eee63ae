// `ark-sync emulator` as a process: the first stdout line, a signed call, faults from flags, the data
// file, clean exit on SIGTERM/SIGINT, and no credentials in any output.
import { type ChildProcessByStdio, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { arkClient, foundationModel, ok, testCredentials, withTempDir } from "./helpers.js";

const cli = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

interface Running {
  child: ChildProcessByStdio<null, Readable, Readable>;
  firstLine: string;
  port: number;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("VOLC_") && !key.startsWith("ARK_SYNC_")),
  );
  return { ...env, ...extra };
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<Running> {
  const child = spawn(process.execPath, [cli, "emulator", ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const onData = () => {
      const newline = stdout.indexOf("\n");
      if (newline < 0) return;
      child.stdout.off("data", onData);
      const firstLine = stdout.slice(0, newline);
      const port = Number(/:(\d+)$/.exec(firstLine)?.[1]);
      resolve({ child, firstLine, port, stdout: () => stdout, stderr: () => stderr, exit });
    };
    child.stdout.on("data", onData);
    exit.then(({ code }) => reject(new Error(`the emulator exited (${code}) before listening: ${stderr}`)));
  });
}

test("prints `listening on` first, answers signed calls, logs them, and exits 0 on SIGTERM", () =>
  withTempDir(async (dir) => {
    const dataFile = join(dir, "cloud.json");
    const emulator = await run(
      ["--port", "0", "--data", dataFile, "--provisioning-delay", "0"],
      cleanEnv({ VOLC_ACCESSKEY: testCredentials.accessKey, VOLC_SECRETKEY: testCredentials.secretKey }),
    );
    assert.match(emulator.firstLine, /^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const ark = arkClient({ port: emulator.port, region: "cn-beijing" });
    const { Id } = await ok(ark.call("CreateEndpoint", { Name: "cli", ModelReference: foundationModel }));
    assert.is((await ok(ark.call("GetEndpoint", { Id }))).Status, "Running");

    emulator.child.kill("SIGTERM");
    assert.equal(await emulator.exit, { code: 0, signal: null });
    assert.is(emulator.stdout(), `${emulator.firstLine}\n`);
    assert.match(emulator.stderr(), "CreateEndpoint 200");
    assert.match(emulator.stderr(), "from VOLC_ACCESSKEY / VOLC_SECRETKEY");
    for (const secret of [testCredentials.secretKey, testCredentials.accessKey]) {
      assert.not.match(emulator.stdout() + emulator.stderr(), secret);
    }
    const saved = JSON.parse(await readFile(dataFile, "utf8"));
    assert.equal(
      saved.endpoints.map((record: { endpoint: { Id: string } }) => record.endpoint.Id),
      [Id],
    );
  }));

test("demo credentials by default; --fault flags; SIGINT also stops it", async () => {
  const emulator = await run(
    ["--port", "0", "--quiet", "--fault", "CreateEndpoint:lost-reply", "--fault", "*:internal-error:1"],
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
  emulator.child.kill("SIGINT");
  assert.equal(await emulator.exit, { code: 0, signal: null });
  assert.not.match(emulator.stderr(), "emulator-sk");
  assert.not.match(emulator.stderr(), "ListEndpoints 200");
});

test("a bad --fault is a usage error with nothing on stdout, and the process ends", async () => {
  for (const [fault, message] of [
    ["CreateEndpoint:explode", 'Bad --fault "CreateEndpoint:explode"'],
    ["*:abnormal", "applies to CreateEndpoint or StartEndpoint only"],
  ]) {
    const child = spawn(process.execPath, [cli, "emulator", "--port", "0", "--fault", fault as string], {
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise((resolve) => child.on("close", resolve));
    assert.is(code, 1, fault);
    assert.is(stdout, "", fault);
    assert.match(stderr, message as string);
  }
});

test.run();
