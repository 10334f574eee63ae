// `ark-sync status` in this process against the emulator: every sync value, read off the same plan
// `plan` computes; the JSON shape; exit codes as `plan --detailed-exitcode`; hostile names escaped;
// and nothing written to the state or to Ark.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as status from "../../src/app/status.js";
import type { StatusRow } from "../../src/core/status-rows.js";
import { type AppliedDirectory, withApplied as withAppliedDirectory } from "./applied-directory.js";
import { runLikeCli, testContext } from "./context.js";
import { unsafeCharacters } from "./unsafe-characters.js";

const credentials = { accessKey: "AKLTstatusKey01", secretKey: "status/Secret+Key==01" };
const env = { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey };
const hostile = "evil\u001b[2J\u202eroot\u200b\u0007";
const hostileShown = "evil\\u001b[2J\\u202eroot\\u200b\\u0007";

const manifest = (name: string, extra = "") =>
  `apiVersion: ark-sync/v1\nkind: Endpoint\nname: ${name}\nmodel_reference:\n  custom_model_id: cm-1\n${extra}`;

type Setup = AppliedDirectory;

const withApplied = (files: Record<string, string>, body: (setup: Setup) => Promise<void>) =>
  withAppliedDirectory(files, credentials, body);

function runStatus(setup: Setup, options: Partial<status.StatusOptions> = {}) {
  return runLikeCli(
    status.run,
    { dir: setup.dir, ark: setup.ark, json: false, projects: [], ...options },
    testContext({ env }),
  );
}

async function statusRows(setup: Setup, options: Partial<status.StatusOptions> = {}) {
  const result = await runStatus(setup, { ...options, json: true });
  return { ...result, rows: (JSON.parse(result.stdout) as { endpoints: StatusRow[] }).endpoints };
}

test("right after apply every endpoint is Synced, and status exits 0", async () => {
  await withApplied(
    { "chat.yaml": manifest("chat", "rate_limit:\n  rpm: 5\n"), "batch.yaml": manifest("batch") },
    async (setup) => {
      const text = await runStatus(setup);
      assert.is(text.code, 0, text.stderr);
      const lines = text.stdout.trimEnd().split("\n");
      assert.match(lines[0] ?? "", /^ADDRESS\s+NAME\s+ENDPOINT ID\s+SYNC\s+HEALTH\s+MODEL$/);
      assert.match(lines[1] ?? "", /^default\/batch\s+batch\s+ep-\S+\s+Synced\s+Running\s+cm-1$/);
      assert.match(lines[2] ?? "", /^default\/chat\s+chat\s+ep-\S+\s+Synced\s+Running\s+cm-1$/);
      assert.is(lines.length, 3);

      const { rows, code } = await statusRows(setup);
      assert.is(code, 0);
      assert.equal(
        rows.map((row) => [row.address, row.sync]),
        [
          ["default/batch", "Synced"],
          ["default/chat", "Synced"],
        ],
      );
    },
  );
});

