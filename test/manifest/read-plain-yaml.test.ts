// read-plain-yaml.ts reads structure from indentation where yaml parses it: on random block documents,
// written with every indentation style yaml accepts and perturbed, whenever it answers, yaml reads the
// same documents with no error or warning, the same values, and every node at the same offset.
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Document, isMap, isSeq, type Node, parseAllDocuments } from "yaml";
import { YAML_OPTIONS } from "../../src/manifest/parse-yaml-documents.js";
import { escapeSegment } from "../../src/manifest/provenance.js";
import { readPlainYaml } from "../../src/manifest/read-plain-yaml.js";
import { OTHER_SCALARS, PLAIN_SCALARS } from "./yaml-scalars.js";

type Tree = { scalar: string } | { map: Array<[string, Tree]> } | { seq: Tree[] };

/** Scalars and keys yaml reads plainly, mostly, and now and then every other kind. */
const scalar = fc.oneof(
  { weight: 15, arbitrary: fc.constantFrom(...PLAIN_SCALARS) },
  { weight: 1, arbitrary: fc.constantFrom(...OTHER_SCALARS) },
);
const key = fc.oneof(
  { weight: 15, arbitrary: fc.constantFrom("a", "b", "c", "name", "x.y", "k-1", "1", "true", "_") },
  {
    weight: 1,
    arbitrary: fc.constantFrom("k".repeat(1025), "__proto__", "<<", "~", "a b", "'q'", '"q"', "-k", "?k"),
  },
);

const tree = fc.letrec<{ node: Tree; map: Tree; seq: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    scalar.map((scalar) => ({ scalar })),
    tie("map"),
    tie("seq"),
  ),
  // Keys mostly distinct: a key set twice is refused, and the documents should mostly be readable.
  map: fc
    .uniqueArray(fc.tuple(key, tie("node")), { minLength: 1, maxLength: 4, selector: ([name]) => name })
    .map((map) => ({ map })),
  seq: fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: scalar.map((scalar): Tree => ({ scalar })) },
        { weight: 3, arbitrary: tie("map") },
        { weight: 1, arbitrary: tie("seq") },
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((seq) => ({ seq })),
})).node;

interface Style {
  width: number;
  seqOnKeyColumn: boolean;
}

/** Block style: `key: scalar`, `key:` then its block, `- ` items (a map's first key after the dash). */
function write(node: Tree, indent: number, style: Style, lines: string[], prefix = ""): void {
  const pad = " ".repeat(indent);
  if ("scalar" in node) {
    lines.push(`${pad}${prefix}${node.scalar}`);
  } else if ("map" in node) {
    const column = indent + prefix.length;
    node.map.forEach(([key, inner], i) => {
      const head = i === 0 ? `${pad}${prefix}` : " ".repeat(column);
      if ("scalar" in inner) {
        lines.push(`${head}${key}: ${inner.scalar}`);
        return;
      }
      lines.push(`${head}${key}:`);
      write(inner, "seq" in inner && style.seqOnKeyColumn ? column : column + style.width, style, lines);
    });
  } else {
    // A sequence as an item of a sequence: a bare dash, its items on the lines below.
    const column = prefix === "" ? indent : indent + prefix.length;
    if (prefix !== "") lines.push(`${pad}${prefix.trimEnd()}`);
    for (const item of node.seq) write(item, column, style, lines, "- ");
  }
}

const PERTURB = [
  (line: string) => `${line} # c`,
  (line: string) => `${line}#c`,
  (line: string) => `${line}  `,
  (line: string) => `# c\n${line}`,
  (line: string) => `  # c\n${line}`,
  (line: string) => `\n${line}`,
  (line: string) => ` ${line}`,
  (line: string) => line.replace(/^ /, ""),
  (line: string) => line.replace(": ", ":  "),
  (line: string) => line.replace("- ", "-  "),
  (line: string) => `${line}\n  more`,
  (line: string) => `${line}\t`,
];

const text = fc
  .record({
    documents: fc.array(
      fc.record({
        root: fc.array(fc.tuple(key, tree), { minLength: 1, maxLength: 4 }).map((map): Tree => ({ map })),
        width: fc.integer({ min: 1, max: 4 }),
        seqOnKeyColumn: fc.boolean(),
        perturb: fc.array(fc.tuple(fc.nat(40), fc.nat(PERTURB.length - 1)), { maxLength: 2 }),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    marker: fc.constantFrom("---", "--- # d", "---  "),
    leadingMarker: fc.boolean(),
    crlf: fc.boolean(),
  })
  .map(({ documents, marker, leadingMarker, crlf }) => {
    const written = documents.map(({ root, width, seqOnKeyColumn, perturb }) => {
      const lines: string[] = [];
      write(root, 0, { width, seqOnKeyColumn }, lines);
      for (const [at, which] of perturb) {
        const index = at % lines.length;
        lines[index] = (PERTURB[which] as (line: string) => string)(lines[index] as string);
      }
      return lines.join("\n");
    });
    const joined = `${leadingMarker ? `${marker}\n` : ""}${written.join(`\n${marker}\n`)}\n`;
    return crlf ? joined.replaceAll("\n", "\r\n") : joined;
  });

/** Every node's offset by JSON Pointer, in document order, as yaml placed it. */
function offsetsOf(doc: Document.Parsed): Array<[string, number]> {
  const found: Array<[string, number]> = [];
  const visit = (node: Node | null, pointer: string) => {
    if (node?.range) found.push([pointer, node.range[0]]);
    if (isMap(node)) {
      for (const pair of node.items)
        visit(
          pair.value as Node | null,
          `${pointer}/${escapeSegment(String((pair.key as { value: unknown }).value))}`,
        );
    } else if (isSeq(node)) {
      for (const [index, item] of node.items.entries()) visit(item as Node | null, `${pointer}/${index}`);
    }
  };
  visit(doc.contents, "");
  return found;
}

test("whatever read-plain-yaml reads, yaml reads the same: values, offsets, no problem", () => {
  let answered = 0;
  let declined = 0;
  fc.assert(
    fc.property(text, (source) => {
      const plain = readPlainYaml(source, () => {});
      if (plain === null) {
        declined++;
        return;
      }
      answered++;
      const docs = parseAllDocuments(source, YAML_OPTIONS);
      const parsed = Array.isArray(docs) ? docs : [docs];
      for (const doc of parsed) {
        assert.equal(
          [...doc.errors, ...doc.warnings].map((e) => e.message),
          [],
          source,
        );
      }
      assert.equal(
        plain.map((d) => d.value),
        parsed.map((d) => d.toJS({ maxAliasCount: 0 })),
        source,
      );
      assert.equal(
        plain.map((d) => [...d.offsets]),
        parsed.map(offsetsOf),
        source,
      );
    }),
    { numRuns: 6000 },
  );
  assert.ok(answered > 300, `read-plain-yaml answered ${answered} texts`);
  assert.ok(declined > 500, `read-plain-yaml declined ${declined} texts`);
});

test("a manifest written as import writes it is plain", () => {
  const source = [
    "# yaml-language-server: $schema=../schemas/endpoint.schema.json",
    "apiVersion: ark-sync/v1",
    "name: chat",
    'description: "it\'s a \\"test\\" #1"',
    "tags:",
    "  - key: env",
    "    value: yes",
    "",
  ].join("\n");
  const plain = readPlainYaml(source, () => {});
  assert.equal(plain?.[0]?.value, {
    apiVersion: "ark-sync/v1",
    name: "chat",
    description: 'it\'s a "test" #1',
    tags: [{ key: "env", value: "yes" }],
  });
});

test.run();
