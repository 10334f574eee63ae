// A live plan that destroys or replaces an endpoint holding prepaid capacity says so in its text, its
// JSON and the pull-request comment made from the saved plan (docs/ark-api.md, Prepaid capacity):
// against the emulator over loopback, where the TPM guarantee package (ScaleTierId) is read with
// GetEndpoint, since list items do not carry it.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as plan from "../../src/app/plan.js";
import type { Plan } from "../../src/core/types.js";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { renderPlanMarkdown } from "../../src/render/markdown.js";
import { parsePlanJson } from "../../src/render/plan-json.js";
import { planOptionsFor, runLikeCli, testContext } from "./context.js";

const credentials = { accessKey: "AKLTprepaidKey0001", secretKey: "prepaid/Secret+Key==01" };
const env = { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey };
const model = { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" } };
const manifest = (name: string, extra = "") =>
  `apiVersion: ark-sync/v1\nkind: Endpoint\nname: ${name}\nmodel_reference:\n  foundation_model:\n    name: doubao-1-5-pro-32k\n    model_version: "250115"\n${extra}`;

test("destroying and replacing endpoints that hold prepaid capacity: text, JSON and the comment say so", async () => {
  const emulator = await startEmulator({ ...credentials, provisioningDelayMs: 0 });
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-prepaid-"));
  try {
    const old = await emulator.seedEndpoint({
      Name: "old",
      ModelReference: model,
      ModelUnitId: "mu-20260301-a1",
      ScaleTierId: "st-20260301-tpm1",
    });
    const chat = await emulator.seedEndpoint({
      Name: "chat",
      ModelReference: model,
      ScaleTierId: "st-20260301-tpm2",
      Tags: [{ Key: "env", Value: "prod" }],
    });
    const kept = await emulator.seedEndpoint({ Name: "kept", ModelReference: model, ScaleTierId: "st-3" });
    const resource = (id: string, name: string, tags?: { key: string; value: string }[]) => ({
      endpoint_id: id,
      last_applied: {
        name,
        project_name: "default",
        model_reference: { foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250115" } },
        ...(tags ? { tags } : {}),
      },
      applied_at: "2026-03-01T00:00:00Z",
    });
    await mkdir(join(dir, ".ark-sync"));
    await writeFile(
      join(dir, ".ark-sync", "state.json"),
      JSON.stringify({
        version: 1,
        lineage: "0f6d7a52-8d7e-4c39-9a52-7e1b0c5d2a11",
        serial: 3,
        resources: {
          "default/old": resource(old.Id, "old"),
          "default/chat": resource(chat.Id, "chat", [{ key: "env", value: "prod" }]),
          "default/kept": resource(kept.Id, "kept"),
        },
      }),
    );
    // old is gone from the manifests; chat loses its tag (a replacement); kept changes nothing.
    await writeFile(join(dir, "chat.yaml"), manifest("chat"));
    await writeFile(join(dir, "kept.yaml"), manifest("kept"));
    const planFile = join(dir, "plan.json");
    const options = planOptionsFor(
      dir,
      { apiUrl: emulator.url, region: "cn-beijing", parallelism: 10 },
      { arkDryRun: false, out: planFile },
    );

    const text = await runLikeCli(plan.run, options, testContext({ env }));
    assert.is(text.code, 0, text.stderr);
    const words = text.stdout.replace(/\s+/g, " ");
    assert.match(
      words,
      `Warning: Endpoint holds prepaid capacity default/old (${old.Id}) holds prepaid capacity (model unit mu-20260301-a1, TPM guarantee package st-20260301-tpm1): destroying it releases that capacity from the endpoint.`,
    );
    assert.match(
      words,
      `default/chat (${chat.Id}) holds prepaid capacity (TPM guarantee package st-20260301-tpm2): replacing it destroys the endpoint`,
    );
    assert.match(words, "The TPM guarantee package does not follow: CreateEndpoint has no field for it.");
    assert.not.match(words, "default/kept (", "an endpoint the plan keeps releases nothing");
    // Listed once; read in full only for the two it destroys.
    assert.match(
      text.stderr,
      "Read 2 endpoints this plan destroys or replaces in full, for the prepaid capacity they hold",
    );
    assert.is(emulator.stats().byAction.GetEndpoint, 2);

    const saved = parsePlanJson(await readFile(planFile, "utf8"), planFile);
    assert.equal(
      saved.resource_changes.map((change) => [change.address, change.prepaid_capacity]),
      [
        ["default/chat", { scale_tier_id: "st-20260301-tpm2" }],
        ["default/kept", undefined],
        ["default/old", { model_unit_id: "mu-20260301-a1", scale_tier_id: "st-20260301-tpm1" }],
      ],
    );
    const json = JSON.parse(
      (await runLikeCli(plan.run, { ...options, json: true, out: undefined }, testContext({ env }))).stdout,
    ) as Plan;
    assert.equal(
      json.warnings.filter((w) => w.code === "prepaid_capacity").map((w) => w.address),
      ["default/chat", "default/old"],
    );

    const comment = renderPlanMarkdown(saved, { directory: "manifests", maxLength: 65_536 });
    const caution = comment.slice(comment.indexOf("> [!CAUTION]"), comment.indexOf("<details"));
    assert.match(
      caution,
      `will be **destroyed**: no longer in the manifests. It holds **prepaid capacity** (model unit \`mu-20260301-a1\`, TPM guarantee package \`st-20260301-tpm1\`), which destroying it releases.`,
    );
    assert.match(caution, "TPM guarantee package `st-20260301-tpm2`");
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
