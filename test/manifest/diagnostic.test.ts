import { suite } from "uvu";
import * as assert from "uvu/assert";
import { compareDiagnostics, type Diagnostic, formatDiagnostic } from "../../src/manifest/diagnostic.js";
import { quote } from "../../src/manifest/quote.js";
import { suggestName } from "../../src/manifest/suggest-name.js";

const test = suite("manifest diagnostics");

const error: Diagnostic = {
  file: "manifests/a.yaml",
  line: 3,
  col: 7,
  severity: "error",
  code: "x",
  message: "boom",
};

test("errors print as file:line:col: message, warnings with 'warning:'", () => {
  assert.is(formatDiagnostic(error), "manifests/a.yaml:3:7: boom");
  assert.is(formatDiagnostic({ ...error, severity: "warning" }), "manifests/a.yaml:3:7: warning: boom");
});

test("diagnostics sort by file, then line, then column, then message", () => {
  const sorted = [
    { ...error, file: "b.yaml", line: 1 },
    { ...error, line: 10, col: 1 },
    { ...error, line: 2, col: 9 },
    { ...error, line: 2, col: 3, message: "z" },
    { ...error, line: 2, col: 3, message: "a" },
  ].sort(compareDiagnostics);
  assert.equal(
    sorted.map((d) => `${d.file}:${d.line}:${d.col}:${d.message}`),
    [
      "b.yaml:1:7:boom",
      "manifests/a.yaml:2:3:a",
      "manifests/a.yaml:2:3:z",
      "manifests/a.yaml:2:9:boom",
      "manifests/a.yaml:10:1:boom",
    ],
  );
});

test("quoted manifest text cannot carry terminal escapes and stays short", () => {
  assert.is(quote("name"), "'name'");
  assert.is(quote("a\u001b[2Jb\u009b"), "'a\\x1b[2Jb\\x9b'");
  assert.is(quote("it's"), "'it\\'s'");
  assert.is(quote("x".repeat(100)), `'${"x".repeat(60)}…'`);
});

test("did-you-mean finds typos, case and separator variants, and nothing far away", () => {
  const names = ["name", "description", "rate_limit", "model_reference", "tags"];
  assert.is(suggestName("nmae", names), "name");
  assert.is(suggestName("RateLimit", names), "rate_limit");
  assert.is(suggestName("model-reference", names), "model_reference");
  assert.is(suggestName("descripton", names), "description");
  assert.is(suggestName("tag", names), "tags");
  assert.is(suggestName("endpoint_id", names), undefined);
  assert.is(suggestName("x".repeat(10_000), names), undefined);
});

test.run();
