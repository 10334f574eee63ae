import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isArkSyncError } from "../../src/core/errors.js";
import type { StateDocument } from "../../src/core/types.js";
import {
  checkBeforeWrite,
  newStateDocument,
  nextStateDocument,
  parseStateDocument,
  serializeStateDocument,
} from "../../src/state/state-document.js";
import { repoRoot, resource } from "./helpers.js";

const fixtures = join(repoRoot, "test/state/fixtures/malformed");

// One fixture per way a state file can be wrong, and what the error must say about it.
const malformed: { file: string; expect: string[] }[] = [
  { file: "not-json.json", expect: ["not valid JSON"] },
  { file: "empty.json", expect: ["not valid JSON", "the file is empty"] },
  { file: "array.json", expect: ["must be a JSON object", "a list"] },
  { file: "wrong-version.json", expect: [`"version" is 2`, "reads state version 1"] },
  { file: "missing-lineage.json", expect: [`"lineage" is missing`] },
  { file: "serial-not-integer.json", expect: [`"serial" must be a non-negative integer, got 1.5`] },
  { file: "serial-string.json", expect: [`"serial" must be a non-negative integer, got "3"`] },
  { file: "resources-not-object.json", expect: [`"resources" must be an object keyed by address`] },
  { file: "unknown-top-level.json", expect: [`unknown top-level field "outputs"`] },
  {
    file: "endpoint-id-missing.json",
    expect: [`resources["default/chat"].endpoint_id must be a non-empty string`],
  },
  {
    file: "rate-limit-string.json",
    expect: [`resources["default/chat"].last_applied.rate_limit.rpm must be an integer, got "10"`],
  },
  {
    file: "unknown-attribute.json",
    expect: [`resources["default/chat"].last_applied: unknown field "colour"`],
  },
  { file: "tags-not-list.json", expect: [`resources["default/chat"].last_applied.tags must be a list`] },
  {
    file: "ignored-writes-malformed.json",
    expect: [
      `resources["default/chat"].ignored_writes[0]: unknown field "why"`,
      `resources["default/chat"].ignored_writes[0].path must be a non-empty list of strings`,
      `resources["default/chat"].ignored_writes[0].action must be CreateEndpoint or UpdateEndpoint, got "PatchEndpoint"`,
      `resources["default/chat"].ignored_writes[0].at must be an ISO 8601 time`,
    ],
  },
  {
    file: "sync-record-malformed.json",
    expect: [
      `sync: unknown field "muted"`,
      `sync.notified must be an object of strings`,
      `sync.history[0]: unknown field "who"`,
      `sync.history[0].at must be an ISO 8601 time`,
    ],
  },
  {
    file: "applied-at-not-time.json",
    expect: [`resources["default/chat"].applied_at must be an ISO 8601 time`],
  },
  {
    file: "address-without-project.json",
    expect: [`resources["chat"]: the address must be <project_name>/<name>`],
  },
  {
    file: "proto-address.json",
    expect: [`resources["__proto__"]: "__proto__" is not allowed as an address`],
  },
  {
    file: "proto-in-last-applied.json",
    expect: [`resources["default/chat"].last_applied: unknown field "__proto__"`],
  },
  {
    file: "shared-endpoint-id.json",
    expect: [
      `"default/chat" and "default/chat-copy" record the same endpoint ep-20250101000000-abcde`,
      "keep the right one and delete the other",
    ],
  },
  {
    file: "several-problems.json",
    expect: [
      `"lineage" must be a non-empty string`,
      `"serial" must be a non-negative integer, got -1`,
      `resources["default/a"].endpoint_id must be a non-empty string, got 42`,
      `resources["default/b"]: unknown field "extra"`,
      `resources["default/b"].last_applied.model_reference.foundation_model.name must be a string, got 7`,
    ],
  },
];

