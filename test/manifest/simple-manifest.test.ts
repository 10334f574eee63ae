// The fast path (read-simple-manifest.ts) must read a file exactly as the composed path does, or not
// at all: on generated files, plain and perturbed, whenever it answers, the composed path finds no
// problem and the same endpoints, values and positions of every value.
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkComposedManifest } from "../../src/manifest/check-manifest-file.js";
import { readSimpleManifest } from "../../src/manifest/read-simple-manifest.js";
import { OTHER_SCALARS, PLAIN_SCALARS } from "./yaml-scalars.js";

/** Scalars written every way YAML allows on one line, many of them not strings. */
const SCALARS = [...PLAIN_SCALARS, ...OTHER_SCALARS];

const KEYS = ["name", "description", "extra", "'name'", '"project_name"', "__proto__", "<<", "a b", "1", "~"];

/** A valid manifest's lines, with the places a perturbation may go. */
function manifest(name: string, description: string, rpm: string, tag: string): string[] {
  return [
    "apiVersion: ark-sync/v1",
    "kind: Endpoint",
    `name: ${name}`,
    "project_name: default",
    `description: ${description}`,
    "model_reference:",
    "  foundation_model:",
    "    name: doubao-1-5-pro-32k",
    '    model_version: "250115"',
    "rate_limit:",
    `  rpm: ${rpm}`,
    "  tpm: 10000",
    "tags:",
    "  - key: env",
    `    value: ${tag}`,
    "  - key: team",
    "    value: search",
  ];
}

const PERTURBATIONS = [
  (line: string) => `${line} # a comment`,
  (line: string) => `${line}#glued`,
  (line: string) => `${line}   `,
  (line: string) => `${line}\t`,
  (line: string) => `\t${line}`,
  (line: string) => ` ${line}`,
  (line: string) => line.replace(": ", ":"),
  (line: string) => line.replace(": ", " : "),
  (line: string) => line.replace(": ", ":\t"),
  (line: string) => line.replace("- ", "-\n    "),
  (line: string) => line.replace("- ", "-  "),
  (line: string) => `# before\n${line}`,
  (line: string) => `${line}\n  # after, indented`,
  (line: string) => `${line}\n# after`,
  (line: string) => `${line}\n#after`,
  (line: string) => `\n${line}`,
  (line: string) => `${line}\n---`,
  (line: string) => `${line}\n...`,
  (line: string) => `--- ${line}`,
  (line: string) => `${line}\r`,
  (line: string) => line.replace(/^(\s*)(\w+):/, "$1$2:\n$1  nested:"),
  (line: string) => line.replace(/^(\s*)/, "$1? "),
  (line: string) => line.replace(/: .*/, ":"),
  (line: string) => `${line}\n${line}`,
  (line: string) => line.replace(/^ {2}/, ""),
  (line: string) => line.replace(/^ {2}- /, "- ").replace(/^ {4}value/, "  value"),
  (line: string) => line.replace(/^(\s*)- /, "$1-   "),
  (line: string) => line.replace(": ", ":   "),
  (line: string) => `${line}:`,
  (line: string) => line.replace(/: (.*)$/, ": $1: x"),
  (line: string) => line.replace(/: (.*)$/, ": - $1"),
  (line: string) => line.replace(/: (.*)$/, ": -$1"),
  (line: string) => line.replace(/: (.*)$/, ":\n  $1"),
  (line: string) => `${line}\n  continued`,
  (line: string) => `${line}\n      continued`,
  (line: string) => `${line}\n---x`,
  (line: string) => `${line}\n---\n---`,
  (line: string) => `${line}\n   `,
  (line: string) => `${line}\r\r`,
];

/** Strings that stay strings (most documents should be valid), and every other scalar now and then. */
const text = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "plain",
      "'single'",
      '"double"',
      '"esc\\tape"',
      "'it''s'",
      "a#b",
      "x y",
      "é",
      "''",
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(...SCALARS) },
);
const integer = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("5", "100", "+1", "012", "0o17", "0x1F", "-0") },
  { weight: 1, arbitrary: fc.constantFrom(...SCALARS) },
);

