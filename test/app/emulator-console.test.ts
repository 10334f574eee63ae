// `ark-sync emulator endpoint …` in this process against a running emulator, as a person in the Ark
// console: what it makes, changes, deletes or starts is what status, plan and import then see; and it
// refuses any URL that is not the emulator before sending it a signed request.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as emulatorConsole from "../../src/app/emulator-console.js";
import * as emulatorModels from "../../src/app/emulator-models.js";
import * as importEndpoint from "../../src/app/import.js";
import * as plan from "../../src/app/plan.js";
import * as status from "../../src/app/status.js";
import type { StatusRow } from "../../src/core/status-rows.js";
import { foundationModelCatalogue } from "../../src/emulator/model-catalogue.js";
import { type Emulator, type EmulatorOptions, startEmulator } from "../../src/emulator/start-emulator.js";
import { applyDirectory } from "./applied-directory.js";
import { runLikeCli, testContext } from "./context.js";
import { unsafeCharacters } from "./unsafe-characters.js";

const credentials = { accessKey: "AKLTconsoleKey01", secretKey: "console/Secret+Key==01" };
const env = { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey };
const chatManifest = (version: string, extra = "") =>
  "apiVersion: ark-sync/v1\nkind: Endpoint\nname: chat\nmodel_reference:\n" +
  `  foundation_model: {name: doubao-1-5-pro-32k, model_version: "${version}"}\n${extra}`;

interface Sandbox {
  emulator: Emulator;
  dir: string;
  ark: { apiUrl: string; region: string; parallelism: number };
  /** `ark-sync emulator endpoint …` on this emulator. */
  console(act: emulatorConsole.ConsoleAct): ReturnType<typeof runLikeCli>;
  status(): Promise<{ code: number; stderr: string; rows: StatusRow[] }>;
}

