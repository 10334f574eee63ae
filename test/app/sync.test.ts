// `ark-sync sync` in this process against the emulator with local state: each sync policy end to end
// (report only, automated, self-heal on and off, prune on and off, a replacement blocked), what it
// prints, and its exit codes.
import { unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as sync from "../../src/app/sync.js";
import type { CallRecord } from "../../src/emulator/handle-request.js";
import type { Emulator } from "../../src/emulator/start-emulator.js";
import { type AppliedDirectory, withApplied as withAppliedDirectory } from "./applied-directory.js";
import { runLikeCli, testContext } from "./context.js";

const credentials = { accessKey: "AKLTsyncKey01", secretKey: "sync/Secret+Key==01" };
const env = { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey };

const manifest = (name: string, extra = "") =>
  `apiVersion: ark-sync/v1\nkind: Endpoint\nname: ${name}\nmodel_reference:\n  custom_model_id: cm-1\n${extra}`;
const config = (sync: string) => `apiVersion: ark-sync/v1\nkind: Config\nsync:\n${sync}`;

type Setup = AppliedDirectory;

const withApplied = (
  files: Record<string, string>,
  body: (setup: Setup) => Promise<void>,
  onCall?: (record: CallRecord) => void,
) => withAppliedDirectory(files, credentials, body, onCall ? { onCall } : {});

function runSync(setup: Setup, json = false) {
  return runLikeCli(
    sync.run,
    { dir: setup.dir, ark: setup.ark, json, waitTimeoutSeconds: 30, switchUndo: "rollback" },
    testContext({ env }),
  );
}

async function syncReport(setup: Setup) {
  const result = await runSync(setup, true);
  return { ...result, report: JSON.parse(result.stdout) as sync.SyncReport };
}

const endpointNamed = (emulator: Emulator, name: string) =>
  emulator.listEndpoints().find((endpoint) => endpoint.Name === name);

test("report only: a manifest change is left, nothing is sent to Ark, exit 2; in sync exits 0", async () => {
  await withApplied({ "chat.yaml": manifest("chat", "rate_limit:\n  rpm: 5\n") }, async (setup) => {
    const clean = await runSync(setup);
    assert.is(clean.code, 0, clean.stderr);
    assert.match(clean.stdout, /^Synced: .* \(0 changed, 0 left, 0 drifted\)$/m);

    await writeFile(join(setup.dir, "chat.yaml"), manifest("chat", "rate_limit:\n  rpm: 7\n"));
    const { code, stdout, report } = await syncReport(setup);
    assert.is(code, 2);
    assert.is(report.result, "out-of-sync");
    assert.equal(report.changes, []);
    assert.equal(
      report.left.map((left) => [left.address, left.reason]),
      [["default/chat", "report_only"]],
    );
    assert.is(report.rows[0]?.sync, "OutOfSync");
    assert.not.match(stdout, /"Rpm"/);
    assert.is(endpointNamed(setup.emulator, "chat")?.RateLimit.Rpm, 5);
  });
});

test("automated: a manifest change is applied, said with why, and the directory is in sync (exit 0)", async () => {
  await withApplied(
    {
      "ark-sync.yaml": config("  automated: true\n"),
      "chat.yaml": manifest("chat", "rate_limit:\n  rpm: 5\n"),
    },
    async (setup) => {
      await writeFile(join(setup.dir, "chat.yaml"), manifest("chat", "rate_limit:\n  rpm: 7\n"));
      await writeFile(join(setup.dir, "batch.yaml"), manifest("batch"));
      const result = await runSync(setup);
      assert.is(result.code, 0, result.stderr);
      assert.match(result.stdout, /^automated: default\/batch create$/m);
      assert.match(result.stdout, /^automated: default\/chat rate_limit\.rpm 5 -> 7$/m);
      assert.match(result.stdout, /^Synced: .* \(2 changed, 0 left, 0 drifted\)$/m);
      assert.is(endpointNamed(setup.emulator, "chat")?.RateLimit.Rpm, 7);
      assert.ok(endpointNamed(setup.emulator, "batch"));
      // apply's own output (the plan, progress) went to stderr: stdout is sync's.
      assert.match(result.stderr, /Apply complete/);
      // The addresses are sync's decision, reported on stdout: no warning meant for a typed --target.
      assert.not.match(result.stderr, "Resource targeting is in effect");
    },
  );
});

test("self-heal off: drift is reported and left, exit 2; on: reverted in place", async () => {
  await withApplied(
    {
      "ark-sync.yaml": config("  automated: true\n"),
      "chat.yaml": manifest("chat", "rate_limit:\n  rpm: 10\n"),
    },
    async (setup) => {
      const chat = endpointNamed(setup.emulator, "chat");
      await setup.emulator.changeEndpoint(chat?.Id ?? "", { RateLimit: { Rpm: 99 } });
      const off = await syncReport(setup);
      assert.is(off.code, 2, off.stderr);
      assert.is(off.report.driftDetected, 1);
      assert.equal(off.report.changes, []);
      assert.equal(
        off.report.left.map((left) => left.message),
        ["default/chat: drifted (rate_limit.rpm 99 -> 10); left (self_heal is off)"],
      );
      assert.is(endpointNamed(setup.emulator, "chat")?.RateLimit.Rpm, 99);

      await writeFile(join(setup.dir, "ark-sync.yaml"), config("  automated: true\n  self_heal: true\n"));
      const on = await runSync(setup);
      assert.is(on.code, 0, on.stderr);
      assert.match(on.stdout, /^self-heal: default\/chat rate_limit\.rpm 99 -> 10$/m);
      assert.match(on.stdout, /\(1 changed, 0 left, 1 drifted\)$/m);
      assert.is(endpointNamed(setup.emulator, "chat")?.RateLimit.Rpm, 10);
      assert.is(endpointNamed(setup.emulator, "chat")?.Id, chat?.Id);
    },
  );
});

test("a change made while sync runs is left as still out of sync (exit 2); the next sync heals it", async () => {
  let whileApplying: (() => Promise<unknown>) | undefined;
  await withApplied(
    {
      "ark-sync.yaml": config("  automated: true\n  self_heal: true\n"),
      "chat.yaml": manifest("chat", "rate_limit:\n  rpm: 10\n"),
      "other.yaml": manifest("other", "rate_limit:\n  rpm: 10\n"),
    },
    async (setup) => {
      const chat = endpointNamed(setup.emulator, "chat");
      const other = endpointNamed(setup.emulator, "other");
      await setup.emulator.changeEndpoint(chat?.Id ?? "", { RateLimit: { Rpm: 99 } });
      // Someone changes `other` in the console while sync's apply reverts `chat`.
      whileApplying = () => setup.emulator.changeEndpoint(other?.Id ?? "", { RateLimit: { Rpm: 42 } });
      const first = await syncReport(setup);
      assert.is(first.code, 2, first.stderr);
      assert.equal(
        first.report.changes.map((change) => change.address),
        ["default/chat"],
      );
      assert.equal(first.report.left, [
        {
          address: "default/other",
          reason: "still_out_of_sync",
          message:
            "default/other: still OutOfSync after this reconcile (it changed while sync ran, or a step failed); the next reconcile looks again",
        },
      ]);
      const second = await syncReport(setup);
      assert.is(second.code, 0, second.stderr);
      assert.equal(
        second.report.changes.map((change) => change.detail),
        ["rate_limit.rpm 42 -> 10"],
      );
    },
    (record) => {
      if (record.action !== "UpdateEndpoint" || whileApplying === undefined) return;
      const change = whileApplying;
      whileApplying = undefined;
      void change();
    },
  );
});

test("an endpoint with ark-sync's tag that no state records is left, named, never adopted or deleted", async () => {
  await withApplied(
    {
      "ark-sync.yaml": config("  automated: true\n  self_heal: true\n  prune: true\n"),
      "chat.yaml": manifest("chat"),
    },
    async (setup) => {
      const orphan = await setup.emulator.seedEndpoint({
        Name: "orphan",
        ModelReference: { CustomModelId: "cm-2" },
        Tags: [{ Key: "ark-sync:address", Value: "default/orphan" }],
      });
      const { code, report, stderr } = await syncReport(setup);
      assert.is(code, 2, stderr);
      assert.equal(report.changes, []);
      assert.equal(
        report.left.map((left) => [left.reason, left.message]),
        [
          [
            "untracked",
            `default/orphan: ${orphan.Id} carries ark-sync's ownership tag but no state records it; sync never adopts or deletes it: import it or delete it`,
          ],
        ],
      );
      assert.ok(setup.emulator.getEndpoint(orphan.Id), "still there");
    },
  );
});

test("prune off: a removed manifest's endpoint is kept and said why (exit 2); on: deleted, visibly", async () => {
  await withApplied(
    {
      "ark-sync.yaml": config("  automated: true\n"),
      "chat.yaml": manifest("chat"),
      "embed.yaml": manifest("embed"),
    },
    async (setup) => {
      await unlink(join(setup.dir, "embed.yaml"));
      const off = await runSync(setup);
      assert.is(off.code, 2, off.stderr);
      assert.match(off.stdout, /^left: default\/embed: not in the manifests; kept \(prune is off\)$/m);
      assert.ok(endpointNamed(setup.emulator, "embed"));

      await writeFile(join(setup.dir, "ark-sync.yaml"), config("  automated: true\n  prune: true\n"));
      const embedId = endpointNamed(setup.emulator, "embed")?.Id ?? "";
      const on = await runSync(setup);
      assert.is(on.code, 0, on.stderr);
      assert.match(on.stdout, new RegExp(`^prune: default/embed delete ${embedId}$`, "m"));
      assert.is(endpointNamed(setup.emulator, "embed"), undefined);
      assert.ok(endpointNamed(setup.emulator, "chat"));
    },
  );
});

test("allow_replace off: a replacement the manifests ask for is blocked, nothing replaced, exit 2", async () => {
  await withApplied(
    {
      "ark-sync.yaml": config("  automated: true\n  self_heal: true\n  prune: true\n"),
      "chat.yaml": manifest("chat"),
    },
    async (setup) => {
      const before = endpointNamed(setup.emulator, "chat");
      await writeFile(
        join(setup.dir, "chat.yaml"),
        `apiVersion: ark-sync/v1\nkind: Endpoint\nname: chat\nmodel_reference:\n  custom_model_id: cm-2\n`,
      );
      const { code, report } = await syncReport(setup);
      assert.is(code, 2);
      assert.equal(report.changes, []);
      assert.equal(
        report.left.map((left) => [left.reason, left.message]),
        [
          [
            "replace_not_allowed",
            "default/chat: the manifests ask for a replace (model_reference.custom_model_id cm-1 -> cm-2); blocked (allow_replace is off): needs a person",
          ],
        ],
      );
      assert.equal(endpointNamed(setup.emulator, "chat"), before);
      assert.is(setup.emulator.listEndpoints().length, 1);
    },
  );
});

test("a directory with invalid manifests is a failed reconcile, exit 1, nothing read from Ark", async () => {
  await withApplied({ "chat.yaml": manifest("chat") }, async (setup) => {
    await writeFile(join(setup.dir, "chat.yaml"), "apiVersion: ark-sync/v1\nkind: Endpoint\nname: [\n");
    const { code, report, stderr } = await syncReport(setup);
    assert.is(code, 1);
    assert.is(report.result, "failed");
    assert.is(report.error?.code, "invalid_manifests");
    assert.match(stderr, /chat\.yaml:\d+:\d+/);
  });
});

test.run();
