// ark-sync.yaml's sync policy and webhooks (docs/sync.md): read into the directory's rules with their
// defaults, and every bad value an error at ark-sync.yaml:line:col; a webhook URL written in the
// file is a warning that never quotes it.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadConfig } from "../../src/manifest/load-config.js";

async function load(body: string) {
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-sync-config-"));
  try {
    await writeFile(join(dir, "ark-sync.yaml"), `apiVersion: ark-sync/v1\nkind: Config\n${body}`);
    const loaded = await loadConfig(dir);
    const shown = loaded.diagnostics.map(
      (d) => `${d.file.slice(dir.length + 1)}:${d.line}:${d.col}: ${d.severity}: ${d.message}`,
    );
    return { ...loaded, shown };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("no sync: and no notify: leave the directory report only, with no webhooks", async () => {
  const { config, shown } = await load("");
  assert.equal(shown, []);
  assert.is(config?.rules.sync, undefined);
  assert.is(config?.rules.notify, undefined);
});

test("sync: flags default to false one by one; notify: entries keep where they are written", async () => {
  const { config, shown } = await load(
    "sync:\n  automated: true\n  prune: true\nnotify:\n  - url_env: HOOK\n    format: lark\n    on: [drift, failed]\n",
  );
  assert.equal(shown, []);
  assert.equal(config?.rules.sync, { automated: true, selfHeal: false, prune: true, allowReplace: false });
  const [webhook] = config?.rules.notify ?? [];
  assert.equal(webhook?.url, { env: "HOOK" });
  assert.is(webhook?.format, "lark");
  assert.equal(webhook?.on, ["drift", "failed"]);
  assert.equal([webhook?.at.line, webhook?.at.col], [7, 5]);
});

test("bad values are errors where they are written", async () => {
  const { config, shown } = await load(
    [
      "sync:",
      "  automated: yes please",
      "  self_hael: true",
      "notify:",
      "  - url_env: 9LIVES",
      "    format: teams",
      "    on: [drift, deployed]",
      "  - url: ftp://example.com/hook",
      "    format: json",
      "    on: []",
      "",
    ].join("\n"),
  );
  assert.is(config, undefined);
  assert.equal(shown, [
    "ark-sync.yaml:5:3: error: unknown attribute 'self_hael' in sync; did you mean 'self_heal'?",
    "ark-sync.yaml:4:14: error: sync.automated must be true or false; YAML 1.2 reads 'yes please' as a string",
    "ark-sync.yaml:7:14: error: notify[0].url_env must be an environment variable name (letters, digits and _)",
    "ark-sync.yaml:8:13: error: notify[0].format must be one of json, lark, slack",
    "ark-sync.yaml:9:17: error: notify[0].on[1] must be one of drift, applied, failed, blocked",
    "ark-sync.yaml:10:10: error: notify[1].url must be an http:// or https:// URL",
    "ark-sync.yaml:12:9: error: notify[1].on must NOT have fewer than 1 items",
  ]);
});

test("a webhook needs exactly one of url_env and url", async () => {
  const { shown } = await load(
    "notify:\n  - format: json\n    on: [failed]\n  - url_env: A\n    url: https://example.com/x\n    format: json\n    on: [failed]\n",
  );
  assert.equal(shown, [
    "ark-sync.yaml:4:5: error: notify[0] needs exactly one of url_env (recommended: the URL is a credential) and url",
    "ark-sync.yaml:6:5: error: notify[1] needs exactly one of url_env (recommended: the URL is a credential) and url",
  ]);
});

test("a URL written in the file is allowed, with a warning that does not quote it", async () => {
  const url = "https://open.feishu.cn/open-apis/bot/v2/hook/0f1e2d3c-secret-token";
  const { config, shown } = await load(`notify:\n  - url: ${url}\n    format: lark\n    on: [drift]\n`);
  assert.equal(config?.rules.notify?.[0]?.url, { literal: url });
  assert.equal(shown, [
    "ark-sync.yaml:4:10: warning: notify[0].url writes the webhook URL, a credential, into the repository; prefer url_env and keep the URL in a secret",
  ]);
  assert.not.ok(shown.join("\n").includes("secret-token"));
});

test.run();
