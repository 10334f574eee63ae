// `import --all [--generate]` in this process against the emulator over loopback: fifty console-made
// endpoints adopted at once with a clean plan afterwards, declared addresses adopted without a file,
// filters, what is never adopted, endpoints no manifest can hold skipped and named (escaped), and
// nothing written when a file is in the way, a folder leads out of the directory, or the directory's
// ark-sync.yaml would change what was generated.
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as importAll from "../../src/app/import-all.js";
import * as plan from "../../src/app/plan.js";
import type { Plan, StateDocument } from "../../src/core/types.js";
import { type Emulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { planOptionsFor, runLikeCli, testContext } from "./context.js";
import { unsafeCharacters } from "./unsafe-characters.js";

const credentials = { accessKey: "AKLTimportAllKey0001", secretKey: "importAll/Secret+Key==01" };
const env = { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey };

interface Context {
  emulator: Emulator;
  dir: string;
}

const test = suite<Context>("import --all");

test.before.each(async (context) => {
  context.emulator = await startEmulator({ ...credentials, provisioningDelayMs: 0 });
  context.dir = await mkdtemp(join(tmpdir(), "ark-sync-import-all-"));
});

test.after.each(async ({ emulator, dir }) => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const ark = (emulator: Emulator) => ({ apiUrl: emulator.url, region: "cn-beijing", parallelism: 10 });

function runImportAll(context: Context, extra: Partial<importAll.ImportAllOptions> = {}) {
  const options: importAll.ImportAllOptions = {
    dir: context.dir,
    ark: ark(context.emulator),
    generate: true,
    projects: [],
    tags: [],
    ...extra,
  };
  return runLikeCli(importAll.run, options, testContext({ env, cwd: context.dir }));
}

async function planJson(context: Context): Promise<Plan> {
  const options: plan.PlanOptions = planOptionsFor(context.dir, ark(context.emulator), { json: true });
  const result = await runLikeCli(plan.run, options, testContext({ env }));
  assert.is(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as Plan;
}

async function state(dir: string): Promise<StateDocument> {
  return JSON.parse(await readFile(join(dir, ".ark-sync", "state.json"), "utf8")) as StateDocument;
}

const model = { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" } };

test("fifty console-made endpoints in two projects are adopted, and the next plan is No changes", async (context) => {
  for (let i = 0; i < 50; i += 1) {
    await context.emulator.seedEndpoint({
      Name: `bot-${String(i).padStart(2, "0")}`,
      ProjectName: i % 5 === 0 ? "research" : "default",
      Description: i % 2 === 0 ? `made in the console: #${i}` : "",
      ModelReference: i % 7 === 0 ? { CustomModelId: "cm-20250601120000-abcde" } : model,
      Moderation: { Strategy: i % 3 === 0 ? "Basic" : "Default" },
      RateLimit: i % 4 === 0 ? { Rpm: 60 + i, Tpm: 1000 } : {},
      Tags: [{ Key: "team", Value: i % 2 === 0 ? "search" : "support" }],
    });
  }
  const result = await runImportAll(context, { projects: ["default", "research"] });
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, "Imported 50 endpoints into");
  assert.match(result.stdout, "research/bot-00 (ep-");
  assert.match(result.stdout, "wrote research/bot-00.yaml");

  const files = await readdir(context.dir);
  assert.is(files.filter((file) => file.endsWith(".yaml")).length, 40);
  assert.is((await readdir(join(context.dir, "research"))).length, 10);
  const text = await readFile(join(context.dir, "bot-02.yaml"), "utf8");
  assert.ok(text.startsWith("# yaml-language-server: $schema="), text);
  // The directory is outside the repository: editors still find the schema, from either folder.
  for (const file of ["bot-02.yaml", "research/bot-00.yaml"]) {
    const path = join(context.dir, file);
    const modeline = (await readFile(path, "utf8")).split("\n")[0] ?? "";
    const schema = resolve(dirname(path), modeline.replace("# yaml-language-server: $schema=", ""));
    assert.is(schema, fileURLToPath(new URL("../../../schemas/endpoint.schema.json", import.meta.url)));
  }
  assert.match(text, /name: bot-02\ndescription: "made in the console: #2"\nmodel_reference:/);
  assert.is(Object.keys((await state(context.dir)).resources).length, 50);

  const next = await planJson(context);
  assert.equal(next.summary, { add: 0, change: 0, destroy: 0 });
  assert.equal(
    next.resource_changes.filter((change) => change.change.actions[0] !== "no-op"),
    [],
  );
  assert.equal(next.warnings, []);
  assert.equal(next.unmanaged, []);
});

test("a declared address is adopted without a file; without --generate the rest are skipped, named", async (context) => {
  const chat = await context.emulator.seedEndpoint({ Name: "chat", ModelReference: model });
  await context.emulator.seedEndpoint({ Name: "other", ModelReference: model });
  const declared = `apiVersion: ark-sync/v1\nkind: Endpoint\nname: chat\nmodel_reference:\n  foundation_model: {name: doubao-1-5-pro-32k, model_version: "250115"}\n`;
  await writeFile(join(context.dir, "mine.yaml"), declared);

  const result = await runImportAll(context, { generate: false });
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, `default/chat (${chat.Id}): its manifest was already there`);
  assert.match(result.stderr, "Skipped default/other");
  assert.match(result.stderr, "no manifest declares it (--generate writes one)");
  assert.equal((await readdir(context.dir)).sort(), [".ark-sync", "mine.yaml"]);
  assert.equal((await state(context.dir)).resources, {
    "default/chat": { endpoint_id: chat.Id, last_applied: null, applied_at: null },
  });
});

test("an endpoint a DryRun left is never imported, though it carries no other state's tags", async (context) => {
  await context.emulator.seedEndpoint({
    Name: "checked",
    ModelReference: model,
    Tags: [
      { Key: "ark-sync:address", Value: "default/checked" },
      { Key: "ark-sync:dry-run", Value: "run-1" },
    ],
  });
  const result = await runImportAll(context);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, "Nothing to import");
});

test("tags filter; namesakes and endpoints of another state are never adopted", async (context) => {
  await context.emulator.seedEndpoint({
    Name: "a",
    ModelReference: model,
    Tags: [{ Key: "team", Value: "search" }],
  });
  await context.emulator.seedEndpoint({
    Name: "b",
    ModelReference: model,
    Tags: [{ Key: "team", Value: "other" }],
  });
  await context.emulator.seedEndpoint({
    Name: "twin",
    ModelReference: model,
    Tags: [{ Key: "team", Value: "search" }],
  });
  await context.emulator.seedEndpoint({
    Name: "twin",
    ModelReference: model,
    Tags: [{ Key: "team", Value: "search" }],
  });
  await context.emulator.seedEndpoint({
    Name: "theirs",
    ModelReference: model,
    Tags: [
      { Key: "team", Value: "search" },
      { Key: "ark-sync:address", Value: "default/theirs" },
      { Key: "ark-sync:state", Value: "another-lineage" },
    ],
  });
  const result = await runImportAll(context, { tags: [{ key: "team", value: "search" }] });
  assert.is(result.code, 0, result.stderr);
  assert.equal(Object.keys((await state(context.dir)).resources), ["default/a"]);
  assert.match(result.stderr, "default/twin: 2 live endpoints share this name");
  assert.not.match(result.stdout + result.stderr, "theirs");
});

test("a file in the way refuses the import: nothing is written or recorded", async (context) => {
  await context.emulator.seedEndpoint({ Name: "a", ModelReference: model });
  await context.emulator.seedEndpoint({ Name: "b", ModelReference: model });
  await mkdir(join(context.dir, "notes"));
  await writeFile(join(context.dir, "b.yaml"), "# my notes, not a manifest\n");

  const result = await runImportAll(context);
  assert.is(result.code, 1);
  assert.match(result.stderr, "b.yaml already exists; import --generate never overwrites a file");
  assert.equal((await readdir(context.dir)).sort(), [".ark-sync", "b.yaml", "notes"]);
  assert.is(await readFile(join(context.dir, "b.yaml"), "utf8"), "# my notes, not a manifest\n");
  const recorded = await readFile(join(context.dir, ".ark-sync", "state.json"), "utf8").catch(() => null);
  assert.ok(recorded === null || Object.keys(JSON.parse(recorded).resources).length === 0);
});

test("endpoints no manifest can hold are skipped, named and escaped; the rest are imported, and the directory plans", async (context) => {
  const seed = (Name: string, extra: Record<string, unknown> = {}) =>
    context.emulator.seedEndpoint({ Name, ModelReference: model, ...extra });
  await seed("ok");
  await seed("ark-sync");
  await seed("ARK-SYNC", { ProjectName: "research" });
  await seed("bell\u0007\u001b[2Jclear");
  await seed("esc", { ProjectName: "../../../tmp/x" });
  await seed("zero\u200bwidth");
  await seed(`long-${"x".repeat(300)}`);
  await seed("described", { Description: "nul\u0000byte" });
  await seed("rtl\u202eevil");
  const result = await runImportAll(context, { projects: ["default", "research", "../../../tmp/x"] });
  assert.is(result.code, 0, result.stderr);
  assert.not.match(result.stdout + result.stderr, unsafeCharacters);
  assert.match(result.stderr, "Skipped default/ark-sync (ep-");
  assert.match(
    result.stderr,
    "its file would be ark-sync.yaml, and ark-sync.yaml is the name of a directory's configuration",
  );
  assert.match(result.stderr, "Skipped research/ARK-SYNC (ep-");
  assert.match(result.stderr, "Skipped default/bell\\u0007\\u001b[2Jclear (ep-");
  assert.match(result.stderr, "Skipped ../../../tmp/x/esc (ep-");
  assert.match(result.stderr, "must not contain '/'");
  assert.match(result.stderr, "Skipped default/zero\\u200bwidth (ep-");
  assert.match(result.stderr, "its file name would be longer than 255 bytes");
  assert.match(result.stderr, "Skipped default/described (ep-");
  assert.match(result.stdout, "Imported 2 endpoints");
  assert.match(result.stdout, "default/rtl\\u202eevil (ep-");
  assert.equal((await readdir(context.dir)).sort(), [".ark-sync", "ok.yaml", "rtl-evil.yaml"]);
  assert.equal(Object.keys((await state(context.dir)).resources).sort(), [
    "default/ok",
    "default/rtl\u202eevil",
  ]);

  const next = await planJson(context);
  assert.equal(next.summary, { add: 0, change: 0, destroy: 0 });
  assert.equal(next.errors, []);
});

test("a project folder that is a symbolic link out of the directory refuses the import; nothing is written there", async (context) => {
  const outside = await mkdtemp(join(tmpdir(), "ark-sync-import-outside-"));
  try {
    await context.emulator.seedEndpoint({ Name: "a", ModelReference: model });
    await context.emulator.seedEndpoint({ Name: "b", ProjectName: "research", ModelReference: model });
    await symlink(outside, join(context.dir, "research"));
    const result = await runImportAll(context, { projects: ["default", "research"] });
    assert.is(result.code, 1, result.stdout);
    assert.match(result.stderr, `${join(context.dir, "research")} is a symbolic link to `);
    assert.match(
      result.stderr,
      "outside the manifest directory; import --generate writes only inside it, and nothing was imported",
    );
    assert.equal(await readdir(outside), []);
    assert.equal((await readdir(context.dir)).sort(), [".ark-sync", "research"]);
    const recorded = await readFile(join(context.dir, ".ark-sync", "state.json"), "utf8").catch(() => null);
    assert.is(recorded, null);
  } finally {
    await rm(outside, { recursive: true, force: true });
  }
});

test("an ark-sync.yaml that would rename generated manifests refuses the import; nothing is written", async (context) => {
  await context.emulator.seedEndpoint({ Name: "prod-chat", ModelReference: model });
  await writeFile(
    join(context.dir, "ark-sync.yaml"),
    "apiVersion: ark-sync/v1\nkind: Config\nname_prefix: prod-\n",
  );
  const result = await runImportAll(context);
  assert.is(result.code, 1, result.stdout);
  assert.match(result.stderr, "leave ");
  assert.match(
    result.stderr,
    "default/prod-chat: in this directory its manifest prod-chat.yaml would declare another address",
  );
  assert.equal((await readdir(context.dir)).sort(), [".ark-sync", "ark-sync.yaml"]);
  const recorded = await readFile(join(context.dir, ".ark-sync", "state.json"), "utf8").catch(() => null);
  assert.ok(recorded === null || Object.keys(JSON.parse(recorded).resources).length === 0);
});

test("an ark-sync.yaml whose common_tags would make every generated endpoint a replacement refuses the import", async (context) => {
  await context.emulator.seedEndpoint({ Name: "chat", ModelReference: model });
  const config = "apiVersion: ark-sync/v1\nkind: Config\ncommon_tags:\n  - {key: env, value: prod}\n";
  await writeFile(join(context.dir, "ark-sync.yaml"), config);
  const result = await runImportAll(context);
  assert.is(result.code, 1, result.stdout);
  assert.match(result.stderr, "default/chat: the next plan would replace it");
  assert.equal((await readdir(context.dir)).sort(), [".ark-sync", "ark-sync.yaml"]);
});

test.run();
