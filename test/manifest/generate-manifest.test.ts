// A generated manifest reads back as the attributes it was written from, whatever the values look like
// to YAML (numbers, booleans, `#`, `: `, quotes, non-ASCII), and passes validation with no diagnostic.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { EndpointAttributes } from "../../src/core/types.js";
import { generateCheckedManifest } from "../../src/manifest/check-generated-manifest.js";
import { generateManifest, manifestPath } from "../../src/manifest/generate-manifest.js";
import { loadManifests } from "../../src/manifest/load-manifests.js";
import { unsafeCharacters } from "../app/unsafe-characters.js";

/** The repository's top folder (this file runs from dist/test/manifest/). */
const repository = fileURLToPath(new URL("../../../", import.meta.url));

const tricky: EndpointAttributes[] = [
  {
    name: "yes",
    project_name: "default",
    description: "true",
    model_reference: { foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250115" } },
    rate_limit: { rpm: 10, tpm: 5000 },
    tags: [
      { key: "env", value: "0123" },
      { key: "note", value: "a: b # not a comment" },
    ],
  },
  {
    name: "123",
    project_name: "研究",
    description: "客服 'quoted' \"double\"",
    model_reference: { custom_model_id: "cm-20250601120000-abcde" },
    model_unit_id: "mu-1",
    moderation: { strategy: "Basic" },
    tags: [{ key: "empty", value: "" }],
  },
  {
    name: "rtl\u202eevil",
    project_name: "default",
    description: "bidi \u2066isolate\u2069, tab\there,\nnew line, soft\u00adhyphen",
    model_reference: { custom_model_id: "cm-20250601120000-abcde" },
    tags: [{ key: "note\u200e", value: "\u061cmark" }],
  },
];

test("generated manifests read back as the same attributes, with no diagnostic", async () => {
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-generate-"));
  try {
    for (const [i, attributes] of tricky.entries())
      await writeFile(join(dir, `m${i}.yaml`), generateManifest(attributes, join(dir, `m${i}.yaml`)));
    const loaded = await loadManifests(dir);
    assert.equal(loaded.diagnostics, []);
    assert.equal(
      loaded.endpoints.map((endpoint) => endpoint.attributes).sort((a, b) => (a.name < b.name ? -1 : 1)),
      [...tricky].sort((a, b) => (a.name < b.name ? -1 : 1)),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("control, bidi and invisible characters are written as escapes, never raw", () => {
  const text = generateManifest(tricky[2] as EndpointAttributes, join(repository, "manifests/x.yaml"));
  assert.not.match(text, unsafeCharacters, text);
  assert.match(text, 'name: "rtl\\u202eevil"');
  assert.match(text, "tab\\there,\\nnew line");
});

test("the example manifest's order: modeline, apiVersion, kind, name, description, model, project, limits, tags", () => {
  const text = generateManifest(tricky[0] as EndpointAttributes, join(repository, "manifests/yes.yaml"));
  const keys = text
    .split("\n")
    .filter((line) => /^[a-z_A-Z]+:/.test(line))
    .map((line) => line.slice(0, line.indexOf(":")));
  assert.equal(keys, [
    "apiVersion",
    "kind",
    "name",
    "description",
    "model_reference",
    "project_name",
    "rate_limit",
    "tags",
  ]);
  assert.ok(text.startsWith("# yaml-language-server: $schema=../schemas/endpoint.schema.json\n"));
  assert.match(text, "rate_limit:\n  tpm: 5000\n  rpm: 10\n");
});

test("the modeline leads to the installed schema from inside the repository and from outside it", async () => {
  const schema = join(repository, "schemas/endpoint.schema.json");
  const modeline = (file: string) => generateManifest(tricky[0] as EndpointAttributes, file).split("\n")[0];
  const prefix = "# yaml-language-server: $schema=";
  // Inside: the path the repository's own manifests use, and one level deeper for a project folder.
  assert.is(modeline(join(repository, "manifests/chat.yaml")), `${prefix}../schemas/endpoint.schema.json`);
  assert.is(
    modeline(join(repository, "envs/prod/research/chat.yaml")),
    `${prefix}../../../schemas/endpoint.schema.json`,
  );
  // Outside (and relative to the working folder): a relative path that still resolves to the schema.
  const outside = await mkdtemp(join(tmpdir(), "ark-sync-modeline-"));
  try {
    for (const file of [join(outside, "chat.yaml"), join(outside, "research/chat.yaml")]) {
      const path = modeline(file)?.slice(prefix.length) ?? "";
      assert.ok(!isAbsolute(path), path);
      assert.is(resolve(dirname(file), path), schema);
      assert.ok(JSON.parse(await readFile(resolve(dirname(file), path), "utf8")).$id, "the schema is there");
    }
    const fromHere = relative(process.cwd(), join(outside, "chat.yaml"));
    assert.is(resolve(dirname(fromHere), modeline(fromHere)?.slice(prefix.length) ?? ""), schema);
  } finally {
    await rm(outside, { recursive: true, force: true });
  }
});

test("file names: safe characters only, a folder per project other than default", () => {
  const base = tricky[0] as EndpointAttributes;
  assert.is(manifestPath(base), "yes.yaml");
  assert.is(manifestPath({ ...base, name: "../etc/passwd" }), "--etc-passwd.yaml");
  assert.is(manifestPath({ ...base, name: "客服 bot", project_name: "研究" }), "研究/客服-bot.yaml");
  assert.is(manifestPath({ ...base, project_name: "research", name: "chat v2" }), "research/chat-v2.yaml");
});

test("an endpoint no manifest can hold, or no file name can carry, is named, not generated", () => {
  const base = tricky[0] as EndpointAttributes;
  const cases: Array<[Partial<EndpointAttributes>, string]> = [
    [{ name: "bell\u0007" }, "name must not contain control or invisible characters"],
    [{ name: "zero\u200bwidth" }, "name must not contain control or invisible characters"],
    [{ project_name: "../../etc" }, "must not contain '/'"],
    [{ description: "nul\u0000" }, "description must not contain control characters"],
    [{ name: "ark-sync" }, "its file would be ark-sync.yaml"],
    [{ name: "Ark-Sync", project_name: "research" }, "its file would be research/Ark-Sync.yaml"],
    [{ name: "x".repeat(251) }, "longer than 255 bytes"],
    [{ project_name: "研".repeat(90) }, "longer than 255 bytes"],
  ];
  for (const [change, problem] of cases) {
    const generated = generateCheckedManifest({ ...base, ...change }, "manifests");
    assert.ok("problems" in generated, JSON.stringify(change));
    if ("problems" in generated) assert.match(generated.problems.join("; "), problem);
  }
  const fine = generateCheckedManifest(
    { ...base, name: "x".repeat(250), project_name: "研".repeat(85) },
    "m",
  );
  assert.ok(
    "file" in fine &&
      fine.text ===
        generateManifest(
          { ...base, name: "x".repeat(250), project_name: "研".repeat(85) },
          join("m", "研".repeat(85), `${"x".repeat(250)}.yaml`),
        ),
  );
});

test.run();