test("status shows every sync value, exits 2, writes nothing and escapes hostile names", async () => {
  await withApplied(
    { "chat.yaml": manifest("chat", "rate_limit:\n  rpm: 5\n"), "batch.yaml": manifest("batch") },
    async (setup) => {
      const { emulator, dir } = setup;
      const chat = emulator.listEndpoints().find((endpoint) => endpoint.Name === "chat");
      await emulator.changeEndpoint(chat?.Id ?? "", { RateLimit: { Rpm: 50 } });
      await writeFile(join(dir, "new.yaml"), manifest("new"));
      const stranger = await emulator.seedEndpoint({
        Name: hostile,
        ModelReference: { FoundationModel: { Name: "doubao-pro", ModelVersion: "240828" } },
      });
      const orphan = await emulator.seedEndpoint({
        Name: "orphan",
        ModelReference: { CustomModelId: "cm-2" },
        Tags: [{ Key: "ark-sync:address", Value: "default/orphan" }],
      });
      const statePath = join(dir, ".ark-sync", "state.json");
      const stateBefore = await readFile(statePath, "utf8");
      const writesBefore = Object.keys(emulator.stats().byAction).sort();

      const { rows, code, stderr } = await statusRows(setup);
      assert.is(code, 2, stderr);
      assert.equal(
        rows.map((row) => [row.address, row.name, row.sync]),
        [
          ["default/batch", "batch", "Synced"],
          ["default/chat", "chat", "OutOfSync"],
          ["default/new", "new", "Missing"],
          ["default/orphan", "orphan", "Untracked"],
          [null, hostile, "Unmanaged"],
        ],
      );
      assert.equal(rows[2], {
        name: "new",
        address: "default/new",
        project: "default",
        endpoint_id: null,
        sync: "Missing",
        health: null,
        model: "cm-1",
      });
      assert.equal(rows[3]?.endpoint_id, orphan.Id);
      assert.equal(rows[4], {
        name: hostile,
        address: null,
        project: "default",
        endpoint_id: stranger.Id,
        sync: "Unmanaged",
        health: "Running",
        model: "doubao-pro@240828",
        import_command: `ark-sync import default/${hostile} ${stranger.Id} ${dir}`,
      });

      const text = await runStatus(setup);
      assert.is(text.code, 2);
      assert.not.match(text.stdout, unsafeCharacters);
      const unmanagedLine = text.stdout.split("\n").find((line) => line.startsWith("- "));
      assert.ok(unmanagedLine?.includes(`${hostileShown}  ${stranger.Id}  Unmanaged`), unmanagedLine);
      assert.match(text.stdout, `ark-sync import default/${hostileShown} ${stranger.Id} ${dir}`);

      assert.is(await readFile(statePath, "utf8"), stateBefore, "status never writes the state");
      assert.equal(
        Object.keys(emulator.stats().byAction)
          .filter((action) => !writesBefore.includes(action))
          .filter((action) => !action.startsWith("Get") && !action.startsWith("List")),
        [],
        "status only reads Ark",
      );
    },
  );
});

test("Unmanaged alone exits 0; --project narrows to a project and lists one the directory does not name", async () => {
  await withApplied({ "chat.yaml": manifest("chat") }, async (setup) => {
    const { emulator } = setup;
    await emulator.seedEndpoint({ Name: "console-made", ModelReference: { CustomModelId: "cm-1" } });
    const other = await emulator.seedEndpoint({
      Name: "elsewhere",
      ProjectName: "research",
      ModelReference: { CustomModelId: "cm-1" },
    });

    const all = await statusRows(setup);
    assert.is(all.code, 0, all.stderr);
    assert.equal(
      all.rows.map((row) => [row.name, row.sync]),
      [
        ["chat", "Synced"],
        ["console-made", "Unmanaged"],
      ],
      "research is not the directory's project",
    );

    const research = await statusRows(setup, { projects: ["research"] });
    assert.is(research.code, 0, research.stderr);
    assert.equal(
      research.rows.map((row) => [row.project, row.endpoint_id, row.sync]),
      [["research", other.Id, "Unmanaged"]],
    );
  });
});

test("an error exits 1: invalid manifests stop status before Ark is read", async () => {
  await withApplied({ "chat.yaml": manifest("chat") }, async (setup) => {
    await writeFile(join(setup.dir, "broken.yaml"), "apiVersion: ark-sync/v1\nkind: Endpoint\n");
    const result = await runStatus(setup);
    assert.is(result.code, 1);
    assert.match(result.stderr, "problem");
    assert.is(result.stdout, "");
    // With --json, stdout still holds one document: the diagnostics, as validate --json prints them.
    const json = await runStatus(setup, { json: true });
    assert.is(json.code, 1);
    const document = JSON.parse(json.stdout) as { valid: boolean; diagnostics: { file: string }[] };
    assert.is(document.valid, false);
    assert.ok(document.diagnostics.some((d) => d.file.endsWith("broken.yaml")));
  });
});

test.run();
