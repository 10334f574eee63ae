import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { isArkSyncError } from "../../src/core/errors.js";
import type { DesiredEndpoint } from "../../src/core/types.js";
import { formatDiagnostic } from "../../src/manifest/diagnostic.js";
import { MAX_DIAGNOSTICS_PER_FILE } from "../../src/manifest/limits.js";
import { loadManifests } from "../../src/manifest/load-manifests.js";

const test = suite("manifest loading");
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

const HEAD = "apiVersion: ark-sync/v1\nkind: Endpoint\n";
const CUSTOM = "model_reference:\n  custom_model_id: cm-1\n";

let dir = "";
test.before.each(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "ark-sync-manifests-"));
});
test.after.each(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writeTree(files: Record<string, string>): void {
  for (const [relative, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    writeFileSync(path.join(dir, relative), content);
  }
}

async function loadValid(): Promise<DesiredEndpoint[]> {
  const set = await loadManifests(dir);
  assert.equal(set.diagnostics.map(formatDiagnostic), []);
  return set.endpoints;
}

test("invisible characters in a name, project or tag key are refused where they are written", async () => {
  writeTree({
    "a.yaml": `${HEAD}name: "chat\\u200b"\n${CUSTOM}`,
    "b.yaml": `${HEAD}name: chat\nproject_name: "prod\\ufeff"\n${CUSTOM}tags:\n  - key: "team\\u2060"\n    value: x\n`,
    "c.yaml": `${HEAD}name: "soft\\u00adhyphen"\n${CUSTOM}`,
  });
  const set = await loadManifests(dir);
  const found = set.diagnostics.map((d) => [path.basename(d.file), d.line, formatDiagnostic(d)] as const);
  assert.equal(
    found.map(([file, line]) => [file, line]),
    [
      ["a.yaml", 3],
      ["b.yaml", 4],
      ["b.yaml", 8],
      ["c.yaml", 3],
    ],
  );
  for (const [, , text] of found) {
    assert.match(text, "invisible characters");
    assert.not.match(text, /[\u00ad\u200b\u2060\ufeff]/, "the message itself shows no invisible character");
  }
  assert.equal(set.endpoints, []);
});

test("applies defaults and leaves absent attributes absent", async () => {
  writeTree({ "chat.yaml": `${HEAD}name: chat\n${CUSTOM}` });
  const [endpoint] = await loadValid();
  assert.equal(endpoint, {
    address: "default/chat",
    attributes: { name: "chat", project_name: "default", model_reference: { custom_model_id: "cm-1" } },
    lifecycle: {},
    source: { file: path.join(dir, "chat.yaml"), line: 1, col: 1 },
  });
  assert.equal(Object.keys(endpoint?.attributes ?? {}), ["name", "project_name", "model_reference"]);
});

test("reads the seed's example exactly", async () => {
  const set = await loadManifests(path.join(repoRoot, "manifests"));
  assert.equal(set.diagnostics, []);
  const demo = set.endpoints.find((endpoint) => endpoint.address === "default/EndpointDemo");
  assert.equal(demo?.attributes, {
    name: "EndpointDemo",
    project_name: "default",
    description: "endpoint description",
    model_reference: { foundation_model: { name: "doubao-1-5-thinking-pro", model_version: "250428" } },
    rate_limit: { rpm: 10, tpm: 5 },
    tags: [{ key: "env", value: "test" }],
  });
  assert.equal(demo?.source.line, 2, "source points at the document's first attribute, after the modeline");
});

test("several documents per file, endpoints sorted by address, each with its own source line", async () => {
  writeTree({
    "multi.yaml": `---\n${HEAD}name: zeta\n${CUSTOM}---\n${HEAD}name: alpha\nproject_name: team\n${CUSTOM}---\n${HEAD}name: beta\n${CUSTOM}`,
  });
  const endpoints = await loadValid();
  assert.equal(
    endpoints.map((endpoint) => [endpoint.address, endpoint.source.line]),
    [
      ["default/beta", 15],
      ["default/zeta", 2],
      ["team/alpha", 8],
    ],
  );
});

test("tags are sorted by key, lifecycle and partial rate limits kept as written", async () => {
  writeTree({
    "tagged.yaml": `${HEAD}name: tagged\n${CUSTOM}rate_limit:\n  tpm: 1\ntags:\n  - {key: zone, value: b}\n  - {key: env, value: ""}\n  - {key: app, value: chat}\nlifecycle:\n  create_before_destroy: true\n  prevent_destroy: false\n  ignore_changes: [tags.env, description, rate_limit.rpm]\n`,
  });
  const [endpoint] = await loadValid();
  assert.equal(endpoint?.attributes.tags, [
    { key: "app", value: "chat" },
    { key: "env", value: "" },
    { key: "zone", value: "b" },
  ]);
  assert.equal(endpoint?.attributes.rate_limit, { tpm: 1 });
  assert.equal(endpoint?.lifecycle, {
    prevent_destroy: false,
    create_before_destroy: true,
    ignore_changes: ["description", "rate_limit.rpm", "tags.env"],
  });
});

test("moved_from is kept as written, apart from the attributes; chains of moves are refused", async () => {
  writeTree({
    "chat.yaml": `${HEAD}name: chat-v2\nmoved_from: default/chat\n${CUSTOM}`,
    "search.yaml": `${HEAD}name: search\nproject_name: team-a\nmoved_from: default/search\n${CUSTOM}`,
  });
  const endpoints = await loadValid();
  assert.equal(
    endpoints.map((endpoint) => [endpoint.address, endpoint.moved_from]),
    [
      ["default/chat-v2", "default/chat"],
      ["team-a/search", "default/search"],
    ],
  );
  assert.not.ok("moved_from" in (endpoints[0]?.attributes ?? {}), "never an attribute sent to Ark");

  writeTree({ "chat.yaml": `${HEAD}name: chat-v2\nmoved_from: team-a/search\n${CUSTOM}` });
  const set = await loadManifests(dir);
  assert.equal(
    set.diagnostics.map((d) => [path.basename(d.file), d.line, d.col, d.code]),
    [["chat.yaml", 4, 13, "moved_from_in_use"]],
  );
});

test("an explicit empty tag list stays an empty list (it removes tags), unlike an absent one", async () => {
  writeTree({ "a.yaml": `${HEAD}name: a\n${CUSTOM}tags: []\n` });
  const [endpoint] = await loadValid();
  assert.equal(endpoint?.attributes.tags, []);
});

test("YAML 1.2: yes, NO, on and 017 stay strings in string fields; 017 is 17 in an integer field", async () => {
  writeTree({
    "norway.yaml": `${HEAD}name: yes\ndescription: NO\n${CUSTOM}rate_limit: {rpm: 017}\ntags: [{key: on, value: "017"}]\n`,
  });
  const [endpoint] = await loadValid();
  assert.equal(endpoint?.attributes.name, "yes");
  assert.equal(endpoint?.attributes.description, "NO");
  assert.equal(endpoint?.attributes.rate_limit, { rpm: 17 });
  assert.equal(endpoint?.attributes.tags, [{ key: "on", value: "017" }]);
});

test("finds *.yaml and *.yml recursively, sorted, skipping hidden entries and other files", async () => {
  writeTree({
    "b.yml": `${HEAD}name: b\n${CUSTOM}`,
    "a/z.yaml": `${HEAD}name: z\n${CUSTOM}`,
    "a/deeper/y.yaml": `${HEAD}name: y\n${CUSTOM}`,
    "folder.yaml/inner.yaml": `${HEAD}name: inner\n${CUSTOM}`,
    ".ark-sync/state.yaml": "not: [valid",
    ".hidden.yaml": "not: [valid",
    "README.md": "# not a manifest",
    "notes.yaml.txt": "not: [valid",
  });
  const set = await loadManifests(dir);
  assert.equal(set.diagnostics, []);
  assert.equal(
    set.files,
    ["a/deeper/y.yaml", "a/z.yaml", "b.yml", "folder.yaml/inner.yaml"].map((file) => path.join(dir, file)),
  );
  assert.equal(
    set.endpoints.map((endpoint) => endpoint.address),
    ["default/b", "default/inner", "default/y", "default/z"],
  );
});

test("file paths are path.join(dir, relative) as the caller spelt dir", async () => {
  writeTree({ "a.yaml": `${HEAD}name: a\n${CUSTOM}` });
  const relative = path.relative(process.cwd(), dir);
  const set = await loadManifests(`${relative}/./`);
  assert.equal(set.files, [path.join(relative, "a.yaml")]);
});

test("a symbolic link loop is scanned once, with a warning, and ends", async () => {
  writeTree({ "sub/a.yaml": `${HEAD}name: a\n${CUSTOM}` });
  symlinkSync("..", path.join(dir, "sub", "up"));
  const set = await loadManifests(dir);
  assert.equal(set.endpoints.length, 1);
  assert.equal(set.diagnostics.map(formatDiagnostic), [
    `${path.join(dir, "sub", "up")}:1:1: warning: directory skipped: it is ${dir} again (a symbolic link loop or a second link)`,
  ]);
});

test("invalid documents are left out; valid ones beside them are kept", async () => {
  writeTree({
    "mixed.yaml": `${HEAD}name: good\n${CUSTOM}---\n${HEAD}name: bad\n${CUSTOM}rate_limit: {rpm: -1}\n`,
  });
  const set = await loadManifests(dir);
  assert.equal(
    set.endpoints.map((endpoint) => endpoint.address),
    ["default/good"],
  );
  assert.equal(set.diagnostics.length, 1);
});

test("a duplicate address keeps the first endpoint and names it", async () => {
  writeTree({ "a.yaml": `${HEAD}name: same\n${CUSTOM}`, "b.yaml": `${HEAD}name: same\n${CUSTOM}` });
  const set = await loadManifests(dir);
  assert.equal(set.endpoints.length, 1);
  assert.equal(set.endpoints[0]?.source.file, path.join(dir, "a.yaml"));
  assert.equal(set.diagnostics.map(formatDiagnostic), [
    `${path.join(dir, "b.yaml")}:3:7: duplicate address 'default/same' (<project_name>/<name>): first defined at ${path.join(dir, "a.yaml")}:3:7`,
  ]);
});

test("diagnostics are sorted by file, line and column", async () => {
  writeTree({
    "b.yaml": `${HEAD}name: b\n${CUSTOM}zz: 1\naa: 2\n`,
    "a.yaml": `${HEAD}name: a\n${CUSTOM}rate_limit: {tpm: x, rpm: y}\n`,
  });
  const set = await loadManifests(dir);
  const positions = set.diagnostics.map((d) => `${path.basename(d.file)}:${d.line}:${d.col}`);
  assert.equal(positions, ["a.yaml:6:19", "a.yaml:6:27", "b.yaml:6:1", "b.yaml:7:1"]);
});

test("a file with very many problems shows the first ones and says there are more", async () => {
  const unknown = Array.from({ length: 150 }, (_, index) => `k${String(index).padStart(3, "0")}: 1\n`).join(
    "",
  );
  writeTree({ "noisy.yaml": `${HEAD}name: noisy\n${CUSTOM}${unknown}` });
  const set = await loadManifests(dir);
  assert.is(set.diagnostics.length, MAX_DIAGNOSTICS_PER_FILE + 1);
  assert.match(set.diagnostics.at(-1)?.message ?? "", /more problems in this file are not shown/);
  assert.is(set.diagnostics[0]?.line, 6);
});

test("an empty directory has no files and no problems", async () => {
  assert.equal(await loadManifests(dir), { endpoints: [], diagnostics: [], files: [], connection: {} });
});

test("a missing directory, or a file given as the directory, is an input error", async () => {
  for (const [target, code] of [
    [path.join(dir, "nope"), "manifest_dir_not_found"],
    [path.join(repoRoot, "manifests", "endpoint-demo.yaml"), "manifest_dir_not_directory"],
  ] as const) {
    try {
      await loadManifests(target);
      assert.unreachable("should have thrown");
    } catch (error) {
      assert.ok(isArkSyncError(error), String(error));
      assert.is(error.kind, "input");
      assert.is(error.code, code);
    }
  }
});

test("__proto__, constructor and prototype keys are errors and pollute nothing", async () => {
  const before = Object.getOwnPropertyNames(Object.prototype).sort();
  const source = readFileSync(path.join(repoRoot, "test/fixtures/manifests/invalid/proto-keys/pollute.yaml"));
  writeTree({ "pollute.yaml": source.toString("utf8") });
  const set = await loadManifests(dir);
  assert.is(set.endpoints.length, 0);
  assert.ok(set.diagnostics.every((d) => d.code === "reserved_key"));
  assert.equal(Object.getOwnPropertyNames(Object.prototype).sort(), before);
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

test("an overlay's finding in a directory's own manifests is placed where each value was written", async () => {
  // Its own manifests, no base and no policies: the plan keeps only where names were written, so the
  // file is read again in full to place what the overlay reports.
  writeTree({
    "ark-sync.yaml":
      "apiVersion: ark-sync/v1\nkind: Config\ncommon_tags:\n  - {key: team, value: platform}\n",
    "chat.yaml": `${HEAD}name: chat\n${CUSTOM}tags:\n  - key: env\n    value: prod\n  - key: team\n    value: search\n`,
  });
  const { diagnostics, endpoints } = await loadManifests(dir);
  assert.equal(
    diagnostics.map((d) => formatDiagnostic(d).replaceAll(`${dir}${path.sep}`, "")),
    [
      "ark-sync.yaml:4:5: warning: common tag 'team' is not applied to 'default/chat': its manifest sets 'team' to 'search' at " +
        "chat.yaml:10:12, which wins over common_tags' 'platform'",
    ],
  );
  assert.equal(
    endpoints.map((endpoint) => endpoint.address),
    ["default/chat"],
  );
});

test.run();
