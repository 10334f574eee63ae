// Overlays (docs/manifests.md#overlays-ark-syncyaml): a base with two endpoints and prod/staging
// overlays in real temporary folders, rendered, validated and planned in this process against the
// emulator; problems in an overlay reported where they were written.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as apply from "../../src/app/apply.js";
import { type ConnectionFlags, withConnection } from "../../src/app/directory-connection.js";
import * as plan from "../../src/app/plan.js";
import * as render from "../../src/app/render.js";
import * as validate from "../../src/app/validate.js";
import type { Plan } from "../../src/core/types.js";
import { type Emulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { loadManifests } from "../../src/manifest/load-manifests.js";
import { git } from "../state/helpers.js";
import { planOptionsFor, runLikeCli, testContext } from "./context.js";
import { writeTree } from "./file-tree.js";

const credentials = { accessKey: "AKLToverlayAccessKey01", secretKey: "overlay/Secret+Key==01" };
const env = { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey };

interface Context {
  emulator: Emulator;
  root: string;
}

const test = suite<Context>("overlays: ark-sync.yaml");

test.before.each(async (context) => {
  context.emulator = await startEmulator({ ...credentials, provisioningDelayMs: 10 });
  context.root = await mkdtemp(join(tmpdir(), "ark-sync-overlays-"));
  // Bases must lie in the repository that holds the directory (docs/manifests.md#overlays-ark-syncyaml).
  git(context.root, ["init", "--quiet"]);
});

test.after.each(async ({ emulator, root }) => {
  await emulator.close();
  await rm(root, { recursive: true, force: true });
});

const base = `apiVersion: ark-sync/v1
kind: Endpoint
name: chat
model_reference:
  foundation_model:
    name: doubao-1-5-pro-32k
    model_version: "250115"
rate_limit:
  tpm: 1000
  rpm: 10
---
apiVersion: ark-sync/v1
kind: Endpoint
name: search
description: semantic search
model_reference:
  foundation_model:
    name: doubao-1-5-pro-32k
    model_version: "250115"
tags:
  - key: team
    value: search
`;

const overlay = (env: string, tpm: number, extra = "") => `apiVersion: ark-sync/v1
kind: Config
bases: [../base]
name_suffix: -${env}
common_tags:
  - {key: env, value: ${env}}
  - {key: owner, value: platform}
patches:
  - target: default/chat
    patch:
      - {op: replace, path: /rate_limit/tpm, value: ${tpm}}
${extra}`;

const layout = {
  "base/endpoints.yaml": base,
  "prod/ark-sync.yaml": overlay("prod", 500000),
  "staging/ark-sync.yaml": overlay("staging", 2000),
};

test("render prints the resolved endpoints: suffixed, tagged unless set, the limit patched", async ({
  root,
}) => {
  await writeTree(root, layout);
  const prod = await runLikeCli(render.run, { dir: join(root, "prod") }, testContext());
  assert.is(prod.code, 0, prod.stderr);
  assert.is(
    prod.stdout,
    `apiVersion: ark-sync/v1
kind: Endpoint
name: chat-prod
model_reference:
  foundation_model:
    name: doubao-1-5-pro-32k
    model_version: "250115"
project_name: default
rate_limit:
  tpm: 500000
  rpm: 10
tags:
  - key: env
    value: prod
  - key: owner
    value: platform
---
apiVersion: ark-sync/v1
kind: Endpoint
name: search-prod
description: semantic search
model_reference:
  foundation_model:
    name: doubao-1-5-pro-32k
    model_version: "250115"
project_name: default
tags:
  - key: env
    value: prod
  - key: owner
    value: platform
  - key: team
    value: search
`,
  );
  const staging = await runLikeCli(render.run, { dir: join(root, "staging") }, testContext());
  assert.match(staging.stdout, "name: chat-staging\n");
  assert.match(staging.stdout, "tpm: 2000\n");
  const plain = await runLikeCli(render.run, { dir: join(root, "base") }, testContext());
  assert.match(plain.stdout, "name: chat\n");
  assert.match(plain.stdout, "tpm: 1000\n", "a base is not changed by its overlays");
});

test("a common tag an endpoint sets otherwise is not applied, with a warning naming both places", async ({
  emulator,
  root,
}) => {
  const shadowing = overlay("prod", 500000).replace(
    "  - {key: owner, value: platform}\n",
    "  - {key: owner, value: platform}\n  - {key: team, value: platform}\n",
  );
  await writeTree(root, { ...layout, "prod/ark-sync.yaml": `${shadowing}api_url: ${emulator.url}\n` });
  const warning = `${join(root, "prod/ark-sync.yaml")}:8:5: warning: common tag 'team' is not applied to 'default/search-prod': its manifest sets 'team' to 'search' at ${join(root, "base/endpoints.yaml")}:22:12, which wins over common_tags' 'platform'\n`;

  const validated = await runLikeCli(validate.run, { dir: join(root, "prod") }, testContext());
  assert.is(validated.code, 0, validated.stderr);
  assert.ok(validated.stderr.startsWith(warning), validated.stderr);

  const options: plan.PlanOptions = planOptionsFor(join(root, "prod"), { parallelism: 10 });
  const planned = await runLikeCli(plan.run, options, testContext({ env }));
  assert.is(planned.code, 0, planned.stderr);
  assert.ok(planned.stderr.startsWith(warning), planned.stderr);
  assert.match(planned.stdout, /"team" += "search"/);
  assert.match(planned.stdout, /"team" += "platform"/, "chat-prod, which sets no team, gets it");

  // The same value is no conflict.
  await writeFile(
    join(root, "prod/ark-sync.yaml"),
    shadowing.replace("{key: team, value: platform}", "{key: team, value: search}"),
  );
  assert.equal((await loadManifests(join(root, "prod"))).diagnostics, []);
});

test("plan creates the suffixed endpoints with the tags and the patched limit", async ({
  emulator,
  root,
}) => {
  await writeTree(root, {
    ...layout,
    "prod/ark-sync.yaml": `${overlay("prod", 500000)}api_url: ${emulator.url}\n`,
  });
  const options: plan.PlanOptions = {
    dir: join(root, "prod"),
    ark: { parallelism: 10 },
    json: true,
    detailedExitcode: true,
    refresh: true,
    targets: [],
    allowEmpty: false,
    arkDryRun: true,
  };
  const result = await runLikeCli(plan.run, options, testContext({ env }));
  assert.is(result.code, 2, result.stderr);
  assert.match(result.stderr, "Reading live endpoints from Ark (cn-beijing)", "api_url from ark-sync.yaml");
  const changes = (JSON.parse(result.stdout) as Plan).resource_changes;
  assert.equal(
    changes.map((change) => [change.address, change.change.actions]),
    [
      ["default/chat-prod", ["create"]],
      ["default/search-prod", ["create"]],
    ],
  );
  const chat = changes[0]?.change.after;
  assert.equal(chat?.rate_limit, { tpm: 500000, rpm: 10 });
  assert.equal(chat?.tags, [
    { key: "env", value: "prod" },
    { key: "owner", value: "platform" },
  ]);
  assert.equal(changes[1]?.change.after?.tags?.[2], { key: "team", value: "search" });
});

test("prod and staging apply side by side from one base, each with its own state, and converge", async ({
  emulator,
  root,
}) => {
  const withUrl = (stage: string, tpm: number) => `${overlay(stage, tpm)}api_url: ${emulator.url}\n`;
  await writeTree(root, {
    ...layout,
    "prod/ark-sync.yaml": withUrl("prod", 500000),
    "staging/ark-sync.yaml": withUrl("staging", 2000),
  });
  for (const stage of ["prod", "staging"]) {
    const dir = join(root, stage);
    const applied = await runLikeCli(
      apply.run,
      {
        path: dir,
        ark: { parallelism: 10 },
        autoApprove: true,
        allowEmpty: false,
        targets: [],
        waitTimeoutSeconds: 30,
        switchUndo: "rollback",
      },
      testContext({ env: env }),
    );
    assert.is(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, "Apply complete! Resources: 2 added, 0 changed, 0 destroyed.");
  }
  const byName = new Map(emulator.listEndpoints().map((endpoint) => [endpoint.Name, endpoint]));
  assert.equal([...byName.keys()].sort(), ["chat-prod", "chat-staging", "search-prod", "search-staging"]);
  assert.is(byName.get("chat-staging")?.RateLimit.Tpm, 2000);
  for (const stage of ["prod", "staging"]) {
    const options: plan.PlanOptions = {
      dir: join(root, stage),
      ark: { parallelism: 10 },
      json: true,
      detailedExitcode: true,
      refresh: true,
      targets: [],
      allowEmpty: false,
      arkDryRun: true,
    };
    const next = await runLikeCli(plan.run, options, testContext({ env: env }));
    assert.is(next.code, 0, `${stage}: No changes (exit 0 with --detailed-exitcode)\n${next.stderr}`);
  }
});

test("a saved plan applied with --dir talks to the Ark and state its ark-sync.yaml names", async ({
  emulator,
  root,
}) => {
  await writeTree(root, {
    ...layout,
    "prod/ark-sync.yaml": `${overlay("prod", 500000)}api_url: ${emulator.url}\nstate: local:state/prod.json\n`,
  });
  const dir = join(root, "prod");
  const planFile = join(root, "prod.plan.json");
  const planned = await runLikeCli(
    plan.run,
    {
      dir,
      out: planFile,
      ark: { parallelism: 10 },
      json: false,
      detailedExitcode: true,
      refresh: true,
      targets: [],
      allowEmpty: false,
      arkDryRun: true,
    },
    testContext({ env }),
  );
  assert.is(planned.code, 2, planned.stderr);
  const applyOptions = {
    path: planFile,
    dir,
    ark: { parallelism: 10 },
    autoApprove: true,
    allowEmpty: false,
    targets: [],
    waitTimeoutSeconds: 30,
    switchUndo: "rollback" as const,
  };
  const applied = await runLikeCli(apply.run, applyOptions, testContext({ env }));
  assert.is(applied.code, 0, applied.stderr);
  assert.equal(
    emulator
      .listEndpoints()
      .map((endpoint) => endpoint.Name)
      .sort(),
    ["chat-prod", "search-prod"],
  );
  const state = JSON.parse(await readFile(join(dir, "state/prod.json"), "utf8"));
  assert.equal(Object.keys(state.resources).sort(), ["default/chat-prod", "default/search-prod"]);

  await writeTree(root, { "prod/ark-sync.yaml": `${overlay("prod", 500000)}state: [local]\n` });
  const broken = await runLikeCli(apply.run, applyOptions, testContext({ env }));
  assert.is(broken.code, 1);
  assert.match(broken.stderr, "ark-sync.yaml:");
  assert.match(broken.stderr, "has problems, so the plan's state and Ark connection are unknown");
});

test("a patch path that does not exist is reported at the overlay's operation", async ({ root }) => {
  const extra = "      - {op: replace, path: /rate_limit/tmp, value: 5}\n";
  await writeTree(root, { ...layout, "prod/ark-sync.yaml": overlay("prod", 500000, extra) });
  const result = await runLikeCli(validate.run, { dir: join(root, "prod") }, testContext());
  assert.is(result.code, 1);
  assert.is(
    result.stderr,
    `${join(root, "prod/ark-sync.yaml")}:12:9: patch replace '/rate_limit/tmp' cannot apply to 'default/chat': the path does not exist in the endpoint\n1 error in 1 file.\n`,
  );
});

test("a value a patch adds is checked against the schema, at the operation", async ({ root }) => {
  const extra = "      - {op: add, path: /rate_limit/tpmm, value: 5}\n";
  await writeTree(root, { ...layout, "prod/ark-sync.yaml": overlay("prod", 500000, extra) });
  const { diagnostics } = await loadManifests(join(root, "prod"));
  assert.equal(
    diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`),
    [`${join(root, "prod/ark-sync.yaml")}:12:9: unknown attribute 'tpmm' in rate_limit; did you mean 'tpm'?`],
  );
});

test("a missing patch target is an error at the target, with a suggestion", async ({ root }) => {
  const config = overlay("prod", 500000).replace("target: default/chat", "target: default/chta");
  await writeTree(root, { ...layout, "prod/ark-sync.yaml": config });
  const { diagnostics, endpoints } = await loadManifests(join(root, "prod"));
  assert.equal(
    diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`),
    [
      "9:13: patch target 'default/chta' is no endpoint of the bases (an address <project_name>/<name> before name_prefix and name_suffix); did you mean 'default/chat'?",
    ],
  );
  assert.is(endpoints.length, 2);
});