async function withSandbox(options: Partial<EmulatorOptions>, body: (sandbox: Sandbox) => Promise<void>) {
  const emulator = await startEmulator({ ...credentials, provisioningDelayMs: 0, ...options });
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-console-"));
  const ark = { apiUrl: emulator.url, region: "cn-beijing", parallelism: 10 };
  try {
    await body({
      emulator,
      dir,
      ark,
      console: (act) =>
        runLikeCli(emulatorConsole.run, { ...act, ark: { apiUrl: emulator.url } }, testContext({ env })),
      status: async () => {
        const result = await runLikeCli(
          status.run,
          { dir, ark, json: true, projects: [] },
          testContext({ env }),
        );
        const rows =
          result.code === 1 ? [] : (JSON.parse(result.stdout) as { endpoints: StatusRow[] }).endpoints;
        return { ...result, rows };
      },
    });
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function applyDir(sandbox: Sandbox) {
  await applyDirectory(sandbox.dir, sandbox.ark, { env });
}

function chatId(emulator: Emulator): string {
  const chat = emulator.listEndpoints().find((endpoint) => endpoint.Name === "chat");
  assert.ok(chat, "chat is live");
  return chat.Id;
}

test("a console create is Unmanaged in status, carries no ark-sync tag, and can be imported", async () => {
  await withSandbox({}, async (sandbox) => {
    const created = await sandbox.console({
      act: "create",
      endpoint: {
        name: "chat",
        project_name: "default",
        foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250115" },
        description: "made by hand",
        rate_limit: { rpm: 60 },
        tags: [{ key: "team", value: "support" }],
      },
    });
    assert.is(created.code, 0, created.stderr);
    const id = created.stdout.trim();
    assert.match(id, /^ep-\d{14}-[a-z0-9]{5}$/, "stdout is the id alone");
    assert.match(created.stderr, `ark-sync import default/chat ${id}`);
    assert.equal(sandbox.emulator.getEndpoint(id)?.Tags, [
      { Key: "sys:created-by", Value: "ark-emulator" },
      { Key: "team", Value: "support" },
    ]);

    const before = await sandbox.status();
    assert.equal(
      before.rows.map((row) => [row.endpoint_id, row.sync, row.address]),
      [[id, "Unmanaged", null]],
    );
    assert.is(before.rows[0]?.import_command, `ark-sync import default/chat ${id} ${sandbox.dir}`);

    const manifest = chatManifest(
      "250115",
      "description: made by hand\nrate_limit: {rpm: 60}\ntags:\n  - {key: team, value: support}\n",
    );
    await writeFile(join(sandbox.dir, "chat.yaml"), manifest);
    const imported = await runLikeCli(
      importEndpoint.run,
      { address: "default/chat", endpointId: id, dir: sandbox.dir, ark: sandbox.ark },
      testContext({ env }),
    );
    assert.is(imported.code, 0, imported.stderr);
    const after = await sandbox.status();
    assert.equal(
      after.rows.map((row) => [row.endpoint_id, row.address]),
      [[id, "default/chat"]],
    );
  });
});

test("an update through the console is drift in plan: rate limit, description, tags", async () => {
  await withSandbox({}, async (sandbox) => {
    await writeFile(
      join(sandbox.dir, "chat.yaml"),
      chatManifest("250115", "rate_limit: {rpm: 60}\ntags:\n  - {key: team, value: support}\n"),
    );
    await applyDir(sandbox);
    const id = chatId(sandbox.emulator);

    const updated = await sandbox.console({
      act: "update",
      id,
      update: {
        description: "edited in the console",
        rate_limit: { rpm: 600 },
        setTags: [{ key: "cost-center", value: "cc-042" }],
        removeTags: [],
      },
    });
    assert.is(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, `Updated ${id} (chat): description, rate limit, tags.`);
    assert.match(updated.stderr, "It is ark-sync's default/chat: the next plan shows the change as drift.");
    const tags = sandbox.emulator.getEndpoint(id)?.Tags.map((tag) => tag.Key);
    assert.equal(
      tags,
      ["ark-sync:address", "ark-sync:state", "cost-center", "sys:created-by", "team"],
      "the console keeps every tag it does not change",
    );

    const planned = await runLikeCli(
      plan.run,
      {
        dir: sandbox.dir,
        ark: sandbox.ark,
        json: false,
        detailedExitcode: true,
        refresh: true,
        targets: [],
        allowEmpty: false,
        arkDryRun: false,
      },
      testContext({ env }),
    );
    assert.is(planned.code, 2, planned.stderr);
    assert.match(planned.stdout, "# default/chat has changed");
    assert.match(planned.stdout, /rpm\s+= 60 -> 600/);
    assert.match(planned.stdout, 'default/chat: tags["cost-center"] = "cc-042"');

    const unknownTag = await sandbox.console({
      act: "update",
      id,
      update: { setTags: [], removeTags: ["nope"] },
    });
    assert.is(unknownTag.code, 1);
    assert.match(unknownTag.stderr, `${id} has no tag nope to remove.`);
  });
});

test("a switch started in the console shows in status's health and in the console's list", async () => {
  // Steps of a minute: the switch stays at 0 % while the test looks.
  await withSandbox({ rollingStepMs: 60_000 }, async (sandbox) => {
    await writeFile(join(sandbox.dir, "chat.yaml"), chatManifest("250115"));
    await applyDir(sandbox);
    const id = chatId(sandbox.emulator);
    assert.equal((await sandbox.status()).rows[0]?.health, "Running");

    const started = await sandbox.console({ act: "switch", id, model: { model_version: "250415" } });
    assert.is(started.code, 0, started.stderr);
    const rollingId = started.stdout.trim();
    assert.match(rollingId, /^eprol-/);

    const { rows } = await sandbox.status();
    assert.equal(
      rows.map((row) => [row.endpoint_id, row.sync, row.health]),
      [[id, "Synced", `Running (switching ${rollingId})`]],
    );
    const listed = await sandbox.console({ act: "list", projects: ["default"], json: false });
    assert.is(listed.code, 0, listed.stderr);
    assert.match(
      listed.stdout,
      /^ENDPOINT ID\s+PROJECT\s+NAME\s+STATUS\s+MODEL\s+RATE LIMIT\s+TAGS\s+ARK-SYNC ADDRESS\n/,
    );
    assert.match(
      listed.stdout,
      `${id}  default  chat  Running, switch to doubao-1-5-pro-32k@250415 Running 0%  doubao-1-5-pro-32k@250115`,
    );
    assert.match(listed.stdout, /\s+default\/chat\n$/);

    const again = await sandbox.console({ act: "switch", id, model: { model_version: "250328" } });
    assert.is(again.code, 1);
    assert.match(again.stderr, "OperationDenied.EndpointStatus");
  });
});

test("a console delete stops a running endpoint first, says whose it was; status shows it Missing", async () => {
  await withSandbox({}, async (sandbox) => {
    await writeFile(join(sandbox.dir, "chat.yaml"), chatManifest("250115"));
    await applyDir(sandbox);
    const id = chatId(sandbox.emulator);

    const deleted = await sandbox.console({ act: "delete", id });
    assert.is(deleted.code, 0, deleted.stderr);
    assert.is(deleted.stdout, `Deleted ${id} (chat), stopped first.\n`);
    assert.match(deleted.stderr, "It was ark-sync's default/chat: `ark-sync status` shows it Missing");
    assert.is(sandbox.emulator.getEndpoint(id), undefined);
    assert.equal(
      (await sandbox.status()).rows.map((row) => [row.address, row.sync]),
      [["default/chat", "Missing"]],
    );

    const gone = await sandbox.console({ act: "delete", id });
    assert.is(gone.code, 1);
    assert.match(gone.stderr, `The emulator has no endpoint ${id}.`);
  });
});

test("refused before any signed request: a host not on this machine, and a server that is not the emulator", async () => {
  const fetched: string[] = [];
  const recording = testContext({
    env,
    fetch: async (input) => {
      fetched.push(String(input));
      throw new Error("no request may leave for a host that is not this machine");
    },
  });
  const remote = await runLikeCli(
    emulatorConsole.run,
    { act: "delete", id: "ep-1", ark: { apiUrl: "https://ark.cn-beijing.volcengineapi.com" } },
    recording,
  );
  assert.is(remote.code, 1);
  assert.match(remote.stderr, "Refusing to act on https://ark.cn-beijing.volcengineapi.com: its host");
  assert.match(remote.stderr, "not this machine");
  assert.equal(fetched, [], "nothing is sent to a remote host");

  // On loopback, but Ark-like: it answers an unsigned call as Ark does, without the emulator's marker.
  const seen: IncomingHttpHeaders[] = [];
  const impostor = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(401, { "Content-Type": "application/json" });
    res.end('{"ResponseMetadata":{"Error":{"Code":"MissingAuthenticationToken"}}}');
  });
  await new Promise<void>((resolve) => impostor.listen(0, "127.0.0.1", resolve));
  try {
    const url = `http://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
    const result = await runLikeCli(
      emulatorConsole.run,
      { act: "list", projects: ["default"], json: false, ark: { apiUrl: url } },
      testContext({ env }),
    );
    assert.is(result.code, 1);
    assert.match(result.stderr, `Refusing to act on ${url}: what answers there is not ark-sync's emulator`);
    assert.is(seen.length, 1, "one look, then nothing");
    assert.is(seen[0]?.authorization, undefined, "the look carries no credentials");
  } finally {
    impostor.close();
  }
});

