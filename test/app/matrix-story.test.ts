// The workflow docs/commands.md#projects describes: a fleet repository (one base, prod and staging overlays
// each with its own local state) whose CI lists its projects with `projects --json` and runs `plan` and
// `apply` once per matrix entry, with nothing but the entry's `dir`; then a branch that changes one
// overlay, and one that changes the base, each planning only what `--changed-since` lists. Real git,
// the emulator for Ark, every command run in this process as the CLI would run it.
import { basename } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as apply from "../../src/app/apply.js";
import * as plan from "../../src/app/plan.js";
import * as projects from "../../src/app/projects.js";
import { type Emulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { git, makeTempDir } from "../state/helpers.js";
import { runLikeCli, testContext } from "./context.js";
import { writeTree } from "./file-tree.js";

const credentials = { accessKey: "AKLTmatrixStoryKey001", secretKey: "matrix/Story+Secret==01" };
const env = { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey };

interface Context {
  emulator: Emulator;
  root: string;
  remove(): void;
}

const test = suite<Context>("story: projects --json feeds a matrix of plan and apply");

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
model_reference:
  foundation_model:
    name: doubao-1-5-pro-32k
    model_version: "250115"
tags:
  - {key: team, value: search}
`;

const overlay = (stage: string, extra = "") => `apiVersion: ark-sync/v1
kind: Config
bases: [../../base]
name_suffix: -${stage}
common_tags:
  - {key: env, value: ${stage}}
state: local:state.json
${extra}`;

const tpmPatch = `patches:
  - target: default/chat
    patch:
      - {op: replace, path: /rate_limit/tpm, value: 500000}
`;

test.before(async (context) => {
  context.emulator = await startEmulator({ ...credentials, provisioningDelayMs: 10 });
  const temp = makeTempDir("matrix-story");
  Object.assign(context, { root: temp.path, remove: temp.remove });
  await writeTree(context.root, {
    "base/endpoints.yaml": base,
    "envs/prod/ark-sync.yaml": overlay("prod"),
    "envs/staging/ark-sync.yaml": overlay("staging"),
  });
  git(context.root, ["init", "--quiet", "--initial-branch=main"]);
  commit(context.root, "fleet");
});

test.after(async ({ emulator, remove }) => {
  await emulator.close();
  remove();
});

function commit(root: string, message: string): void {
  git(root, ["add", "-A"]);
  git(root, ["commit", "--quiet", "-m", message]);
}

interface MatrixEntry {
  dir: string;
  region: string | null;
  api_url: string | null;
  state: string | null;
  environment: string;
}

/** `projects ROOT --json [--changed-since REF]`, parsed as the matrix a workflow reads. */
async function matrix(root: string, changedSince?: string): Promise<MatrixEntry[]> {
  const options = { root, json: true, ...(changedSince === undefined ? {} : { changedSince }) };
  const listed = await runLikeCli(projects.run, options, testContext({ cwd: root }));
  assert.is(listed.code, 0, listed.stderr);
  assert.is(listed.stderr, "");
  return (JSON.parse(listed.stdout) as { include: MatrixEntry[] }).include;
}

/** The emulator's address: the one connection setting CI would give here (as --api-url). */
const arkOf = ({ emulator }: Context) => ({ apiUrl: emulator.url, parallelism: 10 });

/** `plan DIR --detailed-exitcode`, every other option at the CLI's default. */
function planEntry(context: Context, entry: MatrixEntry) {
  const options: plan.PlanOptions = {
    dir: entry.dir,
    ark: arkOf(context),
    json: false,
    detailedExitcode: true,
    refresh: true,
    targets: [],
    allowEmpty: false,
    arkDryRun: true,
  };
  return runLikeCli(plan.run, options, testContext({ env }));
}

/** `apply DIR --auto-approve`, every other option at the CLI's default. */
function applyEntry(context: Context, entry: MatrixEntry) {
  const options: apply.ApplyOptions = {
    path: entry.dir,
    ark: arkOf(context),
    autoApprove: true,
    allowEmpty: false,
    targets: [],
    waitTimeoutSeconds: 1800,
    switchUndo: "rollback",
  };
  return runLikeCli(apply.run, options, testContext({ env }));
}

/** Each live endpoint's name → its tags (Ark's own sys: tags, and the owning state's lineage, left out) and its tpm. */
function live({ emulator }: Context): Record<string, { tags: Record<string, string>; tpm?: number }> {
  const endpoints = emulator.listEndpoints().sort((a, b) => a.Name.localeCompare(b.Name));
  return Object.fromEntries(
    endpoints.map(({ Name, Tags, RateLimit }) => {
      const tags = Tags.filter(({ Key }) => !Key.startsWith("sys:") && Key !== "ark-sync:state");
      return [
        Name,
        {
          tags: Object.fromEntries(tags.map(({ Key, Value }) => [Key, Value])),
          ...(RateLimit.Tpm === undefined ? {} : { tpm: RateLimit.Tpm }),
        },
      ];
    }),
  );
}

const relativeDirs = (root: string, entries: MatrixEntry[]) =>
  entries.map(({ dir }) => dir.slice(root.length + 1));

test("on main: the matrix lists both overlays, and each entry plans (exit 2) and applies with its dir alone", async (context) => {
  const { emulator, root } = context;
  const entries = await matrix(root);
  assert.equal(entries, [
    {
      dir: `${root}/envs/prod`,
      region: null,
      api_url: null,
      state: `local:${root}/envs/prod/state.json`,
      environment: "ark-sync-apply/envs/prod",
    },
    {
      dir: `${root}/envs/staging`,
      region: null,
      api_url: null,
      state: `local:${root}/envs/staging/state.json`,
      environment: "ark-sync-apply/envs/staging",
    },
  ]);
  for (const entry of entries) {
    const planned = await planEntry(context, entry);
    assert.is(planned.code, 2, planned.stderr);
    assert.match(planned.stdout, "Plan: 2 to add, 0 to change, 0 to destroy.");
    const applied = await applyEntry(context, entry);
    assert.is(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, "Apply complete! Resources: 2 added, 0 changed, 0 destroyed.");
  }
  assert.equal(live(context), {
    "chat-prod": { tags: { env: "prod", "ark-sync:address": "default/chat-prod" }, tpm: 1000 },
    "chat-staging": { tags: { env: "staging", "ark-sync:address": "default/chat-staging" }, tpm: 1000 },
    "search-prod": { tags: { env: "prod", team: "search", "ark-sync:address": "default/search-prod" } },
    "search-staging": {
      tags: { env: "staging", team: "search", "ark-sync:address": "default/search-staging" },
    },
  });
  const lineages = new Set(
    emulator.listEndpoints().map(({ Tags }) => Tags.find(({ Key }) => Key === "ark-sync:state")?.Value),
  );
  assert.is(lineages.size, 2, "prod's endpoints and staging's each belong to their own state");
  for (const entry of entries) {
    const again = await planEntry(context, entry);
    assert.is(again.code, 0, `each entry's state was found from its dir alone\n${again.stdout}`);
  }
  // A repository that keeps local state commits what the runs wrote, so the next branch starts from it.
  commit(root, "state after the first apply");
});