test("a cycle of bases and a missing base are errors at the list item, named as the directory given names them", async ({
  root,
}) => {
  await writeTree(root, {
    "a/ark-sync.yaml": "apiVersion: ark-sync/v1\nkind: Config\nbases: [../b]\n",
    "b/ark-sync.yaml": "apiVersion: ark-sync/v1\nkind: Config\nbases:\n  - ../a\n  - ../gone\n",
  });
  // As a user in the working folder would name it; the folder's real path never shows.
  const here = relative(process.cwd(), root);
  const result = await runLikeCli(validate.run, { dir: join(here, "a") }, testContext());
  assert.is(result.code, 1);
  assert.is(
    result.stderr,
    `${here}/b/ark-sync.yaml:4:5: bases form a cycle: ${here}/a -> ${here}/b -> ${here}/a\n` +
      `${here}/b/ark-sync.yaml:5:5: base '${here}/gone' does not exist\n` +
      "2 errors in 1 file.\n",
  );
  const started = process.cwd();
  process.chdir(join(root, "a"));
  try {
    const fromInside = await loadManifests(".");
    assert.equal(
      fromInside.diagnostics.map(({ message }) => message),
      ["bases form a cycle: . -> ../b -> .", "base '../gone' does not exist"],
    );
  } finally {
    process.chdir(started);
  }
});

