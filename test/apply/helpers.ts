// Shared by the apply tests: an emulator ("the cloud"), a temporary workspace with a manifests folder,
// manifest text, apply run in this process (recorded streams, injected signals and confirmation) or as
// a child process, and reading back the state and the next plan.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { suite, type Test } from "uvu";
import { type ApplyOptions, run as runApply } from "../../src/app/apply.js";
import { createArkClient } from "../../src/ark/client.js";
import { readLiveForPlan } from "../../src/ark/refresh.js";
import { computePlan } from "../../src/core/compute-plan.js";
import type { Plan, StateDocument } from "../../src/core/types.js";
import { type Emulator, type EmulatorOptions, startEmulator } from "../../src/emulator/start-emulator.js";
import { loadManifests } from "../../src/manifest/load-manifests.js";
import { renderPlanText } from "../../src/render/text.js";
import { resolveStateBackend } from "../../src/state/resolve-backend.js";
import {
  type RecordedIo,
  recordIo,
  runHere,
  type TestContext,
  testContext,
  type UseCaseRun,
} from "../app/context.js";
import { type CliProcess, cleanEnv, spawnCli } from "../cli/run-cli.js";
import { quietState } from "../state/helpers.js";

export { type RecordedIo, recordIo };

export const credentials = { accessKey: "AKLTapplyTestKey0001", secretKey: "apply/Test+Secret==0001" };

export function startCloud(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return startEmulator({ ...credentials, provisioningDelayMs: 50, ...options });
}

export interface CloudContext {
  cloud: Emulator;
  ws: Workspace;
}

/** Stops the emulator and removes the workspace, whichever of them a test got as far as making. */
export async function closeCloud({ cloud, ws }: Partial<CloudContext>): Promise<void> {
  await cloud?.close();
  await ws?.dispose();
}

/** A suite whose every test gets a fresh emulator and workspace. */
export function cloudSuite(title: string): Test<CloudContext> {
  const tests = suite<CloudContext>(title);
  tests.before.each(async (context) => {
    context.cloud = await startCloud();
    context.ws = await makeWorkspace();
  });
  tests.after.each(closeCloud);
  return tests;
}

export interface Workspace {
  root: string;
  manifests: string;
  write(file: string, text: string): Promise<void>;
  remove(file: string): Promise<void>;
  state(): Promise<StateDocument | null>;
  dispose(): Promise<void>;
}

