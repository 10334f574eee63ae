// `ark-sync sync`'s notifications and audit against the emulator and a local HTTP listener as the
// webhook: one notification per change of state across consecutive syncs, a failing webhook retried
// and never failing the sync (nor printing its URL), the Lark and Slack payload shapes, and self-heal
// on the git backend, whose state commit and history say what changed and why.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as sync from "../../src/app/sync.js";
import type { StateDocument } from "../../src/core/types.js";
import { type Emulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { git } from "../state/helpers.js";
import { applyDirectory } from "./applied-directory.js";
import { runLikeCli, testContext } from "./context.js";
import { startWebhookListener, type WebhookListener } from "./webhook-listener.js";

const credentials = { accessKey: "AKLTnotifyKey01", secretKey: "notify/Secret+Key==01" };
const arkEnv = { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey };

const chat = (rpm: number) =>
  `apiVersion: ark-sync/v1\nkind: Endpoint\nname: chat\nmodel_reference:\n  custom_model_id: cm-1\nrate_limit:\n  rpm: ${rpm}\n`;

interface Setup {
  emulator: Emulator;
  dir: string;
  ark: { apiUrl: string; region: string; parallelism: number };
}

async function withApplied(
  config: string,
  body: (setup: Setup) => Promise<void>,
  repo?: (dir: string) => void,
) {
  const emulator = await startEmulator({ ...credentials, provisioningDelayMs: 0 });
  const root = await mkdtemp(join(tmpdir(), "ark-sync-notify-"));
  const dir = join(root, "work", "manifests");
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "ark-sync.yaml"), `apiVersion: ark-sync/v1\nkind: Config\n${config}`);
    await writeFile(join(dir, "chat.yaml"), chat(10));
    repo?.(root);
    const ark = { apiUrl: emulator.url, region: "cn-beijing", parallelism: 10 };
    await applyDirectory(dir, ark, { cwd: dir, env: arkEnv });
    await body({ emulator, dir, ark });
  } finally {
    await emulator.close();
    await rm(root, { recursive: true, force: true });
  }
}

/** A sync whose back-off waits are recorded instead of slept. */
async function runSync(setup: Setup, env: Record<string, string>, sleeps: number[] = []) {
  const result = await runLikeCli(
    sync.run,
    { dir: setup.dir, ark: setup.ark, json: true, waitTimeoutSeconds: 30, switchUndo: "rollback" },
    testContext({
      cwd: setup.dir,
      env: { ...arkEnv, ...env },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    }),
  );
  return { ...result, report: JSON.parse(result.stdout) as sync.SyncReport };
}

async function withListener(statuses: number[], body: (listener: WebhookListener) => Promise<void>) {
  const listener = await startWebhookListener(statuses);
  try {
    await body(listener);
  } finally {
    await listener.close();
  }
}

const chatId = (emulator: Emulator) => emulator.listEndpoints().find((e) => e.Name === "chat")?.Id ?? "";

interface JsonNotification {
  event: string;
  events: string[];
  report: sync.SyncReport;
}

test("report only: one notification per change of drift, none while nothing changes", async () => {
  await withListener([], async (listener) => {
    await withApplied(
      "notify:\n  - url_env: HOOK\n    format: json\n    on: [drift, applied]\n",
      async (setup) => {
        const env = { HOOK: listener.url };
        const clean = await runSync(setup, env);
        assert.is(clean.code, 0, clean.stderr);
        assert.is(listener.bodies.length, 0);

        await setup.emulator.changeEndpoint(chatId(setup.emulator), { RateLimit: { Rpm: 99 } });
        const first = await runSync(setup, env);
        assert.is(first.code, 2, first.stderr);
        const second = await runSync(setup, env);
        assert.is(second.code, 2, second.stderr);
        assert.is(listener.bodies.length, 1, "two syncs of the same drift notify once");
        const [drift] = listener.bodies as JsonNotification[];
        assert.is(drift?.event, "drift");
        assert.equal(drift?.report.drift, [
          "default/chat: rate_limit.rpm 10 -> 99 (changed outside ark-sync)",
        ]);
        assert.match(first.stderr, /Notified 127\.0\.0\.1:\d+ \(json\): drift\./);

        await setup.emulator.changeEndpoint(chatId(setup.emulator), { RateLimit: { Rpm: 98 } });
        await runSync(setup, env);
        assert.is(listener.bodies.length, 2, "a different drift is news");

        await setup.emulator.changeEndpoint(chatId(setup.emulator), { RateLimit: { Rpm: 10 } });
        const healed = await runSync(setup, env);
        assert.is(healed.code, 0, healed.stderr);
        await setup.emulator.changeEndpoint(chatId(setup.emulator), { RateLimit: { Rpm: 98 } });
        await runSync(setup, env);
        assert.is(listener.bodies.length, 3, "drift that returns after it was gone is news again");
      },
    );
  });
});