test("defaults fill only what a manifest leaves out; a bad default is reported at the default", async ({
  root,
}) => {
  await writeTree(root, {
    ...layout,
    "prod/ark-sync.yaml": `${overlay("prod", 500000)}defaults:\n  description: from the overlay\n  rate_limit: {rpm: 99}\n`,
  });
  const { endpoints, diagnostics } = await loadManifests(join(root, "prod"));
  assert.equal(diagnostics, []);
  const [chat, search] = endpoints;
  assert.is(chat?.attributes.description, "from the overlay");
  assert.equal(
    chat?.attributes.rate_limit,
    { tpm: 500000, rpm: 10 },
    "the manifest's rate_limit stays whole",
  );
  assert.is(search?.attributes.description, "semantic search");
  assert.equal(search?.attributes.rate_limit, { rpm: 99 });

  await writeFile(
    join(root, "prod/ark-sync.yaml"),
    `${overlay("prod", 1)}defaults:\n  moderation: {strategy: Strict}\n`,
  );
  const bad = await loadManifests(join(root, "prod"));
  assert.equal(
    bad.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`),
    ["13:15: moderation.strategy must be one of Default, Basic"],
  );
});

test("ark-sync.yaml is never read as an endpoint, and its own problems are file:line:col", async ({
  root,
}) => {
  await writeTree(root, {
    "dir/ark-sync.yaml": "apiVersion: ark-sync/v1\nkind: Config\nname_prefix: team-\n",
    "dir/chat.yaml": base.split("---\n")[0] ?? "",
  });
  const ok = await runLikeCli(validate.run, { dir: join(root, "dir") }, testContext());
  assert.is(ok.stdout, "Success! 1 endpoint in 1 file is valid.\n");
  assert.equal(
    (await loadManifests(join(root, "dir"))).endpoints.map((e) => e.address),
    ["default/team-chat"],
  );

  await writeFile(
    join(root, "dir/ark-sync.yaml"),
    "apiVersion: ark-sync/v1\nkind: Config\nname_prefx: team-\n",
  );
  const bad = await runLikeCli(validate.run, { dir: join(root, "dir") }, testContext());
  assert.is(bad.code, 1);
  assert.match(
    bad.stderr,
    `${join(root, "dir/ark-sync.yaml")}:3:1: unknown attribute 'name_prefx'; did you mean 'name_prefix'?`,
  );
});

test("two endpoints resolving to one address are an error naming both places", async ({ root }) => {
  await writeTree(root, {
    ...layout,
    "prod/chat.yaml": (base.split("---\n")[0] ?? "").replace("name: chat", "name: chat-prod"),
    "prod/ark-sync.yaml": overlay("prod", 500000).replace("name_suffix: -prod", ""),
  });
  const { diagnostics } = await loadManifests(join(root, "prod"));
  assert.equal(
    diagnostics.map((d) => d.code),
    [],
  );

  await writeFile(join(root, "prod/chat.yaml"), base.split("---\n")[0] ?? "");
  const clash = await loadManifests(join(root, "prod"));
  assert.equal(
    clash.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`),
    [
      `${join(root, "prod/chat.yaml")}:3:7: duplicate address 'default/chat' (<project_name>/<name>): first defined at ${join(root, "base/endpoints.yaml")}:3:7`,
    ],
  );
});

