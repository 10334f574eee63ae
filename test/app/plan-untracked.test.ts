// An endpoint that carries this state's ownership tag but that nothing tracks (a lost create whose
// manifest was then removed, a `state rm`) runs and bills: plan reports it in every rendering, and the
// nightly drift check (`plan --detailed-exitcode`) fails on it. So does one an Ark that ignored DryRun
// made, which carries ark-sync's DryRun marker.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as plan from "../../src/app/plan.js";
import type { Plan } from "../../src/core/types.js";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { planOptionsFor, runLikeCli, testContext } from "./context.js";

const credentials = { accessKey: "AKLTuntrackedKey01", secretKey: "untracked/Secret+Key==01" };
const env = { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey };

test("plan names an untracked endpoint with our ownership tag, and --detailed-exitcode exits 2", async () => {
  const emulator = await startEmulator({ ...credentials, provisioningDelayMs: 0 });
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-untracked-"));
  try {
    const orphan = await emulator.seedEndpoint({
      Name: "orphan",
      Status: "Running",
      ModelReference: { CustomModelId: "cm-1" },
      Tags: [{ Key: "ark-sync:address", Value: "default/orphan" }],
    });
    await emulator.seedEndpoint({
      Name: "console-made",
      Status: "Running",
      ModelReference: { CustomModelId: "cm-1" },
    });
    await writeFile(join(dir, "keep.txt"), "no manifests here\n");
    const options = {
      dir,
      ark: { apiUrl: emulator.url, region: "cn-beijing", parallelism: 10 },
      json: false,
      detailedExitcode: true,
      refresh: true,
      targets: [],
      allowEmpty: false,
      arkDryRun: true,
    };

    const text = await runLikeCli(plan.run, options, testContext({ env }));
    assert.is(text.code, 2, text.stderr);
    assert.match(text.stdout, "No changes.");
    const words = text.stdout.replace(/\s+/g, " ");
    assert.match(words, "Warning: Endpoint owned by ark-sync but not tracked");
    assert.match(words, `ark-sync import default/orphan ${orphan.Id}`);
    assert.not.match(text.stdout, "console-made", "an endpoint without our tag is not ours to report");

    const json = await runLikeCli(plan.run, { ...options, json: true }, testContext({ env }));
    const warnings = JSON.parse(json.stdout).warnings as { code: string; address?: string }[];
    assert.equal(
      warnings.map(({ code, address }) => [code, address]),
      [["untracked_endpoint", "default/orphan"]],
    );
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test("an endpoint a DryRun left is named with its id, never adopted, and fails the drift check", async () => {
  const emulator = await startEmulator({ ...credentials, provisioningDelayMs: 0 });
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-leftover-"));
  try {
    // What a DryRun CreateEndpoint body makes on an Ark that ignores DryRun, with a cleanup that failed.
    const leftover = await emulator.seedEndpoint({
      Name: "chat",
      Status: "Running",
      ModelReference: { CustomModelId: "cm-1" },
      Tags: [
        { Key: "ark-sync:address", Value: "default/chat" },
        { Key: "ark-sync:state", Value: "00000000-0000-4000-8000-000000000000" },
        { Key: "ark-sync:dry-run", Value: "run-7" },
      ],
    });
    await writeFile(
      join(dir, "chat.yaml"),
      "apiVersion: ark-sync/v1\nkind: Endpoint\nname: chat\nmodel_reference:\n  custom_model_id: cm-1\n",
    );
    const options = {
      dir,
      ark: { apiUrl: emulator.url, region: "cn-beijing", parallelism: 10 },
      json: true,
      detailedExitcode: true,
      refresh: true,
      targets: [],
      allowEmpty: false,
      arkDryRun: false,
    };
    const result = await runLikeCli(plan.run, options, testContext({ env }));
    assert.is(result.code, 2, result.stderr);
    const planned = JSON.parse(result.stdout) as Plan;
    assert.equal(
      planned.resource_changes.map((rc) => [rc.address, rc.change.actions, rc.endpoint_id]),
      [["default/chat", ["create"], null]],
      "not adopted by its ownership tag",
    );
    assert.equal(
      planned.warnings.map((warning) => warning.code),
      ["dry_run_leftover"],
    );
    assert.match(
      planned.warnings[0]?.message ?? "",
      `${leftover.Id} (default/chat) carries ark-sync's DryRun marker`,
    );

    // With nothing else to do, the leftover alone fails the nightly drift check.
    await rm(join(dir, "chat.yaml"));
    await writeFile(join(dir, "keep.txt"), "no manifests here\n");
    const drift = await runLikeCli(plan.run, { ...options, json: false }, testContext({ env }));
    assert.is(drift.code, 2, drift.stderr);
    assert.match(drift.stdout, "No changes.");
    assert.match(drift.stdout.replace(/\s+/g, " "), `Warning: Endpoint left by a DryRun Ark carried out`);
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test("untracked endpoints are found in every project the manifests name, and in default", async () => {
  const emulator = await startEmulator({ ...credentials, provisioningDelayMs: 0 });
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-untracked-"));
  try {
    const orphan = (project: string) =>
      emulator.seedEndpoint({
        Name: "orphan",
        ProjectName: project,
        ModelReference: { CustomModelId: "cm-1" },
        Tags: [{ Key: "ark-sync:address", Value: `${project}/orphan` }],
      });
    const research = await orphan("research");
    const inDefault = await orphan("default");
    await orphan("unnamed");
    await writeFile(
      join(dir, "chat.yaml"),
      "apiVersion: ark-sync/v1\nkind: Endpoint\nname: chat\nproject_name: research\nmodel_reference:\n  custom_model_id: cm-1\n",
    );
    const options = planOptionsFor(
      dir,
      { apiUrl: emulator.url, region: "cn-beijing", parallelism: 10 },
      { json: true },
    );
    const run = await runLikeCli(plan.run, options, testContext({ env }));
    assert.is(run.code, 0, run.stderr);
    const warnings = JSON.parse(run.stdout).warnings as { code: string; address?: string; message: string }[];
    assert.equal(
      warnings.map(({ code, address }) => [code, address]),
      [
        ["untracked_endpoint", "default/orphan"],
        ["untracked_endpoint", "research/orphan"],
      ],
      "a project nothing names (unnamed) is never listed",
    );
    assert.match(warnings[0]?.message ?? "", inDefault.Id);
    assert.match(warnings[1]?.message ?? "", research.Id);
    assert.match(run.stderr, "(2 list, 0 get calls)");
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