test("a failing webhook is retried with back-off, never fails the sync nor prints its URL, and is tried again next time", async () => {
  await withListener([500, 503, 500, 502], async (listener) => {
    await withApplied("notify:\n  - url_env: HOOK\n    format: json\n    on: [drift]\n", async (setup) => {
      await setup.emulator.changeEndpoint(chatId(setup.emulator), { RateLimit: { Rpm: 99 } });
      const sleeps: number[] = [];
      const first = await runSync(setup, { HOOK: listener.url }, sleeps);
      assert.is(first.code, 2, first.stderr);
      assert.is(first.report.result, "out-of-sync");
      assert.is(listener.bodies.length, 3);
      assert.equal(sleeps, [1000, 2000]);
      assert.match(
        first.stderr,
        /Warning: could not notify 127\.0\.0\.1:\d+ \(json\) after 3 attempts: HTTP 500; the next reconcile tries again\./,
      );
      assert.not.ok(first.stderr.includes("s3cr3t"), first.stderr);
      assert.not.ok(first.stdout.includes("s3cr3t"));

      // Not recorded as notified: the next sync tries again (one 502, then delivered).
      const second = await runSync(setup, { HOOK: listener.url });
      assert.is(listener.bodies.length, 5);
      assert.match(second.stderr, /Notified 127\.0\.0\.1:\d+ \(json\): drift\./);
      await runSync(setup, { HOOK: listener.url });
      assert.is(listener.bodies.length, 5);
    });
  });
});

test("a failed reconcile is notified once, with the error, while it keeps failing the same way", async () => {
  await withListener([], async (listener) => {
    await withApplied("notify:\n  - url_env: HOOK\n    format: json\n    on: [failed]\n", async (setup) => {
      await writeFile(join(setup.dir, "chat.yaml"), "apiVersion: ark-sync/v1\nkind: Endpoint\nname: [\n");
      const first = await runSync(setup, { HOOK: listener.url });
      assert.is(first.code, 1, first.stderr);
      await runSync(setup, { HOOK: listener.url });
      assert.is(listener.bodies.length, 1);
      const [failed] = listener.bodies as JsonNotification[];
      assert.is(failed?.event, "failed");
      assert.is(failed?.report.error?.code, "invalid_manifests");

      await writeFile(join(setup.dir, "chat.yaml"), chat(10));
      const fixed = await runSync(setup, { HOOK: listener.url });
      assert.is(fixed.code, 0, fixed.stderr);
      assert.is(listener.bodies.length, 1, "recovery is not an event these webhooks hear");
    });
  });
});

test("a webhook whose variable is unset is a warning naming the entry; the sync goes on", async () => {
  await withApplied(
    "notify:\n  - url_env: NOT_SET_HOOK\n    format: slack\n    on: [drift]\n",
    async (setup) => {
      const result = await runSync(setup, {});
      assert.is(result.code, 0, result.stderr);
      assert.match(
        result.stderr,
        /Warning: .*ark-sync\.yaml:4:5: the webhook's NOT_SET_HOOK is not set, so it is not notified\./,
      );
    },
  );
});

