// One way of saying things (issue 20): with --json, stdout is one JSON document whatever happened, so
// a CI step reading stdout gets JSON, never nothing. Diagnostics are `{"valid", "diagnostics"}`.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { run as runState } from "../../src/app/state.js";
import { run as runValidate } from "../../src/app/validate.js";
import { createLocalStateBackend } from "../../src/state/local-backend.js";
import { cleanEnv, runCli } from "../cli/run-cli.js";
import { quietState } from "../state/helpers.js";
import { recordIo, testContext } from "./context.js";
import { writeTree } from "./file-tree.js";

const valid =
  "apiVersion: ark-sync/v1\nkind: Endpoint\nname: chat\nmodel_reference:\n  custom_model_id: cm-1\n";
const invalid =
  "apiVersion: ark-sync/v1\nkind: Endpoint\nname: chat\nmodel_reference:\n  custom_model_id: cm-1\nbogus: 1\n";

async function withDir(files: Record<string, string>, body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-json-"));
  try {
    await writeTree(dir, files);
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("validate --json: valid manifests are {valid: true, diagnostics: []} and nothing else on stdout", () =>
  withDir({ "chat.yaml": valid }, async (dir) => {
    const io = recordIo();
    assert.is(await runValidate({ dir, json: true }, testContext({ io })), 0);
    assert.equal(JSON.parse(io.stdout), { valid: true, diagnostics: [] });
    assert.match(io.stderr, "Success!");
  }));

test("validate --json: every problem with file, line, col, severity, code and message; exit 1", () =>
  withDir({ "chat.yaml": invalid }, async (dir) => {
    const io = recordIo();
    assert.is(await runValidate({ dir, json: true }, testContext({ io })), 1);
    const document = JSON.parse(io.stdout) as { valid: boolean; diagnostics: Record<string, unknown>[] };
    assert.is(document.valid, false);
    assert.ok(document.diagnostics.length > 0);
    for (const diagnostic of document.diagnostics) {
      assert.equal(Object.keys(diagnostic), ["file", "line", "col", "severity", "code", "message"]);
    }
    assert.is(document.diagnostics[0]?.line, 6);
    assert.is(document.diagnostics[0]?.severity, "error");
  }));

test("validate --json in GitHub Actions: the annotations go to stderr, stdout holds the document only", () =>
  withDir({ "chat.yaml": invalid }, async (dir) => {
    const io = recordIo();
    const env = { GITHUB_ACTIONS: "true" };
    assert.is(await runValidate({ dir, json: true }, testContext({ io, env })), 1);
    assert.is((JSON.parse(io.stdout) as { valid: boolean }).valid, false);
    assert.match(io.stderr, /^::error file=.*chat\.yaml,line=6,/m);
    const text = recordIo();
    assert.is(await runValidate({ dir }, testContext({ io: text, env })), 1);
    assert.match(text.stdout, /^::error file=.*chat\.yaml,line=6,/m, "without --json they stay on stdout");
  }));

test("validate without --json still prints the success line on stdout", () =>
  withDir({ "chat.yaml": valid }, async (dir) => {
    const io = recordIo();
    assert.is(await runValidate({ dir }, testContext({ io })), 0);
    assert.match(io.stdout, /^Success! 1 endpoint in 1 file is valid\.\n$/);
  }));

test("state list --json: the addresses with endpoint ids, sorted, and the serial", () =>
  withDir({}, async (cwd) => {
    const backend = createLocalStateBackend(
      join(cwd, "manifests", ".ark-sync", "state.json"),
      cwd,
      quietState,
    );
    const lock = await backend.lock({ operation: "apply" });
    const resource = (endpoint_id: string) => ({ endpoint_id, last_applied: null, applied_at: null });
    const written = await lock.write({
      "prod/zeta": resource("ep-zeta"),
      "default/chat": resource("ep-chat"),
    });
    await lock.release();
    const io = recordIo();
    const code = await runState(
      { action: { kind: "list", json: true }, dir: "manifests" },
      testContext({ io, cwd }),
    );
    assert.is(code, 0);
    assert.equal(JSON.parse(io.stdout), {
      serial: written.serial,
      resources: [
        { address: "default/chat", endpoint_id: "ep-chat" },
        { address: "prod/zeta", endpoint_id: "ep-zeta" },
      ],
    });
  }));

test("state list --json with no state yet is still a document: serial 0, no resources", () =>
  withDir({}, async (cwd) => {
    const io = recordIo();
    const code = await runState(
      { action: { kind: "list", json: true }, dir: "manifests" },
      testContext({ io, cwd }),
    );
    assert.is(code, 0);
    assert.equal(JSON.parse(io.stdout), { serial: 0, resources: [] });
  }));

// Before issue 20, `plan --json` with invalid manifests printed nothing on stdout: a CI step piping it
// into a JSON reader failed on empty input instead of reading the problems.
test("plan --json with invalid manifests: the diagnostics document on stdout, exit 1, nothing read from Ark", () =>
  withDir({ "chat.yaml": invalid }, async (dir) => {
    const result = await runCli(["plan", dir, "--json", "--refresh=false"], { env: cleanEnv() });
    assert.is(result.code, 1, result.stderr);
    const document = JSON.parse(result.stdout) as { valid: boolean; diagnostics: { code: string }[] };
    assert.is(document.valid, false);
    assert.ok(document.diagnostics.length > 0);
    assert.match(result.stderr, "nothing was read from or sent to Ark");
  }));

test("plan without --json and invalid manifests keeps stdout empty", () =>
  withDir({ "chat.yaml": invalid }, async (dir) => {
    const result = await runCli(["plan", dir, "--refresh=false"], { env: cleanEnv() });
    assert.is(result.code, 1, result.stderr);
    assert.is(result.stdout, "");
  }));

test.run();
