// Hostile manifests through the real CLI in a child process: whatever the input, `ark-sync validate`
// ends on its own with a clear file:line:col error and exit code 1, never a signal or an abort.
// The 20 s timeout is a hang guard, not a timing assertion.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { MAX_FILE_BYTES } from "../../src/manifest/limits.js";

const test = suite("validate CLI on hostile input");
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const cli = path.join(repoRoot, "dist", "src", "cli", "main.js");
const corpus = path.join("test", "fixtures", "manifests", "invalid");

const VALID =
  "apiVersion: ark-sync/v1\nkind: Endpoint\nname: ok\nmodel_reference:\n  custom_model_id: cm-1\n";

interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function validate(dir: string, nodeOptions: string[] = []): CliRun {
  const result = spawnSync(process.execPath, [...nodeOptions, cli, "validate", dir], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 20_000,
    env: { ...process.env, NO_COLOR: "1" },
  });
  assert.is(result.error, undefined, `the CLI did not finish: ${result.error?.message}`);
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

function assertFailed(run: CliRun): void {
  assert.is(run.signal, null, `killed by ${run.signal}`);
  assert.is(run.status, 1, `exit ${run.status}; stderr:\n${run.stderr}`);
  assert.not.match(run.stderr, /unexpected failure|RangeError|Maximum call stack/);
}

/** The diagnostic lines of a committed case, as the golden file has them (paths relative to the case). */
function diagnosticLines(run: CliRun, dir: string): string {
  return run.stderr
    .split("\n")
    .filter((line) => line.startsWith(`${dir}${path.sep}`))
    .map((line) => `${line.slice(dir.length + 1)}\n`)
    .join("");
}

for (const name of [
  "alias-bomb",
  "non-utf8",
  "unknown-tags",
  "duplicate-keys",
  "yaml-1-1",
  "control-characters",
]) {
  test(`${name}: exit 1 with the golden file:line:col diagnostics`, () => {
    const dir = path.join(corpus, name);
    const run = validate(dir);
    assertFailed(run);
    const expected = readFileSync(path.join(repoRoot, corpus, `${name}.expected`), "utf8");
    assert.fixture(diagnosticLines(run, dir), expected);
    assert.match(run.stderr, /^\d+ errors? in \d+ files?\.$/m);
    assert.is(run.stdout, "");
  });
}

test("__proto__ keys: exit 1, errors at their positions, Object.prototype untouched", () => {
  const probe = [
    'process.on("exit", () => process.stderr.write("PROBE " + JSON.stringify({',
    "names: Object.getOwnPropertyNames(Object.prototype).sort(),",
    "polluted: ({}).polluted === undefined ? null : String(({}).polluted) }) + '\\n'))",
  ].join("");
  const dir = path.join(corpus, "proto-keys");
  const run = validate(dir, ["--import", `data:text/javascript,${encodeURIComponent(probe)}`]);
  assertFailed(run);
  assert.fixture(
    diagnosticLines(run, dir),
    readFileSync(path.join(repoRoot, corpus, "proto-keys.expected"), "utf8"),
  );
  const report = /^PROBE (.*)$/m.exec(run.stderr)?.[1];
  assert.ok(report, "the probe did not report");
  assert.equal(JSON.parse(report), {
    names: Object.getOwnPropertyNames(Object.prototype).sort(),
    polluted: null,
  });
});

test("empty files and documents: warnings only, exit 0", () => {
  const dir = path.join(corpus, "empty-files");
  const run = validate(dir);
  assert.is(run.signal, null);
  assert.is(run.status, 0, run.stderr);
  assert.fixture(
    diagnosticLines(run, dir),
    readFileSync(path.join(repoRoot, corpus, "empty-files.expected"), "utf8"),
  );
  assert.is(run.stdout, "Success! 1 endpoint in 4 files is valid.\n");
});