test("Lark gets an interactive card and Slack text with blocks, each with the directory, the change and the links", async () => {
  await withListener([], async (lark) => {
    await withListener([], async (slack) => {
      await withApplied(
        [
          "sync:\n  automated: true\n  self_heal: true\n",
          "notify:\n",
          "  - url_env: LARK\n    format: lark\n    on: [applied]\n",
          "  - url_env: SLACK\n    format: slack\n    on: [applied]\n",
        ].join(""),
        async (setup) => {
          await setup.emulator.changeEndpoint(chatId(setup.emulator), { RateLimit: { Rpm: 99 } });
          const result = await runLikeCli(
            sync.run,
            {
              dir: setup.dir,
              ark: setup.ark,
              json: false,
              waitTimeoutSeconds: 30,
              switchUndo: "rollback",
              trigger: {
                commit: "0123456789abcdef0123456789abcdef01234567",
                url: "https://ci.example/runs/7",
              },
            },
            testContext({ env: { ...arkEnv, LARK: lark.url, SLACK: slack.url } }),
          );
          assert.is(result.code, 0, result.stderr);
          assert.is(lark.bodies.length, 1);
          assert.is(slack.bodies.length, 1);
          const title = `ark-sync: ${setup.dir} synced 1 change`;
          const line = "self-heal: default/chat rate&#95;limit.rpm 99 -&#62; 10";
          const card = lark.bodies[0] as {
            msg_type: string;
            card: {
              header: { title: { tag: string; content: string }; template: string };
              elements: unknown[];
            };
          };
          assert.is(card.msg_type, "interactive");
          assert.equal(card.card.header, { title: { tag: "plain_text", content: title }, template: "green" });
          assert.equal(card.card.elements, [
            { tag: "markdown", content: `**Directory:** ${setup.dir.replaceAll("_", "&#95;")}` },
            { tag: "markdown", content: `**Applied**\n- ${line}` },
            { tag: "hr" },
            { tag: "markdown", content: "Commit 0123456789ab · [Open the run](https://ci.example/runs/7)" },
          ]);
          assert.equal(slack.bodies[0], {
            text: title,
            blocks: [
              { type: "header", text: { type: "plain_text", text: title } },
              {
                type: "section",
                text: {
                  type: "mrkdwn",
                  text: "*Applied*\n• self-heal: default/chat rate_limit.rpm 99 -&gt; 10",
                },
              },
              {
                type: "context",
                elements: [
                  {
                    type: "mrkdwn",
                    text: `directory \`${setup.dir}\` · commit \`0123456789ab\` · <https://ci.example/runs/7|open the run>`,
                  },
                ],
              },
            ],
          });
        },
      );
    });
  });
});

test("self-heal on the git backend: reverted in place, and the state commit and history say what and why", async () => {
  let origin = "";
  await withApplied(
    "state: git:ark-sync-state\nsync:\n  automated: true\n  self_heal: true\n",
    async (setup) => {
      const id = chatId(setup.emulator);
      await setup.emulator.changeEndpoint(id, { RateLimit: { Rpm: 99 } });
      const { code, report, stderr } = await runSync(setup, {});
      assert.is(code, 0, stderr);
      assert.equal(
        report.changes.map((change) => [change.why, change.address, change.detail]),
        [["self-heal", "default/chat", "rate_limit.rpm 99 -> 10"]],
      );
      assert.is(setup.emulator.getEndpoint(id)?.RateLimit.Rpm, 10);

      const subjects = git(origin, ["log", "--format=%s", "ark-sync-state"]).trim().split("\n");
      assert.ok(subjects.includes("self-heal: default/chat rate_limit.rpm 99 -> 10"), subjects.join("\n"));
      const state = JSON.parse(git(origin, ["show", "ark-sync-state:state.json"])) as StateDocument;
      assert.equal(
        state.sync?.history.map((entry) => entry.line),
        ["self-heal: default/chat rate_limit.rpm 99 -> 10"],
      );
      assert.match(state.sync?.history[0]?.commit ?? "", /^[0-9a-f]{40}$/);
    },
    (root) => {
      origin = join(root, "origin.git");
      git(root, ["init", "--quiet", "--bare", "--initial-branch=main", origin]);
      git(join(root, "work"), ["init", "--quiet", "--initial-branch=main"]);
      git(join(root, "work"), ["remote", "add", "origin", origin]);
      git(join(root, "work"), ["add", "."]);
      git(join(root, "work"), ["commit", "--quiet", "-m", "manifests"]);
      git(join(root, "work"), ["push", "--quiet", "origin", "main"]);
    },
  );
});

test.run();