test("flags and environment beat ark-sync.yaml's region, API URL and state; its local state is in the directory", async ({
  root,
}) => {
  await writeTree(root, {
    ...layout,
    "prod/ark-sync.yaml": `${overlay("prod", 1)}region: cn-shanghai\napi_url: http://config\nstate: local:state/prod.json\n`,
  });
  const { connection } = await loadManifests(join(root, "prod"));
  assert.equal(connection, {
    region: "cn-shanghai",
    apiUrl: "http://config",
    state: `local:${join(root, "prod/state/prod.json")}`,
  });
  const noFlags: ConnectionFlags & { ark: { parallelism: number } } = { ark: { parallelism: 1 } };
  const fromConfig = withConnection(noFlags, connection);
  assert.equal(fromConfig, {
    ark: { parallelism: 1, region: "cn-shanghai", apiUrl: "http://config" },
    state: connection.state,
  });
  const flags: ConnectionFlags & { ark: { parallelism: number } } = {
    ark: { parallelism: 1, region: "cn-beijing", apiUrl: "http://flag" },
    state: "git:ark-sync-state",
  };
  const fromFlags = withConnection(flags, connection);
  assert.equal(fromFlags, {
    ark: { parallelism: 1, region: "cn-beijing", apiUrl: "http://flag" },
    state: "git:ark-sync-state",
  });
  assert.equal(withConnection(noFlags, {}).ark.region, "cn-beijing");
});

test.run();
