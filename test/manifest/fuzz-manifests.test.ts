// Property: whatever bytes a manifest holds, loading never throws, never leaks a JavaScript error
// into a message, and every problem has a position inside the file.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { loadManifests } from "../../src/manifest/load-manifests.js";

const test = suite("manifest loading never throws");

let dir = "";
test.before.each(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "ark-sync-fuzz-"));
});
test.after.each(() => {
  rmSync(dir, { recursive: true, force: true });
});

const TOKENS = [
  "apiVersion: ark-sync/v1\n",
  "kind: Endpoint\n",
  "name: x\n",
  "model_reference:\n",
  "  custom_model_id: cm-1\n",
  "  foundation_model: {name: a, model_version: '1'}\n",
  "tags:\n",
  "  - {key: a, value: b}\n",
  "lifecycle: {ignore_changes: [tags.a, nope]}\n",
  "rate_limit: {rpm: 1}\n",
  "a:",
  " ",
  "  ",
  "\n",
  "\t",
  "- ",
  "[",
  "]",
  "{",
  "}",
  ",",
  "? ",
  ": ",
  "&a ",
  "*a",
  "!!str ",
  "!!js/function ",
  "!x ",
  "'",
  '"',
  "\\",
  "# c\n",
  "---\n",
  "...\n",
  "%YAML 1.1\n",
  "<<: ",
  "__proto__: ",
  "constructor: ",
  "|\n",
  ">-\n",
  "\u00e9",
  "\ufffd",
  "\ufeff",
  "017",
  "yes",
  "~",
  "null",
];

async function checkContent(content: string | Uint8Array): Promise<void> {
  writeFileSync(path.join(dir, "m.yaml"), content);
  const set = await loadManifests(dir);
  const text = typeof content === "string" ? content : Buffer.from(content).toString("utf8");
  const lineCount = text.split("\n").length;
  for (const d of set.diagnostics) {
    assert.ok(d.line >= 1 && d.line <= lineCount, `line ${d.line} outside the file: ${d.message}`);
    assert.ok(d.col >= 1, `col ${d.col}: ${d.message}`);
    assert.not.match(d.message, /undefined|\[object Object\]|TypeError|RangeError/);
  }
}

test("YAML-like token soup", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }), async (tokens) => {
      await checkContent(tokens.join(""));
    }),
    { numRuns: 300, seed: 20250601 },
  );
});

test("arbitrary bytes", async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
      await checkContent(bytes);
    }),
    { numRuns: 200, seed: 20250602 },
  );
});

test.run();
