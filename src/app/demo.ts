// `ark-sync demo` (what `npm start` runs): the whole product in a minute with no cloud account. It
// starts the emulator in-process, seeds a small "cloud" with the situations ark-sync exists for —
// an endpoint someone changed in the console (drift), one carrying a tag only the console set
// (unmanaged), one made in the console (to import) — then runs the real commands against it.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EndpointAttributes } from "../core/types.js";
import { type Emulator, startEmulator } from "../emulator/start-emulator.js";
import { schemaModeline } from "../manifest/generate-manifest.js";
import * as apply from "./apply.js";
import { arkConnector } from "./ark-connector.js";
import type { AppContext, ExitCode, UseCase } from "./context.js";
import { runExcerpted, type Shown } from "./demo-excerpt.js";
import { demoCredentials } from "./emulator.js";
import * as importEndpoint from "./import.js";
import { openState } from "./open-state.js";
import * as plan from "./plan.js";

const header = "apiVersion: ark-sync/v1\nkind: Endpoint\n";
const doubao = { foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250115" } };

const manifests: Record<string, string> = {
  "support-bot.yaml": `${header}name: support-bot
description: Customer-support assistant
model_reference:
  foundation_model: {name: doubao-1-5-pro-32k, model_version: "250115"}
rate_limit: {rpm: 60, tpm: 100000}
tags:
  - {key: team, value: support}
`,
  "search-assist.yaml": `${header}name: search-assist
model_reference:
  foundation_model: {name: doubao-1-5-pro-32k, model_version: "250115"}
rate_limit: {rpm: 300}
tags:
  - {key: team, value: search}
`,
  "chat-legacy.yaml": `${header}name: chat-legacy
description: The first chat endpoint, made in the console in 2025
model_reference:
  foundation_model: {name: doubao-1-5-pro-32k, model_version: "250115"}
rate_limit: {rpm: 120}
`,
  "summarizer.yaml": `${header}name: summarizer
description: Summarises support tickets
model_reference:
  custom_model_id: cm-20250601120000-abcde
moderation: {strategy: Basic}
`,
};

export interface DemoOptions {
  /** Keep the tour's workspace and print where it is. */
  keep: boolean;
  /** Print every step's output whole; without it, the plans that tell the story and each outcome. */
  verbose: boolean;
}

export async function run(options: DemoOptions, outer: AppContext): Promise<ExitCode> {
  const { io } = outer;
  const workspace = await mkdtemp(join(tmpdir(), "ark-sync-demo-"));
  const dir = join(workspace, "manifests");
  // Kept with the workspace, so that `--keep` leaves a cloud to start the emulator on again.
  const dataFile = join(workspace, "emulator.json");
  // A model switch slow enough to watch: 20 % of the traffic every 600 ms.
  const emulator = await startEmulator({
    ...demoCredentials,
    provisioningDelayMs: 1500,
    rollingStepMs: 600,
    dataFile,
  });
  // The tour talks to its own emulator, signed with the emulator's demo credentials.
  const env = {
    ...outer.env,
    VOLC_ACCESSKEY: demoCredentials.accessKey,
    VOLC_SECRETKEY: demoCredentials.secretKey,
    VOLC_SESSIONTOKEN: undefined,
    VOLC_ROLE_TRN: undefined,
  };
  const connectArk = arkConnector(env, outer.homeDir, {
    fetch: outer.fetch,
    ...(io.debug ? { debug: io.debug } : {}),
  });
  const ctx: AppContext = { ...outer, env, connectArk };
  const common = {
    state: `local:${join(dir, ".ark-sync", "state.json")}`,
    ark: { apiUrl: emulator.url, region: "cn-beijing", parallelism: 10 },
  };
  const step = (title: string, ...more: string[]) => io.out(`\n== ${[title, ...more].join("\n")}\n`);
  const show = <O>(shown: Shown, command: UseCase<O>, commandOptions: O) =>
    options.verbose
      ? command(commandOptions, ctx)
      : runExcerpted(shown, ctx, (excerpted) => command(commandOptions, excerpted));

  try {
    await mkdir(dir);
    for (const [file, text] of Object.entries(manifests)) await writeManifest(join(dir, file), text);
    const legacyId = await seedCloud(emulator, common.state, dir, ctx);
    step(
      `ark-sync tour, on the bundled Ark emulator at ${emulator.url}`,
      "support-bot and search-assist were applied by ark-sync earlier; since then someone raised",
      `support-bot's rate limit and tagged search-assist in the console, and made chat-legacy there.`,
    );

    const shared = { ...common, targets: [], allowEmpty: false };
    const planOptions = {
      ...shared,
      dir,
      json: false,
      detailedExitcode: false,
      refresh: true,
      arkDryRun: true,
    };
    step(`1. ark-sync import default/chat-legacy ${legacyId}  (adopt the console-made endpoint)`);
    const importOptions = { ...common, address: "default/chat-legacy", endpointId: legacyId, dir };
    let code = await show("none", importEndpoint.run, importOptions);
    if (code !== 0) return code;

    step("2. ark-sync plan  (drift first, then the actions; the console-added tag is left alone)");
    code = await show("whole", plan.run, planOptions);
    if (code !== 0) return code;

    const applyOptions = {
      ...shared,
      path: dir,
      autoApprove: true,
      waitTimeoutSeconds: 120,
      switchUndo: "cancel" as const,
      switchPollMs: 500,
    };
    step("3. ark-sync apply --auto-approve  (creates summarizer, restores support-bot, records them)");
    code = await show("outcome", apply.run, applyOptions);
    if (code !== 0) return code;

    step("4. ark-sync plan  (Ark now matches the manifests)");
    code = await show("outcome", plan.run, planOptions);
    if (code !== 0) return code;

    const bumped = (manifests["support-bot.yaml"] ?? "").replace('"250115"', '"250415"');
    await writeManifest(join(dir, "support-bot.yaml"), bumped);
    step(
      "5. ark-sync plan, after support-bot.yaml asks for doubao-1-5-pro-32k 250415",
      "Ark switches this model in place, keeping the endpoint_id; the plan checks it with Ark (DryRun).",
    );
    code = await show("outcome", plan.run, planOptions);
    if (code !== 0) return code;

    step("6. ark-sync apply --auto-approve  (Ark's rolling switch, step by step, on the same endpoint)");
    code = await show("outcome", apply.run, applyOptions);
    if (code !== 0) return code;

    io.out(
      options.keep
        ? describeKeptWorkspace(workspace, dir, dataFile)
        : "\nThat was the tour. Run `ark-sync demo --keep` to keep its workspace, or see docs/.\n",
    );
    return 0;
  } finally {
    await emulator.close();
    if (!options.keep) await rm(workspace, { recursive: true, force: true });
  }
}

/** Where `--keep` left the tour, and the commands that go on from there on the same emulator data. */
function describeKeptWorkspace(workspace: string, dir: string, dataFile: string): string {
  return [
    "",
    `The tour's workspace is kept in ${workspace}: the manifests, their state and the emulator's data.`,
    "Start the emulator again on that data (in another terminal, or in the background), then look around:",
    "",
    `  ark-sync emulator --data ${dataFile} &`,
    // The demo secret is documented, yet ark-sync prints no secret key, not even that one.
    `  export ARK_SYNC_API_URL=http://127.0.0.1:8787 VOLC_ACCESSKEY=${demoCredentials.accessKey} VOLC_SECRETKEY=…`,
    "  # the emulator's demo keys: docs/emulator.md#credentials",
    `  ark-sync status ${dir}`,
    `  ark-sync plan ${dir}`,
    "  ark-sync emulator endpoint list",
    "",
    "The emulator's console commands change that cloud as a person in the Ark console would",
    "(ark-sync emulator endpoint --help; docs/emulator.md, The console).",
    "",
  ].join("\n");
}

/** A manifest whose modeline finds the schema from the tour's temporary workspace. */
function writeManifest(file: string, text: string): Promise<void> {
  return writeFile(file, `${schemaModeline(file)}\n${text}`);
}

/** Seeds the emulator and the state as if ark-sync had applied two endpoints before. */
async function seedCloud(
  emulator: Emulator,
  stateSpec: string,
  dir: string,
  ctx: AppContext,
): Promise<string> {
  const applied = (name: string, extra: Partial<EndpointAttributes>): EndpointAttributes => ({
    name,
    project_name: "default",
    model_reference: doubao,
    ...extra,
  });
  const support = await emulator.seedEndpoint({
    Name: "support-bot",
    Description: "Customer-support assistant",
    Status: "Running",
    ModelReference: { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" } },
    RateLimit: { Rpm: 600, Tpm: 100000 },
    Tags: [
      { Key: "team", Value: "support" },
      { Key: "ark-sync:address", Value: "default/support-bot" },
    ],
  });
  const search = await emulator.seedEndpoint({
    Name: "search-assist",
    Status: "Running",
    ModelReference: { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" } },
    RateLimit: { Rpm: 300 },
    Tags: [
      { Key: "team", Value: "search" },
      { Key: "cost-center", Value: "cc-042" },
      { Key: "ark-sync:address", Value: "default/search-assist" },
    ],
  });
  const legacy = await emulator.seedEndpoint({
    Name: "chat-legacy",
    Status: "Running",
    ModelReference: { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" } },
    RateLimit: { Rpm: 60 },
  });

  const backend = await openState(stateSpec, dir, ctx);
  const lock = await backend.lock({ operation: "demo seed" });
  try {
    const appliedAt = new Date(ctx.clock.date().getTime() - 86_400_000).toISOString();
    await lock.write({
      "default/support-bot": {
        endpoint_id: support.Id,
        last_applied: applied("support-bot", {
          description: "Customer-support assistant",
          rate_limit: { rpm: 60, tpm: 100000 },
          tags: [{ key: "team", value: "support" }],
        }),
        applied_at: appliedAt,
      },
      "default/search-assist": {
        endpoint_id: search.Id,
        last_applied: applied("search-assist", {
          rate_limit: { rpm: 300 },
          tags: [{ key: "team", value: "search" }],
        }),
        applied_at: appliedAt,
      },
    });
  } finally {
    await lock.release();
  }
  return legacy.Id;
}