test("bad input is refused, saying which flag, before anything is sent", async () => {
  const fetched: string[] = [];
  const ctx = () =>
    testContext({
      env,
      fetch: async (input) => {
        fetched.push(String(input));
        throw new Error("nothing may be sent");
      },
    });
  const ark = { apiUrl: "http://127.0.0.1:8787" };
  const endpoint = {
    name: "chat",
    project_name: "default",
    foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250115" },
    tags: [],
  };
  const zero = await runLikeCli(
    emulatorConsole.run,
    { act: "create", endpoint: { ...endpoint, rate_limit: { rpm: 0 } }, ark },
    ctx(),
  );
  assert.is(zero.code, 1);
  assert.match(zero.stderr, "--rpm must be a whole number from 1 to 2147483647.");
  const notANumber = await runLikeCli(
    emulatorConsole.run,
    {
      act: "update",
      id: "ep-1",
      update: { rate_limit: { tpm: Number.NaN }, setTags: [], removeTags: [] },
      ark,
    },
    ctx(),
  );
  assert.match(notANumber.stderr, "--tpm must be a whole number");
  const nothing = await runLikeCli(
    emulatorConsole.run,
    { act: "update", id: "ep-1", update: { setTags: [], removeTags: [] }, ark },
    ctx(),
  );
  assert.match(nothing.stderr, "Nothing to update: give --name, --description, --rpm");
  assert.equal(fetched, []);
});

test("names from the console are escaped in its output, and no key is ever printed", async () => {
  await withSandbox({}, async (sandbox) => {
    const hostile = "evil\u001b[2J\u202eroot";
    const created = await sandbox.console({
      act: "create",
      endpoint: {
        name: hostile,
        project_name: "default",
        foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250115" },
        tags: [{ key: "note", value: "\u0007bell" }],
      },
    });
    assert.is(created.code, 0, created.stderr);
    const listed = await sandbox.console({ act: "list", projects: ["default"], json: false });
    const json = await sandbox.console({ act: "list", projects: ["default"], json: true });
    for (const output of [created, listed, json]) {
      assert.not.match(output.stdout + output.stderr, unsafeCharacters);
      assert.not.match(output.stdout + output.stderr, credentials.secretKey);
      assert.not.match(output.stdout + output.stderr, credentials.accessKey);
    }
    assert.match(listed.stdout, "evil\\u001b[2J\\u202eroot");
    assert.match(listed.stdout, "note=\\u0007bell");
  });
});

test("emulator models lists the catalogue, as a table and as JSON", async () => {
  const json = await runLikeCli(emulatorModels.run, { json: true }, testContext());
  assert.equal(JSON.parse(json.stdout), {
    models: Object.entries(foundationModelCatalogue).map(([name, versions]) => ({ name, versions })),
  });
  const text = await runLikeCli(emulatorModels.run, { json: false }, testContext());
  const lines = text.stdout.trimEnd().split("\n");
  assert.match(lines[0] ?? "", /^MODEL\s+VERSIONS$/);
  assert.ok(lines.includes("doubao-1-5-pro-32k       250115, 250328, 250415"), text.stdout);
  assert.is(lines.length, Object.keys(foundationModelCatalogue).length + 1);
});

test.run();