export async function makeWorkspace(): Promise<Workspace> {
  const root = await mkdtemp(join(tmpdir(), "ark-sync-apply-"));
  const manifests = join(root, "manifests");
  await mkdir(manifests);
  return {
    root,
    manifests,
    write: (file, text) => writeFile(join(manifests, file), text),
    remove: (file) => rm(join(manifests, file)),
    async state() {
      const text = await readFile(join(manifests, ".ark-sync", "state.json"), "utf8").catch(() => null);
      return text === null ? null : (JSON.parse(text) as StateDocument);
    },
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}

export interface EndpointSpec {
  project?: string;
  description?: string;
  rateLimit?: { rpm?: number; tpm?: number };
  tags?: Record<string, string>;
  moderation?: "Default" | "Basic";
  /** Default doubao-1-5-pro-32k 250115. */
  model?: { name: string; version: string };
  lifecycle?: {
    prevent_destroy?: boolean;
    create_before_destroy?: boolean;
    ignore_changes?: string[];
    model_switch?: "rolling" | "replace";
  };
  movedFrom?: string;
}

/** One manifest document. */
export function endpointYaml(name: string, spec: EndpointSpec = {}): string {
  const lines = [
    "apiVersion: ark-sync/v1",
    "kind: Endpoint",
    `name: ${name}`,
    ...(spec.project ? [`project_name: ${spec.project}`] : []),
    ...(spec.movedFrom ? [`moved_from: ${spec.movedFrom}`] : []),
    ...(spec.description !== undefined ? [`description: ${JSON.stringify(spec.description)}`] : []),
    "model_reference:",
    "  foundation_model:",
    `    name: ${spec.model?.name ?? "doubao-1-5-pro-32k"}`,
    `    model_version: "${spec.model?.version ?? "250115"}"`,
  ];
  if (spec.rateLimit) {
    lines.push("rate_limit:");
    for (const [key, value] of Object.entries(spec.rateLimit)) lines.push(`  ${key}: ${value}`);
  }
  if (spec.moderation) lines.push("moderation:", `  strategy: ${spec.moderation}`);
  if (spec.tags) {
    lines.push("tags:");
    for (const [key, value] of Object.entries(spec.tags))
      lines.push(`  - key: ${key}`, `    value: ${value}`);
  }
  if (spec.lifecycle) {
    lines.push("lifecycle:");
    for (const [key, value] of Object.entries(spec.lifecycle))
      lines.push(`  ${key}: ${JSON.stringify(value)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Apply options for the emulator: auto-approved, a short wait, a quick look at model switches,
 * everything else at the CLI's default. */
export function applyOptions(
  emulator: Emulator,
  path: string,
  extra: Partial<ApplyOptions> = {},
): ApplyOptions {
  return {
    path,
    ark: { apiUrl: emulator.url, region: "cn-beijing", parallelism: 10 },
    autoApprove: true,
    allowEmpty: false,
    targets: [],
    waitTimeoutSeconds: 60,
    switchUndo: "cancel",
    switchPollMs: 50,
    ...extra,
  };
}

/** The emulator's credentials, as a CLI run against it would have them. */
export const cloudEnv = { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey };

/** apply in this process, signed in to the emulator, with no real signals; `exit` throws. */
export function applyHere(
  emulator: Emulator,
  path: string,
  extra: Partial<ApplyOptions> = {},
  context: Partial<Omit<TestContext, "connectArk">> = {},
): Promise<UseCaseRun> {
  return runHere(
    runApply,
    applyOptions(emulator, path, extra),
    testContext({ env: cloudEnv, cwd: dirname(path), ...context }),
  );
}

/** The next plan, computed the way `ark-sync plan` computes it. */
/** An io for apply whose first create loses its reply, after the plan's own list, and whose every
 * ownership look-up after it fails: the create is an unknown outcome, the endpoint unrecorded. */
export function ioLosingFirstCreate(cloud: Emulator): RecordedIo {
  const io = recordIo();
  const write = io.err;
  io.err = (text) => {
    write(text);
    if (text.includes("Creating...")) {
      cloud.injectFault({ kind: "lost-reply", action: "CreateEndpoint", count: 1 });
      cloud.injectFault({ kind: "internal-error", action: "ListEndpoints", count: 100 });
    }
  };
  return io;
}

export async function nextPlan(emulator: Emulator, dir: string): Promise<{ plan: Plan; text: string }> {
  const manifests = await loadManifests(dir);
  const state = await (await resolveStateBackend(undefined, dir, dir, quietState)).read();
  const client = createArkClient({
    apiUrl: emulator.url,
    credentials: { accessKeyId: credentials.accessKey, secretKey: credentials.secretKey },
  });
  const live = await readLiveForPlan(client, manifests.endpoints, state);
  const plan = computePlan(manifests.endpoints, state, live);
  return { plan, text: renderPlanText(plan, { color: false }) };
}

/** Endpoints on the emulator per ownership-tag value. */
export function countByOwner(emulator: Emulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const endpoint of emulator.listEndpoints()) {
    const owner = endpoint.Tags.find((tag) => tag.Key === "ark-sync:address")?.Value ?? "(none)";
    counts.set(owner, (counts.get(owner) ?? 0) + 1);
  }
  return counts;
}

/** The built CLI as a process in `cwd`, signed in to the emulator. */
export function startCli(args: string[], cwd: string): CliProcess {
  return spawnCli(args, {
    cwd,
    env: cleanEnv({ VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey }),
  });
}
