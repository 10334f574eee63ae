// Manifests checked on the worker pool read exactly as checked inline: the same endpoints, and every
// diagnostic at the same file:line:col with the same words, the golden corpus included.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { checkManifestFile } from "../../src/manifest/check-manifest-file.js";
import { formatDiagnostic } from "../../src/manifest/diagnostic.js";
import { loadManifests } from "../../src/manifest/load-manifests.js";
import {
  manifestPoolSize,
  resolveManifestFiles,
  startManifestPool,
} from "../../src/manifest/manifest-pool.js";
import { endpointYaml } from "../apply/helpers.js";

const test = suite("manifest worker pool");
const corpus = fileURLToPath(new URL("../../../test/fixtures/manifests/invalid", import.meta.url));

let dir = "";
test.before.each(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "ark-sync-pool-"));
});
test.after.each(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("files checked on the pool read as checked inline", async () => {
  const big = path.join(dir, "big");
  await mkdir(big);
  const files: string[] = [];
  for (let f = 0; f < 6; f++) {
    const documents = Array.from({ length: 100 }, (_, i) =>
      endpointYaml(`chat-${f}-${i}`, { description: `endpoint ${i}`, tags: { env: "prod" } }),
    );
    // A broken document in one file: its problems keep their place among the good ones.
    if (f === 2) documents[40] = "apiVersion: ark-sync/v1\nkind: Endpoint\nname: bad\nrate_limit: {rpm: x}\n";
    const file = path.join(big, `endpoints-${String(f).padStart(3, "0")}.yaml`);
    await writeFile(file, documents.join("---\n"));
    files.push(file);
  }
  const small = path.join(dir, "small");
  await mkdir(small);
  await writeFile(path.join(small, "chat.yaml"), endpointYaml("chat", {}));
  await loadManifests(small);
  assert.is(manifestPoolSize(), 0, "a small run starts no worker");
  startManifestPool();
  assert.ok(manifestPoolSize() > 0, "the pool started");
  const loaded = await loadManifests(big);
  const inline = await Promise.all(files.map((file) => checkManifestFile(file)));
  assert.equal(
    loaded.diagnostics,
    inline.flatMap((checked) => checked.diagnostics),
  );
  // Document 41 of the third file starts on line 481 (12 lines a document, the `---` included).
  assert.equal(
    loaded.diagnostics.map((d) => [path.basename(d.file), d.line, d.code]),
    [
      ["endpoints-002.yaml", 481, "missing_attribute"],
      ["endpoints-002.yaml", 484, "wrong_type"],
    ],
  );
  assert.equal(
    loaded.endpoints.map((endpoint) => endpoint.address),
    inline.flatMap((checked) => checked.endpoints.map(({ endpoint }) => endpoint.address)).sort(),
  );
  assert.equal(
    await resolveManifestFiles(files, undefined, "all"),
    inline.map((checked) => ({ ...checked, written: checked.endpoints.length })),
    "manifests and provenance cross the thread intact",
  );
});

test("every case of the invalid corpus reads on the pool exactly as its golden file", async () => {
  startManifestPool(2);
  const cases = (await readdir(corpus, { withFileTypes: true })).filter((entry) => entry.isDirectory());
  assert.ok(cases.length >= 20);
  await Promise.all(
    cases.map(async ({ name }) => {
      const caseDir = path.join(corpus, name);
      const { diagnostics } = await loadManifests(caseDir);
      const printed = diagnostics
        .map((d) => `${formatDiagnostic(d).replaceAll(`${caseDir}${path.sep}`, "")}\n`)
        .join("");
      assert.fixture(printed, await readFile(path.join(corpus, `${name}.expected`), "utf8"), name);
    }),
  );
});

test.run();