let dir = "";
test.before.each(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "ark-sync-hostile-"));
});
test.after.each(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(relative: string, content: string | Uint8Array): void {
  mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
  writeFileSync(path.join(dir, relative), content);
}

test("a file over 1 MiB is refused before parsing", () => {
  write("huge.yaml", `description: "${"x".repeat(5 * MAX_FILE_BYTES)}"\n`);
  write("just-over.yaml", "#".repeat(MAX_FILE_BYTES + 1));
  write("at-limit.yaml", `${VALID}#${"x".repeat(MAX_FILE_BYTES - VALID.length - 2)}\n`);
  const run = validate(dir);
  assertFailed(run);
  assert.match(
    run.stderr,
    `${path.join(dir, "huge.yaml")}:1:1: file is larger than the 1 MiB limit (${5 * MAX_FILE_BYTES + 16} bytes); split it into smaller manifests`,
  );
  assert.match(run.stderr, `${path.join(dir, "just-over.yaml")}:1:1: file is larger than the 1 MiB limit`);
  assert.not.match(run.stderr, "at-limit.yaml");
  assert.match(run.stderr, "2 errors in 2 files.");
});

test("10,000-level flow nesting ends with an error at the first level too deep", () => {
  write("flow.yaml", `name: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`);
  write("flow-map.yaml", `a: ${"{a: ".repeat(10_000)}1${"}".repeat(10_000)}\n`);
  const run = validate(dir);
  assertFailed(run);
  // The root map is level 1, so the 32nd bracket is level 33.
  assert.match(run.stderr, `${path.join(dir, "flow.yaml")}:1:38: nesting is deeper than 32 levels`);
  assert.match(run.stderr, `${path.join(dir, "flow-map.yaml")}:1:128: nesting is deeper than 32 levels`);
});

test("10,000-level block nesting ends with an error", () => {
  write("sequence.yaml", `${"- ".repeat(10_000)}x\n`);
  const lines = Array.from({ length: 1_400 }, (_, level) => `${" ".repeat(level)}a:\n`).join("");
  write("mapping.yaml", lines);
  const run = validate(dir);
  assertFailed(run);
  assert.match(run.stderr, `${path.join(dir, "sequence.yaml")}:1:65: nesting is deeper than 32 levels`);
  assert.match(run.stderr, `${path.join(dir, "mapping.yaml")}:33:33: nesting is deeper than 32 levels`);
});

test("a million brackets (the whole 1 MiB) is refused as quickly as ten thousand", () => {
  write("brackets.yaml", "[".repeat(MAX_FILE_BYTES));
  const run = validate(dir);
  assertFailed(run);
  assert.match(run.stderr, `${path.join(dir, "brackets.yaml")}:1:33: nesting is deeper than 32 levels`);
});

test("symbolic link loops end; broken and self links, pipes and unreadable entries are errors", () => {
  write("sub/ok.yaml", VALID);
  symlinkSync("..", path.join(dir, "sub", "loop"));
  symlinkSync(".", path.join(dir, "self-dir"));
  symlinkSync("self.yaml", path.join(dir, "self.yaml"));
  symlinkSync("missing.yaml", path.join(dir, "broken.yaml"));
  const fifo = spawnSync("mkfifo", [path.join(dir, "pipe.yaml")]);
  assert.is(fifo.status, 0, "mkfifo failed");
  const run = validate(dir);
  assertFailed(run);
  const lines = run.stderr.split("\n").map((line) => line.replace(`${dir}${path.sep}`, ""));
  assert.equal(lines, [
    "broken.yaml:1:1: cannot read file: no such file (a broken symbolic link?) (ENOENT)",
    "pipe.yaml:1:1: not a regular file (a pipe, socket or device)",
    `self-dir:1:1: warning: directory skipped: it is ${dir} again (a symbolic link loop or a second link)`,
    "self.yaml:1:1: cannot read file: too many levels of symbolic links (a link loop) (ELOOP)",
    `sub/loop:1:1: warning: directory skipped: it is ${dir} again (a symbolic link loop or a second link)`,
    "3 errors in 3 files.",
    "",
  ]);
});

test("the example manifests validate", () => {
  const run = validate("manifests");
  assert.is(run.status, 0, run.stderr);
  assert.is(run.stderr, "");
  assert.is(run.stdout, "Success! 2 endpoints in 2 files are valid.\n");
});

test("a missing directory is one clear error, exit 1", () => {
  const run = validate(path.join(dir, "nope"));
  assertFailed(run);
  assert.match(run.stderr, `Error: manifest directory ${path.join(dir, "nope")} does not exist`);
});

test.run();