const document = fc
  .record({
    name: fc.constantFrom("chat", "'chat'", '"chat"', "Chat_1", "1", "chat-a"),
    description: text,
    rpm: integer,
    tag: text,
    changes: fc.array(
      fc.record({
        line: fc.nat(17),
        perturb: fc.nat(PERTURBATIONS.length - 1),
        key: fc.option(fc.constantFrom(...KEYS), { freq: 4 }),
      }),
      { maxLength: 2 },
    ),
  })
  .map(({ name, description, rpm, tag, changes }) => {
    const lines = manifest(name, description, rpm, tag);
    for (const { line, perturb, key } of changes) {
      const at = line % lines.length;
      let text = (PERTURBATIONS[perturb] as (line: string) => string)(lines[at] as string);
      if (key !== null) text = text.replace(/^(\s*)(- )?\w+:/, `$1$2${key}:`);
      lines[at] = text;
    }
    return lines.join("\n");
  });

const file = fc
  .record({
    documents: fc.array(document, { minLength: 1, maxLength: 3 }),
    lead: fc.constantFrom("", "# header\n", "---\n", "--- # marker\n", "%YAML 1.2\n---\n", "\n\n"),
    separator: fc.constantFrom("\n---\n", "\n--- # next\n", "\n---\n\n", "\n---"),
    crlf: fc.boolean(),
  })
  .map(({ documents, lead, separator, crlf }) => {
    const text = `${lead}${documents.join(separator)}\n`;
    return crlf ? text.replaceAll("\n", "\r\n") : text;
  });

test("whenever the fast path answers, the composed path reads the same endpoints and finds no problem", () => {
  let answered = 0;
  let declined = 0;
  fc.assert(
    fc.property(file, fc.constantFrom("full" as const, "placement" as const), (text, recorded) => {
      const fast = readSimpleManifest("m.yaml", text, recorded);
      if (fast === null) {
        declined++;
        return;
      }
      answered++;
      const composed = checkComposedManifest("m.yaml", text, recorded);
      assert.equal(composed.diagnostics, [], text);
      assert.equal(fast, composed.endpoints, text);
    }),
    { numRuns: 5000 },
  );
  // Both sides of the property were exercised.
  assert.ok(answered > 100, `the fast path answered ${answered} files`);
  assert.ok(declined > 300, `the fast path declined ${declined} files`);
});

test("plainly written valid manifests take the fast path, comments and quoting included", () => {
  const text = [
    "# endpoints of the search team",
    "apiVersion: ark-sync/v1",
    "kind: Endpoint",
    'name: "chat"  # the main one',
    "project_name: default",
    "description: 'it''s 1 endpoint'",
    "model_reference:",
    "  foundation_model:",
    "    name: doubao-1-5-pro-32k",
    '    model_version: "250115"',
    "",
    "rate_limit:",
    "  rpm: 100",
    "tags:",
    "  # cost first",
    "  - key: cost-center",
    "    value: cc-1",
    "    # comment lines after a collection's last entry",
    "---",
    "apiVersion: ark-sync/v1",
    "kind: Endpoint",
    "name: embed",
    "model_reference:",
    "  foundation_model: {name: doubao-embedding, model_version: '240715'}",
    "# the end",
    "",
  ].join("\n");
  const fast = readSimpleManifest("m.yaml", text, "full");
  assert.is(fast, null, "a flow mapping is left to the composed path");
  const plain = text.replace(
    "  foundation_model: {name: doubao-embedding, model_version: '240715'}",
    "  foundation_model:\n    name: doubao-embedding\n    model_version: '240715'",
  );
  const read = readSimpleManifest("m.yaml", plain, "full");
  assert.ok(read !== null, "the plain file takes the fast path");
  assert.equal(read, checkComposedManifest("m.yaml", plain, "full").endpoints);
  assert.equal(
    read.map(({ endpoint }) => endpoint.address),
    ["default/chat", "default/embed"],
  );
});

test("a document with a problem sends the whole file to the composed path, which places it", () => {
  const good =
    "apiVersion: ark-sync/v1\nkind: Endpoint\nname: a\nmodel_reference:\n  custom_model_id: cm-1\n";
  const bad = good.replace("name: a", "name: b\nrate_limit:\n  rpm: many");
  const text = `${good}---\n${bad}`;
  assert.is(readSimpleManifest("m.yaml", text, "placement"), null);
  const composed = checkComposedManifest("m.yaml", text, "placement");
  assert.equal(
    composed.diagnostics.map((d) => [d.line, d.code]),
    [[11, "wrong_type"]],
  );
});

test.run();
