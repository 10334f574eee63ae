// `ark-sync sync`'s ceilings (docs/sync.md#safety-rules) in this process against the emulator: a
// repository that turns on prune, allow_replace or a high max_destroy is held back by the operator's
// --no-prune, --no-replace and --max-destroy, each said with why, and nothing is destroyed or
// replaced; without the flags the same directory is synced as before. Through the command line: a
// ceiling from the environment, and --watch holding one on every reconcile.
import { unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as sync from "../../src/app/sync.js";
import { runCommandLine } from "../../src/cli/command-line.js";
import type { Emulator } from "../../src/emulator/start-emulator.js";
import { type AppliedDirectory, withApplied as withAppliedDirectory } from "./applied-directory.js";
import { recordIo, runLikeCli, testContext } from "./context.js";
import { startWebhookListener } from "./webhook-listener.js";

const credentials = { accessKey: "AKLTceilKey01", secretKey: "ceil/Secret+Key==01" };
const env = { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey };

const manifest = (name: string, model = "cm-1") =>
  `apiVersion: ark-sync/v1\nkind: Endpoint\nname: ${name}\nmodel_reference:\n  custom_model_id: ${model}\n`;
const config = (lines: string) => `apiVersion: ark-sync/v1\nkind: Config\n${lines}`;
const everything = "sync:\n  automated: true\n  self_heal: true\n  prune: true\n  allow_replace: true\n";

const withApplied = (files: Record<string, string>, body: (setup: AppliedDirectory) => Promise<void>) =>
  withAppliedDirectory(files, credentials, body);

async function syncReport(setup: AppliedDirectory, ceilings?: sync.SyncCeilings, extraEnv = {}) {
  const result = await runLikeCli(
    sync.run,
    {
      dir: setup.dir,
      ark: setup.ark,
      json: true,
      waitTimeoutSeconds: 30,
      switchUndo: "rollback",
      ...(ceilings === undefined ? {} : { ceilings }),
    },
    testContext({ env: { ...env, ...extraEnv } }),
  );
  return { ...result, report: JSON.parse(result.stdout) as sync.SyncReport };
}

const unwrapped = (text: string) => text.replace(/\s+/g, " ");

const named = (emulator: Emulator, name: string) =>
  emulator.listEndpoints().find((endpoint) => endpoint.Name === name);

test("prune: true with --no-prune keeps the endpoint and says why (exit 2); without the flag it is pruned", async () => {
  await withApplied(
    { "ark-sync.yaml": config(everything), "chat.yaml": manifest("chat"), "embed.yaml": manifest("embed") },
    async (setup) => {
      await unlink(join(setup.dir, "embed.yaml"));
      const embedId = named(setup.emulator, "embed")?.Id ?? "";
      const held = await syncReport(setup, { noPrune: true, noReplace: false });
      assert.is(held.code, 2, held.stderr);
      assert.is(held.report.result, "out-of-sync");
      assert.equal(held.report.changes, []);
      assert.equal(
        held.report.left.map((left) => [left.reason, left.message]),
        [
          [
            "prune_disabled",
            "default/embed: not in the manifests; kept (pruning is disabled by the operator: --no-prune)",
          ],
        ],
      );
      assert.is(named(setup.emulator, "embed")?.Id, embedId);

      const today = await syncReport(setup);
      assert.is(today.code, 0, today.stderr);
      assert.equal(
        today.report.changes.map((change) => [change.why, change.address, change.detail]),
        [["prune", "default/embed", `delete ${embedId}`]],
      );
      assert.is(named(setup.emulator, "embed"), undefined);
    },
  );
});

test("allow_replace: true with --no-replace leaves the replacement, blocked and notified so; without it, replaced", async () => {
  const hook = await startWebhookListener();
  try {
    await withApplied(
      {
        "ark-sync.yaml": config(
          `${everything}notify:\n  - url_env: HOOK\n    format: json\n    on: [blocked]\n`,
        ),
        "chat.yaml": manifest("chat"),
      },
      async (setup) => {
        const before = named(setup.emulator, "chat");
        await writeFile(join(setup.dir, "chat.yaml"), manifest("chat", "cm-2"));
        const held = await syncReport(setup, { noPrune: false, noReplace: true }, { HOOK: hook.url });
        assert.is(held.code, 2, held.stderr);
        assert.equal(held.report.changes, []);
        assert.equal(
          held.report.left.map((left) => [left.reason, left.message]),
          [
            [
              "replace_disabled",
              "default/chat: the manifests ask for a replace (model_reference.custom_model_id cm-1 -> cm-2); blocked (replacement disabled by the operator: --no-replace): needs a person",
            ],
          ],
        );
        assert.equal(named(setup.emulator, "chat"), before);
        assert.equal(
          hook.bodies.map((body) => (body as { event: string }).event),
          ["blocked"],
        );

        const today = await syncReport(setup, undefined, { HOOK: hook.url });
        assert.is(today.code, 0, today.stderr);
        assert.equal(
          today.report.changes.map((change) => [change.why, change.action]),
          [["automated", "replace"]],
        );
        assert.is.not(named(setup.emulator, "chat")?.Id, before?.Id);
      },
    );
  } finally {
    await hook.close();
  }
});

test("--max-destroy 1 with two removed manifests fails the reconcile as max_destroy does, names the flag, destroys nothing", async () => {
  await withApplied(
    {
      // The repository allows 5: the operator's 1 is the lower.
      "ark-sync.yaml": config(`max_destroy: 5\n${everything}`),
      "chat.yaml": manifest("chat"),
      "embed.yaml": manifest("embed"),
      "search.yaml": manifest("search"),
    },
    async (setup) => {
      await unlink(join(setup.dir, "embed.yaml"));
      await unlink(join(setup.dir, "search.yaml"));
      const over = await syncReport(setup, { noPrune: false, noReplace: false, maxDestroy: 1 });
      assert.is(over.code, 1, over.stderr);
      assert.is(over.report.result, "failed");
      assert.is(over.report.error?.code, "plan_has_errors");
      // The report, and so a `failed` webhook, says which limit: not only that the plan had errors.
      assert.match(over.report.error?.message ?? "", "more than the 1 that --max-destroy allows");
      // The plan's error, as apply prints it (wrapped to the width).
      assert.match(
        unwrapped(over.stderr),
        "This plan would destroy or replace 2 endpoints, more than the 1 that --max-destroy allows (set by whoever runs sync; ark-sync.yaml cannot raise it).",
      );
      assert.equal(over.report.changes, []);
      assert.is(setup.emulator.listEndpoints().length, 3);

      // The lower limit is ark-sync.yaml's: it is named, as today.
      await writeFile(join(setup.dir, "ark-sync.yaml"), config(`max_destroy: 1\n${everything}`));
      const yaml = await syncReport(setup, { noPrune: false, noReplace: false, maxDestroy: 5 });
      assert.is(yaml.code, 1, yaml.stderr);
      assert.match(unwrapped(yaml.stderr), "more than max_destroy (1) in ark-sync.yaml allows");
      assert.is(setup.emulator.listEndpoints().length, 3);

      // Within the flag's limit, and no limit in ark-sync.yaml: pruned.
      await writeFile(join(setup.dir, "ark-sync.yaml"), config(everything));
      const pruned = await syncReport(setup, { noPrune: false, noReplace: false, maxDestroy: 2 });
      assert.is(pruned.code, 0, pruned.stderr);
      assert.equal(
        setup.emulator.listEndpoints().map((endpoint) => endpoint.Name),
        ["chat"],
      );
    },
  );
});

test("the command line: ARK_SYNC_PRUNE=false is --no-prune, and --max-destroy reaches the reconcile", async () => {
  await withApplied(
    { "ark-sync.yaml": config(everything), "chat.yaml": manifest("chat"), "embed.yaml": manifest("embed") },
    async (setup) => {
      await unlink(join(setup.dir, "embed.yaml"));
      const run = async (args: string[], variables: Record<string, string> = {}) => {
        const io = recordIo();
        let code = -1;
        Object.assign(process.env, variables);
        try {
          await runCommandLine(["sync", setup.dir, "--api-url", setup.ark.apiUrl, ...args], {
            context: () => testContext({ io, env }),
            exit: (exitCode) => {
              code = exitCode;
            },
          });
        } finally {
          for (const key of Object.keys(variables)) delete process.env[key];
        }
        return { code, stdout: io.stdout, stderr: io.stderr };
      };
      const held = await run([], { ARK_SYNC_PRUNE: "false" });
      assert.is(held.code, 2, held.stderr);
      assert.match(
        held.stdout,
        /^left: default\/embed: not in the manifests; kept \(pruning is disabled by the operator: --no-prune\)$/m,
      );
      const over = await run(["--max-destroy", "0"]);
      assert.is(over.code, 1, over.stderr);
      assert.match(unwrapped(over.stderr), "more than the 0 that --max-destroy allows");
      assert.ok(named(setup.emulator, "embed"));
    },
  );
});

test("sync --watch: the ceilings hold for every reconcile it runs", async () => {
  await withApplied(
    { "ark-sync.yaml": config(everything), "chat.yaml": manifest("chat"), "embed.yaml": manifest("embed") },
    async (setup) => {
      await unlink(join(setup.dir, "embed.yaml"));
      const io = recordIo();
      const ctx = testContext({ io, env });
      const args = ["sync", setup.dir, "--watch", "--interval", "50ms", "--json", "--no-prune"];
      const watching = runCommandLine([...args, "--api-url", setup.ark.apiUrl], {
        context: () => ctx,
        exit: () => {},
      });
      const reconciles = () =>
        io.stdout
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { event: string; result?: string; changes?: string[] })
          .filter((line) => line.event === "reconcile");
      try {
        // Bounded by a hang guard, not a timing assertion.
        for (let waited = 0; reconciles().length < 2; waited += 20) {
          if (waited > 30_000) throw new Error(`no second reconcile: ${io.stderr}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      } finally {
        ctx.signals.emit("SIGTERM");
        await watching;
      }
      for (const line of reconciles()) {
        assert.is(line.result, "out-of-sync", io.stderr);
        assert.equal(line.changes, []);
      }
      assert.ok(named(setup.emulator, "embed"));
    },
  );
});

test.run();
