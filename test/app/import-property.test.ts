// A property of `import --all --generate` over generated hostile endpoints (names and projects made of
// path parts, reserved names, control, bidi and invisible characters, very long names), in this
// process against the emulator over loopback: the import either succeeds or refuses with a reason
// (never "a bug in ark-sync"), prints nothing raw, never writes outside the manifest directory (some
// runs put a link to a folder outside it where a project folder would go), and the directory plans
// afterwards with nothing to add, change or destroy.
import { mkdir, mkdtemp, readdir, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as importAll from "../../src/app/import-all.js";
import * as plan from "../../src/app/plan.js";
import type { EndpointAttributes, Plan } from "../../src/core/types.js";
import { type Emulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { manifestPath } from "../../src/manifest/generate-manifest.js";
import { planOptionsFor, runLikeCli, testContext } from "./context.js";
import { unsafeCharacters } from "./unsafe-characters.js";

const credentials = { accessKey: "AKLTimportProperty01", secretKey: "importProperty/Secret+Key==01" };
const env = { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey };
const model = { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" } };

const test = suite<{ emulator: Emulator }>("import --generate, hostile endpoints");

test.before(async (context) => {
  context.emulator = await startEmulator({ ...credentials, provisioningDelayMs: 0 });
});

test.after(async ({ emulator }) => {
  await emulator.close();
});

const part = fc.constantFrom(
  "..",
  "/",
  "\\",
  ".",
  "ark-sync",
  "ARK-SYNC",
  ".yaml",
  ".ark-sync",
  "default",
  "chat",
  "研究",
  " ",
  "#",
  ": ",
  "'",
  '"',
  "\u0000",
  "\u0007",
  "\u001b[2J",
  "\n",
  "\r",
  "\u0085",
  "\u202e",
  "\u2066",
  "\u200b",
  "\u00ad",
  "\ufeff",
  "x".repeat(120),
);
const hostile = fc.oneof(
  fc.array(part, { minLength: 1, maxLength: 6 }).map((parts) => parts.join("")),
  fc.string({ minLength: 1, maxLength: 20, unit: "binary" }),
);
const endpointArb = fc.record({
  name: hostile,
  project: fc.oneof(fc.constant("default"), fc.constant("research"), hostile),
});
const runArb = fc.record({
  endpoints: fc.array(endpointArb, { minLength: 1, maxLength: 5 }),
  linkOut: fc.boolean(),
});

/** Every path under `root` (links not followed), relative to it, sorted. */
async function listTree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true });
  return entries.map((entry) => relative(root, join(root, entry))).sort();
}

test("the import succeeds or refuses with a reason, writes only inside DIR, and DIR plans afterwards", async ({
  emulator,
}) => {
  await fc.assert(
    fc.asyncProperty(runArb, async ({ endpoints, linkOut }) => {
      for (const endpoint of emulator.listEndpoints()) await emulator.deleteEndpoint(endpoint.Id);
      const sandbox = await mkdtemp(join(tmpdir(), "ark-sync-import-property-"));
      try {
        const dir = join(sandbox, "work", "manifests");
        await mkdir(dir, { recursive: true });
        await mkdir(join(sandbox, "outside"));
        for (const { name, project } of endpoints)
          await emulator.seedEndpoint({ Name: name, ProjectName: project, ModelReference: model });
        const first = endpoints[0] as { name: string; project: string };
        const folder = manifestPath({
          name: first.name,
          project_name: first.project,
        } as EndpointAttributes).split("/");
        // A folder name over the file system's 255 bytes cannot be made to point outside either.
        const linked = folder[0] as string;
        if (linkOut && folder.length > 1 && Buffer.byteLength(linked) <= 255)
          await symlink(join(sandbox, "outside"), join(dir, linked));
        const outsideBefore = (await listTree(sandbox)).filter((path) => !path.startsWith("work/manifests/"));

        const options: importAll.ImportAllOptions = {
          dir,
          ark: { apiUrl: emulator.url, region: "cn-beijing", parallelism: 4 },
          generate: true,
          projects: [...new Set(endpoints.map((endpoint) => endpoint.project))],
          tags: [],
        };
        const result = await runLikeCli(importAll.run, options, testContext({ env, cwd: sandbox }));
        const output = result.stdout + result.stderr;
        assert.ok(result.code === 0 || (result.code === 1 && /^Error: .+/m.test(result.stderr)), output);
        assert.not.match(output, "a bug in ark-sync");
        assert.not.match(output, unsafeCharacters);
        const outsideAfter = (await listTree(sandbox)).filter((path) => !path.startsWith("work/manifests/"));
        assert.equal(outsideAfter, outsideBefore, "nothing written outside the manifest directory");

        const planned = await runLikeCli(
          plan.run,
          planOptionsFor(
            dir,
            { apiUrl: emulator.url, region: "cn-beijing", parallelism: 4 },
            { json: true, arkDryRun: false },
          ),
          testContext({ env, cwd: sandbox }),
        );
        assert.is(planned.code, 0, planned.stderr);
        assert.equal((JSON.parse(planned.stdout) as Plan).summary, { add: 0, change: 0, destroy: 0 });
      } finally {
        await rm(sandbox, { recursive: true, force: true });
      }
    }),
    { numRuns: 25 },
  );
});

test.run();
