// Every command prints Ark-, user- and file-provided text through the plan's sanitiser: a table of
// commands, each fed a hostile name (control characters that clear or recolour a terminal, a bidi
// override that reorders what a reviewer reads, zero-width characters that make two names look the
// same) where that command takes text from outside, run in this process as the CLI runs it (errors
// included), against the emulator over loopback where Ark is read. The output must hold none of those
// characters raw, and must show the text escaped, so it stays readable.
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as apply from "../../src/app/apply.js";
import type { AppContext } from "../../src/app/context.js";
import * as importEndpoint from "../../src/app/import.js";
import * as importAll from "../../src/app/import-all.js";
import * as plan from "../../src/app/plan.js";
import * as planAll from "../../src/app/plan-all.js";
import * as projects from "../../src/app/projects.js";
import * as refresh from "../../src/app/refresh.js";
import * as render from "../../src/app/render.js";
import * as stateCommand from "../../src/app/state.js";
import * as validate from "../../src/app/validate.js";
import { type Emulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { systemProcessFacts } from "../../src/state/process-facts.js";
import { type CliLikeResult, planOptionsFor, runLikeCli, testContext } from "./context.js";
import { writeTree } from "./file-tree.js";
import { unsafeCharacters } from "./unsafe-characters.js";

const credentials = { accessKey: "AKLThostileOutput01", secretKey: "hostileOutput/Secret+Key==01" };
const env = { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey };
const model = { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" } };

/** Anything goes where nothing validates it: Ark's answers, arguments, the state and lock files. */
const hostile = "evil\u001b[2J\u202eroot\u200b\u0007";
const hostileShown = "evil\\u001b[2J\\u202eroot\\u200b\\u0007";
/** What a manifest's name may hold: the schema refuses control and invisible characters, not bidi. */
const bidi = "chat\u202eyrt";
const bidiShown = "chat\\u202eyrt";

interface Context {
  emulator: Emulator;
  dir: string;
}

const test = suite<Context>("hostile text in every command's output");

test.before.each(async (context) => {
  context.emulator = await startEmulator({ ...credentials, provisioningDelayMs: 0 });
  context.dir = await mkdtemp(join(tmpdir(), "ark-sync-hostile-output-"));
});

test.after.each(async ({ emulator, dir }) => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const ark = ({ emulator }: Context) => ({ apiUrl: emulator.url, region: "cn-beijing", parallelism: 4 });
const manifestsOf = ({ dir }: Context) => join(dir, "manifests");

function manifest(name: string, extra = ""): string {
  return `apiVersion: ark-sync/v1\nkind: Endpoint\nname: ${JSON.stringify(name)}\nmodel_reference:\n  foundation_model: {name: doubao-1-5-pro-32k, model_version: "250115"}\n${extra}`;
}

/** A state file recording `resources` (address → endpoint id), as a hand edit or a bad merge leaves it. */
async function writeState(context: Context, resources: Record<string, string>, description = "old") {
  const document = {
    version: 1,
    lineage: "5b0c3f0e-8a1d-4c55-9a0e-3f7f1f6f2d10",
    serial: 1,
    resources: Object.fromEntries(
      Object.entries(resources).map(([address, id]) => [
        address,
        {
          endpoint_id: id,
          last_applied: {
            name: address.slice(address.indexOf("/") + 1),
            project_name: "default",
            description,
            model_reference: { foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250115" } },
          },
          applied_at: "2025-01-01T00:00:00.000Z",
        },
      ]),
    ),
  };
  await mkdir(join(manifestsOf(context), ".ark-sync"), { recursive: true });
  await writeFile(join(manifestsOf(context), ".ark-sync", "state.json"), JSON.stringify(document));
}

/** A lock file naming `who` as its holder, with `pid`: on another host, or on this one's. */
async function writeLock(context: Context, who: string, pid: number, here = false) {
  await mkdir(join(manifestsOf(context), ".ark-sync"), { recursive: true });
  const facts = systemProcessFacts();
  const machine = here
    ? { host: facts.hostname(), boot_id: facts.bootId(), pid_namespace: facts.pidNamespace() }
    : { host: hostile };
  const lock = {
    id: "24b38104-f2db-4865-bca0-2cbbe920ed41",
    who,
    pid,
    operation: hostile,
    since: "2025-01-01T00:00:00.000Z",
    version: hostile,
    run_url: `https://github.com/${hostile}`,
    ...machine,
  };
  await writeFile(join(manifestsOf(context), ".ark-sync", "state.json.lock"), JSON.stringify(lock));
}

function run<Options>(
  context: Context,
  useCase: (options: Options, ctx: AppContext) => Promise<number>,
  options: Options,
): Promise<CliLikeResult> {
  return runLikeCli(useCase, options, testContext({ env, cwd: context.dir }));
}

const planOptions = (context: Context): plan.PlanOptions =>
  planOptionsFor(manifestsOf(context), ark(context), { arkDryRun: false });

interface Row {
  command: string;
  /** What the command is fed, and runs it. */
  run(context: Context): Promise<CliLikeResult>;
  /** The hostile text as the output must show it. */
  shows: string;
}

const rows: Row[] = [
  {
    command: "import --all (a live endpoint's name, skipped)",
    async run(context) {
      await mkdir(manifestsOf(context));
      await context.emulator.seedEndpoint({ Name: hostile, ModelReference: model });
      const options = {
        dir: manifestsOf(context),
        ark: ark(context),
        generate: false,
        projects: [],
        tags: [],
      };
      return run(context, importAll.run, options);
    },
    shows: `Skipped default/${hostileShown} (ep-`,
  },
  {
    command: "import --all --generate (a live endpoint's project)",
    async run(context) {
      await mkdir(manifestsOf(context));
      await context.emulator.seedEndpoint({ Name: "chat", ProjectName: hostile, ModelReference: model });
      const options = {
        dir: manifestsOf(context),
        ark: ark(context),
        generate: true,
        projects: [hostile],
        tags: [],
      };
      return run(context, importAll.run, options);
    },
    shows: `projects ${hostileShown})`,
  },
  {
    command: "import ADDRESS ENDPOINT_ID (the address, in an error)",
    async run(context) {
      await mkdir(manifestsOf(context));
      const options = {
        address: `default/${hostile}`,
        endpointId: "ep-1",
        dir: manifestsOf(context),
        ark: ark(context),
      };
      return run(context, importEndpoint.run, options);
    },
    shows: `declares default/${hostileShown}`,
  },
  {
    command: "import ADDRESS ENDPOINT_ID (the endpoint id, in an error)",
    async run(context) {
      await writeTree(manifestsOf(context), { "chat.yaml": manifest("chat") });
      const options = {
        address: "default/chat",
        endpointId: `ep-${hostile}`,
        dir: manifestsOf(context),
        ark: ark(context),
      };
      return run(context, importEndpoint.run, options);
    },
    shows: `ep-${hostileShown}`,
  },
  {
    command: "import ADDRESS ENDPOINT_ID (a live endpoint's name and the address)",
    async run(context) {
      await writeTree(manifestsOf(context), { "chat.yaml": manifest(bidi) });
      const live = await context.emulator.seedEndpoint({ Name: hostile, ModelReference: model });
      const options = {
        address: `default/${bidi}`,
        endpointId: live.Id,
        dir: manifestsOf(context),
        ark: ark(context),
      };
      return run(context, importEndpoint.run, options);
    },
    shows: `as default/${bidiShown}`,
  },
  {
    command: "state list (addresses and ids of a hand-edited state)",
    async run(context) {
      await writeState(context, { [`default/${hostile}`]: `ep-${hostile}`, "default/b": "ep-b" });
      return run(context, stateCommand.run, { action: { kind: "list" }, dir: manifestsOf(context) });
    },
    shows: `default/${hostileShown}  ep-${hostileShown}`,
  },
  {
    command: "state show ADDRESS",
    async run(context) {
      await writeState(context, { [`default/${hostile}`]: `ep-${hostile}` }, hostile);
      const action = { kind: "show" as const, address: `default/${hostile}` };
      return run(context, stateCommand.run, { action, dir: manifestsOf(context) });
    },
    shows: `"description": "evil\\u001b[2J\\u202eroot\\u200b\\u0007"`,
  },
  {
    command: "state rm ADDRESS",
    async run(context) {
      await writeState(context, { [`default/${hostile}`]: `ep-${hostile}` });
      const action = { kind: "rm" as const, address: `default/${hostile}` };
      return run(context, stateCommand.run, { action, dir: manifestsOf(context) });
    },
    shows: `Removed default/${hostileShown} (ep-${hostileShown})`,
  },
  {
    command: "state rm ADDRESS (an unknown address, in an error)",
    async run(context) {
      await writeState(context, { "default/a": "ep-a" });
      const action = { kind: "rm" as const, address: `default/${hostile}` };
      return run(context, stateCommand.run, { action, dir: manifestsOf(context) });
    },
    shows: `no resource default/${hostileShown} in`,
  },
  {
    command: "state unlock LOCK_ID (the lock's holder)",
    async run(context) {
      await writeLock(context, hostile, 999_999_999);
      const action = { kind: "unlock" as const, lockId: "24b38104-f2db-4865-bca0-2cbbe920ed41" };
      return run(context, stateCommand.run, { action, dir: manifestsOf(context) });
    },
    shows: `held by ${hostileShown}, pid 999999999`,
  },
  {
    command: "state rm while locked (the holder, in the refusal)",
    async run(context) {
      await writeState(context, { "default/a": "ep-a" });
      await writeLock(context, hostile, process.pid);
      const action = { kind: "rm" as const, address: "default/a" };
      return run(context, stateCommand.run, { action, dir: manifestsOf(context) });
    },
    shows: `Who:       ${hostileShown}`,
  },
  {
    command: "state rm over a dead holder's lock (the takeover warning)",
    async run(context) {
      await writeState(context, { "default/a": "ep-a" });
      const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
        encoding: "utf8",
      });
      await writeLock(context, hostile, Number(gone.stdout), true);
      const action = { kind: "rm" as const, address: "default/a" };
      return run(context, stateCommand.run, { action, dir: manifestsOf(context) });
    },
    shows: `left by ${hostileShown} (pid`,
  },
  {
    command: "refresh (a description changed on Ark)",
    async run(context) {
      await writeTree(manifestsOf(context), { "chat.yaml": manifest("chat", "description: old\n") });
      const live = await context.emulator.seedEndpoint({
        Name: "chat",
        Description: hostile,
        ModelReference: model,
      });
      await writeState(context, { "default/chat": live.Id });
      const options = { dir: manifestsOf(context), ark: ark(context), autoApprove: true };
      return run(context, refresh.run, options);
    },
    shows: hostileShown,
  },
  {
    command: "projects (a directory's name)",
    async run(context) {
      await writeTree(join(context.dir, `team-${hostile}`), {
        "ark-sync.yaml": "apiVersion: ark-sync/v1\nkind: Config\n",
      });
      return run(context, projects.run, { root: context.dir, json: false });
    },
    shows: `team-${hostileShown}`,
  },
  {
    command: "projects --json (a directory's name)",
    async run(context) {
      await writeTree(join(context.dir, `team-${hostile}`), {
        "ark-sync.yaml": "apiVersion: ark-sync/v1\nkind: Config\n",
      });
      return run(context, projects.run, { root: context.dir, json: true });
    },
    shows: "team-evil\\u001b[2J\\u202eroot\\u200b\\u0007",
  },
  {
    command: "validate (a file's name, in a problem)",
    async run(context) {
      await writeTree(manifestsOf(context), { [`${hostile}.yaml`]: "kind: Endpoint\n" });
      return run(context, validate.run, { dir: manifestsOf(context) });
    },
    shows: `${hostileShown}.yaml:1:1`,
  },
  {
    command: "plan (a manifest's name)",
    async run(context) {
      await writeTree(manifestsOf(context), { "chat.yaml": manifest(bidi) });
      return run(context, plan.run, planOptions(context));
    },
    shows: `default/${bidiShown} will be created`,
  },
  {
    command: "plan --all (a directory's name)",
    async run(context) {
      await writeTree(join(context.dir, `team-${hostile}`), {
        "ark-sync.yaml": "apiVersion: ark-sync/v1\nkind: Config\n",
        "chat.yaml": manifest("chat"),
      });
      const { dir: _, ...options } = planOptions(context);
      return run(context, planAll.run, { ...options, root: context.dir });
    },
    shows: `team-${hostileShown}`,
  },
  {
    command: "apply (a manifest's name, in the progress)",
    async run(context) {
      await writeTree(manifestsOf(context), { "chat.yaml": manifest(bidi) });
      const options: apply.ApplyOptions = {
        path: manifestsOf(context),
        ark: ark(context),
        autoApprove: true,
        allowEmpty: false,
        targets: [],
        waitTimeoutSeconds: 30,
        switchUndo: "cancel",
        arkDryRun: false,
      };
      return run(context, apply.run, options);
    },
    shows: `default/${bidiShown}: Creation complete`,
  },
  {
    command: "render (a manifest's name)",
    async run(context) {
      await writeTree(manifestsOf(context), { "chat.yaml": manifest(bidi) });
      return run(context, render.run, { dir: manifestsOf(context) });
    },
    shows: `name: "${bidiShown}"`,
  },
];

for (const row of rows) {
  test(row.command, async (context) => {
    const result = await row.run(context);
    const output = `${result.stdout}${result.stderr}`;
    assert.not.match(output, unsafeCharacters, output);
    assert.match(output, row.shows, output);
    assert.not.match(output, "a bug in ark-sync");
  });
}

test.run();
