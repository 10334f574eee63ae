// The corpus of invalid and hostile manifests: each folder under test/fixtures/manifests/invalid/ is
// one case, and <case>.expected holds its diagnostics exactly as printed, with paths relative to
// the case folder. `UPDATE_GOLDEN=1 node test/run.mjs manifest/` rewrites the expected files.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { formatDiagnostic } from "../../src/manifest/diagnostic.js";
import { loadManifests } from "../../src/manifest/load-manifests.js";

const test = suite("manifest diagnostics (golden)");
const corpus = fileURLToPath(new URL("../../../test/fixtures/manifests/invalid", import.meta.url));
const update = process.env.UPDATE_GOLDEN === "1";

const cases = readdirSync(corpus, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** Cases whose problems are warnings only; every other case must fail validation. */
const WARNING_ONLY = new Set(["empty-files"]);

async function renderCase(name: string): Promise<string> {
  const dir = path.join(corpus, name);
  const { diagnostics } = await loadManifests(dir);
  const lines = diagnostics.map((d) => formatDiagnostic(d).replaceAll(`${dir}${path.sep}`, ""));
  return lines.map((line) => `${line}\n`).join("");
}

test("every case has an expected file and every expected file a case", () => {
  const expected = readdirSync(corpus)
    .filter((name) => name.endsWith(".expected"))
    .map((name) => name.slice(0, -".expected".length))
    .sort();
  if (!update) assert.equal(expected, cases);
  assert.ok(cases.length >= 20, `only ${cases.length} cases`);
});

for (const name of cases) {
  test(`${name}`, async () => {
    const actual = await renderCase(name);
    const expectedFile = path.join(corpus, `${name}.expected`);
    if (update || !existsSync(expectedFile)) writeFileSync(expectedFile, actual);
    assert.fixture(actual, readFileSync(expectedFile, "utf8"));
    const lines = actual.trimEnd().split("\n");
    for (const line of lines) assert.match(line, /^[^:\n]+:\d+:\d+: \S/, `no position: ${line}`);
    const errors = lines.filter((line) => !/^[^:\n]+:\d+:\d+: warning: /.test(line));
    if (WARNING_ONLY.has(name)) assert.is(errors.length, 0);
    else assert.ok(errors.length > 0, "an invalid case must produce at least one error");
  });
}

test.run();
