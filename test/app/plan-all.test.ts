// `plan --all` in this process against the emulator over loopback: every project under a root planned
// in one run, each under its own heading in order, against its own state; a broken project fails the
// run without hiding the others' plans.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as planAll from "../../src/app/plan-all.js";
import { type Emulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { runLikeCli, testContext } from "./context.js";

const credentials = { accessKey: "AKLTplanAllAccessKey1", secretKey: "planAll/Secret+Key==01" };
const env = { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey };

interface Context {
  emulator: Emulator;
  root: string;
}

const test = suite<Context>("plan --all");

test.before.each(async (context) => {
  context.emulator = await startEmulator({ ...credentials, provisioningDelayMs: 10 });
  context.root = await mkdtemp(join(tmpdir(), "ark-sync-plan-all-"));
});

test.after.each(async ({ emulator, root }) => {
  await emulator.close();
  await rm(root, { recursive: true, force: true });
});

const endpoint = (name: string) => `apiVersion: ark-sync/v1
kind: Endpoint
name: ${name}
model_reference:
  foundation_model: {name: doubao-1-5-pro-32k, model_version: "250115"}
`;

const config = (url: string, suffix: string, base = "../../base") =>
  `apiVersion: ark-sync/v1\nkind: Config\nbases: [${base}]\nname_suffix: -${suffix}\napi_url: ${url}\n`;

async function tree(root: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, name)), { recursive: true });
    await writeFile(join(root, name), text);
  }
}

function runPlanAll({ root }: Context, extra: Partial<planAll.PlanAllOptions> = {}) {
  const options: planAll.PlanAllOptions = {
    root,
    ark: { parallelism: 10 },
    json: false,
    detailedExitcode: true,
    refresh: true,
    targets: [],
    allowEmpty: false,
    arkDryRun: true,
    ...extra,
  };
  return runLikeCli(planAll.run, options, testContext({ env }));
}

test("every project is planned under its own heading, in order, and the exit code is the worst", async (context) => {
  const { root, emulator } = context;
  await tree(root, {
    "base/chat.yaml": endpoint("chat"),
    "envs/prod/ark-sync.yaml": config(emulator.url, "prod"),
    "envs/staging/ark-sync.yaml": config(emulator.url, "staging"),
  });
  const changes = await runPlanAll(context);
  assert.is(changes.code, 2, changes.stderr);
  const prod = changes.stdout.indexOf(`### ${join(root, "envs/prod")}`);
  const staging = changes.stdout.indexOf(`### ${join(root, "envs/staging")}`);
  assert.ok(prod >= 0 && staging > prod, changes.stdout);
  assert.match(changes.stdout.slice(prod, staging), "default/chat-prod will be created");
  assert.match(changes.stdout.slice(staging), "default/chat-staging will be created");
  assert.match(changes.stderr, "Planned 2 directories: none failed.");

  await tree(root, { "envs/broken/ark-sync.yaml": config(emulator.url, "broken", "../../nowhere") });
  const broken = await runPlanAll(context);
  assert.is(broken.code, 1);
  assert.match(broken.stdout, "default/chat-prod will be created", "the other plans are still shown");
  assert.match(broken.stderr, `### ${join(root, "envs/broken")}`);
  assert.match(broken.stderr, `1 failed (${join(root, "envs/broken")})`);
  assert.is(emulator.listEndpoints().length, 0, "a plan changes nothing");
});

test("a root with no ark-sync.yaml is a usage error", async (context) => {
  await tree(context.root, { "manifests/chat.yaml": endpoint("chat") });
  const result = await runPlanAll(context);
  assert.is(result.code, 1);
  assert.match(result.stderr, "has an ark-sync.yaml");
});

test.run();