test("a branch that patches only envs/prod lists only envs/prod, whose plan is exactly that update", async (context) => {
  const { root } = context;
  git(root, ["checkout", "--quiet", "-b", "prod-tpm"]);
  await writeTree(root, { "envs/prod/ark-sync.yaml": overlay("prod", tpmPatch) });
  commit(root, "prod chat gets more tokens");
  const entries = await matrix(root, "main");
  assert.equal(relativeDirs(root, entries), ["envs/prod"]);
  const [prod] = entries;
  if (prod === undefined) throw new Error("no entry");
  const planned = await planEntry(context, prod);
  assert.is(planned.code, 2, planned.stderr);
  const changed = planned.stdout.split("\n").filter((line) => /^\s*[~+-] /.test(line));
  assert.equal(changed, [
    "  ~ update in-place",
    '  ~ endpoint "default/chat-prod" {',
    "      ~ rate_limit  = {",
    "          ~ tpm = 1000 -> 500000",
  ]);
  assert.match(planned.stdout, "Plan: 0 to add, 1 to change, 0 to destroy.");
});

test("a branch that changes the base lists both overlays, each planning its own endpoint's update", async (context) => {
  const { root } = context;
  git(root, ["checkout", "--quiet", "main"]);
  git(root, ["checkout", "--quiet", "-b", "base-description"]);
  const described = base.replace("name: search\n", "name: search\ndescription: semantic search\n");
  await writeTree(root, { "base/endpoints.yaml": described });
  commit(root, "describe search");
  const entries = await matrix(root, "main");
  assert.equal(relativeDirs(root, entries), ["envs/prod", "envs/staging"]);
  for (const entry of entries) {
    const planned = await planEntry(context, entry);
    assert.is(planned.code, 2, planned.stderr);
    assert.match(planned.stdout, `~ endpoint "default/search-${basename(entry.dir)}" {`);
    assert.match(planned.stdout, "Plan: 0 to add, 1 to change, 0 to destroy.");
  }
});

test.run();