for (const { file, expect } of malformed) {
  test(`malformed state ${file}: a clear input error naming the file and the problem`, () => {
    const where = `manifests/.ark-sync/${file}`;
    let thrown: unknown;
    try {
      parseStateDocument(readFileSync(join(fixtures, file), "utf8"), where);
    } catch (error) {
      thrown = error;
    }
    assert.ok(isArkSyncError(thrown), "an ArkSyncError");
    if (!isArkSyncError(thrown)) return;
    assert.is(thrown.kind, "input");
    assert.is(thrown.code, "state_invalid");
    assert.ok(thrown.message.includes(where), thrown.message);
    for (const expected of expect)
      assert.ok(thrown.message.includes(expected), `${expected}\n in: ${thrown.message}`);
    assert.is(({} as Record<string, unknown>).polluted, undefined, "Object.prototype untouched");
  });
}

test("every fixture in the folder has a case", () => {
  assert.equal(readdirSync(fixtures).sort(), malformed.map((c) => c.file).sort());
});

test("newStateDocument: version 1, a UUID lineage, serial 0, no resources; lineages differ", () => {
  const a = newStateDocument();
  const b = newStateDocument();
  assert.is(a.version, 1);
  assert.is(a.serial, 0);
  assert.equal(a.resources, {});
  assert.match(a.lineage, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.is.not(a.lineage, b.lineage);
});

test("serialize then parse is the identity; resources come out sorted by address", () => {
  const document: StateDocument = {
    version: 1,
    lineage: "lineage-1",
    serial: 7,
    resources: {
      "default/zeta": resource("ep-zeta"),
      "default/alpha": { endpoint_id: "ep-alpha", last_applied: null, applied_at: null },
      "prod/mid": {
        endpoint_id: "ep-mid",
        last_applied: {
          name: "mid",
          project_name: "prod",
          description: "d",
          model_reference: { custom_model_id: "cm-1" },
          model_unit_id: "mu-1",
          moderation: { strategy: "Basic" },
          rate_limit: { rpm: 1, tpm: 2 },
          tags: [{ key: "env", value: "prod" }],
        },
        applied_at: "2025-02-03T04:05:06.000Z",
        ignored_writes: [
          {
            path: ["moderation", "strategy"],
            action: "UpdateEndpoint",
            sent: "Basic",
            held: "Default",
            at: "2025-02-03T04:05:06.000Z",
          },
          { path: ["description"], action: "CreateEndpoint", sent: "d", at: "2025-02-03T04:05:06.000Z" },
        ],
      },
    },
  };
  const text = serializeStateDocument(document);
  assert.equal(parseStateDocument(text, "x"), document);
  assert.equal(Object.keys(JSON.parse(text).resources), ["default/alpha", "default/zeta", "prod/mid"]);
  assert.ok(text.endsWith("}\n"));
});

test("nextStateDocument keeps the lineage and raises the serial by one", () => {
  const base = newStateDocument();
  const next = nextStateDocument(base, { "default/a": resource("ep-a") });
  assert.is(next.lineage, base.lineage);
  assert.is(next.serial, 1);
  assert.is(nextStateDocument(next, {}).serial, 2);
});

test("sync's record survives a round trip and every later write that does not replace it", () => {
  const sync = {
    notified: { "drift:0123456789abcdef": "f".repeat(32) },
    history: [{ at: "2026-12-07T02:00:00.000Z", line: "self-heal: default/chat rate_limit.rpm 99 -> 10" }],
  };
  const document = nextStateDocument(newStateDocument(), { "default/a": resource("ep-a") }, sync);
  assert.equal(parseStateDocument(serializeStateDocument(document), "x"), document);
  const later = nextStateDocument(document, {});
  assert.equal(later.sync, sync);
  assert.equal(nextStateDocument(later, {}, { notified: {}, history: [] }).sync, {
    notified: {},
    history: [],
  });
  assert.not.ok("sync" in nextStateDocument(newStateDocument(), {}), "no record until sync writes one");
});

test("checkBeforeWrite turns a document that would not read back into an internal error", () => {
  const bad = serializeStateDocument({
    ...newStateDocument(),
    resources: { "default/a": { endpoint_id: "", last_applied: null, applied_at: null } },
  });
  try {
    checkBeforeWrite(bad);
    assert.unreachable("should throw");
  } catch (error) {
    assert.ok(isArkSyncError(error) && error.kind === "internal" && error.code === "state_invalid_write");
  }
});

test.run();
