// Reads YAML written the plain way manifests are, line by line: lines of `key: value`, `key:` opening
// a nested block, `- ` items, one-line plain or quoted scalars, comments, blank lines and `---`. Such a
// file's structure is its indentation; each scalar is still resolved by yaml's own functions and core
// schema, as yaml composes it. yaml's lexer and parser alone cost more than a plan is allowed
// (docs/contributing.md#benchmarks), and this is several times cheaper.
//
// Anything else gives up (null): a tag, an anchor or alias, a flow collection, a multi-line or block
// scalar, a tab, a key that is not a plain word, a key set twice, a reserved key, an empty value or
// document, an indented root, a directive, `...`, a byte-order mark. So whatever it reads, yaml reads
// the same, with no error: a property test holds the two equal, values and positions
// (test/manifest/read-plain-yaml.test.ts).
import { CST, Document, isScalar, type ScalarTag } from "yaml";
import { MAX_NESTING_DEPTH } from "./limits.js";
import { RESERVED_KEYS, YAML_OPTIONS } from "./parse-yaml-documents.js";
import { escapeSegment } from "./provenance.js";

/** One document: a map, and each node's offset under its JSON Pointer, in document order. */
export interface PlainDocument {
  value: Record<string, unknown>;
  offsets: Map<string, number>;
}

/** Thrown while reading when the text is not plain; caught below. */
class NotPlain extends Error {}

function giveUp(): never {
  throw new NotPlain();
}

// The tags and options yaml resolves scalars with for manifests: a plain scalar takes the first
// default tag whose test matches, a quoted one (and every key, as stringKeys is on) is a string.
const { schema, options } = new Document(null, YAML_OPTIONS);
const stringTag = (schema as unknown as Record<symbol, ScalarTag>)[Symbol.for("yaml.scalar")] as ScalarTag;
const plainTags = schema.tags.filter(
  (tag): tag is ScalarTag => tag.default === true && "test" in tag && tag.test !== undefined,
);

/** `---` alone on its line, or with a comment. */
const DOCUMENT_START = /^---(?: +(?:#.*)?)?$/;
/** A key and what follows its `:`: a plain word, as manifests' keys are. */
const KEY_LINE = /^([A-Za-z0-9_][A-Za-z0-9_./-]*):(?: +(.*))?$/;
/** What may not start a plain scalar (YAML's indicators), but for `-` before a digit or a dot. */
const NOT_PLAIN_START = /^(?:[-?:,[\]{}#&*!|>'"%@`\s]|$)/;
const SIGNED_NUMBER_START = /^-[0-9.]/;

/**
 * The documents of `text`, each a map, or null when it is not plain. `onLineStart` is told the offset
 * where each line starts (a LineCounter's addNewLine), as yaml's parser tells it.
 */
export function readPlainYaml(text: string, onLineStart: (offset: number) => void): PlainDocument[] | null {
  // Line ends are \n or \r\n; a lone \r is one too in YAML, and a tab has rules of its own.
  if (/[\t\uFEFF]|\r(?!\n)/.test(text)) return null;
  const documents: PlainDocument[] = [];
  try {
    let document = new DocumentReader();
    let offset = 0;
    for (const raw of text.split("\n")) {
      onLineStart(offset);
      const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      if (DOCUMENT_START.test(line)) {
        // An empty document (two markers, or a marker after the last one) is yaml's to read.
        if (document.isEmpty() && (documents.length > 0 || document.started)) giveUp();
        if (!document.isEmpty()) documents.push(document.finish());
        document = new DocumentReader(true);
      } else {
        document.read(line, offset);
      }
      offset += raw.length + 1;
    }
    documents.push(document.finish());
    return documents;
  } catch (error) {
    if (error instanceof NotPlain) return null;
    throw error;
  }
}

/** An open block collection: its column, and where a nested one opened by its last entry goes. */
type Open =
  | { kind: "map"; indent: number; value: Record<string, unknown>; pointer: string }
  | { kind: "seq"; indent: number; value: unknown[]; pointer: string };

/** Where the next line's collection goes: after `key:` with nothing after it. */
interface Pending {
  parent: Open;
  key: string;
  pointer: string;
}

/** One document, line by line: a root block map and what nests in it. */
class DocumentReader {
  readonly offsets = new Map<string, number>();
  private readonly stack: Open[] = [];
  private pending: Pending | undefined;

  /** @param started whether a `---` opened it. */
  constructor(readonly started = false) {}

  isEmpty(): boolean {
    return this.stack.length === 0;
  }

  read(line: string, lineStart: number): void {
    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent++;
    // Blank and comment lines are no content, at any column.
    if (indent === line.length || line.charCodeAt(indent) === 35) return;
    const content = line.slice(indent);
    const offset = lineStart + indent;
    if (content.startsWith("- ")) this.item(content.slice(2), indent, offset);
    else this.entry(content, indent, offset, null);
  }

  finish(): PlainDocument {
    if (this.pending !== undefined || this.stack.length === 0) giveUp();
    return { value: this.stack[0]?.value as Record<string, unknown>, offsets: this.offsets };
  }

  /** `- ` at `indent`: an item of the sequence on that column, or the first of a new one. */
  private item(rest: string, indent: number, offset: number): void {
    const seq = this.pending ? this.openSeq(indent, offset) : this.closeTo(indent, "seq", offset);
    if (seq.kind !== "seq") giveUp();
    const pointer = `${seq.pointer}/${seq.value.length}`;
    const column = indent + 2;
    if (KEY_LINE.test(rest)) {
      // `- key: value`: a map on the column of its first key, holding this line's entry.
      const map: Open = { kind: "map", indent: column, value: {}, pointer };
      this.offsets.set(pointer, offset + 2);
      seq.value.push(map.value);
      this.push(map);
      this.entry(rest, column, offset + 2, map);
    } else {
      seq.value.push(this.scalar(rest, offset + 2, pointer));
    }
  }

  /** `key: value` or `key:` at `indent`, in `map` or the map open on that column. */
  private entry(content: string, indent: number, offset: number, map: Open | null): void {
    const match = KEY_LINE.exec(content) ?? giveUp();
    const target = map ?? (this.pending ? this.openMap(indent, offset) : this.closeTo(indent, "map", offset));
    if (target.kind !== "map") giveUp();
    const key = match[1] as string;
    // Sound keys only, as the composed path requires: no reserved name, no merge key, each key once;
    // and none past yaml's limit of 1024 characters before the `:`.
    if (RESERVED_KEYS.has(key) || Object.hasOwn(target.value, key) || key.length > 1000) giveUp();
    const pointer = `${target.pointer}/${escapeSegment(key)}`;
    const rest = match[2] ?? "";
    if (rest === "" || rest.startsWith("#")) {
      // A nested block follows; its place is known at its first line.
      this.offsets.set(pointer, -1);
      this.pending = { parent: target, key, pointer };
      return;
    }
    target.value[key] = this.scalar(rest, offset + content.length - rest.length, pointer);
  }

  /** Closes the collections deeper than `indent`; the one left must be of `kind` on that column. The
   * document's first line opens its root map, at `offset`. */
  private closeTo(indent: number, kind: Open["kind"], offset: number): Open {
    let top = this.stack[this.stack.length - 1];
    // A sequence may sit on its parent key's column: a key there closes it.
    while (top !== undefined && (top.indent > indent || (top.indent === indent && top.kind !== kind))) {
      this.stack.pop();
      top = this.stack[this.stack.length - 1];
    }
    if (top === undefined) {
      if (kind !== "map" || indent !== 0 || this.offsets.size > 0) return giveUp();
      const root: Open = { kind: "map", indent: 0, value: {}, pointer: "" };
      this.offsets.set("", offset);
      this.push(root);
      return root;
    }
    return top.indent === indent ? top : giveUp();
  }

  /** The block a `key:` opened, as a map: deeper than that key. */
  private openMap(indent: number, offset: number): Open {
    const { parent, key, pointer } = this.pending as Pending;
    if (indent <= parent.indent) return giveUp();
    const map: Open = { kind: "map", indent, value: {}, pointer };
    this.attach(parent, key, map, offset);
    return map;
  }

  /** The block a `key:` opened, as a sequence: its `-` may be on that key's own column. */
  private openSeq(indent: number, offset: number): Open {
    const { parent, key, pointer } = this.pending as Pending;
    if (indent < parent.indent) return giveUp();
    const seq: Open = { kind: "seq", indent, value: [], pointer };
    this.attach(parent, key, seq, offset);
    return seq;
  }

  private attach(parent: Open, key: string, opened: Open, offset: number): void {
    (parent.value as Record<string, unknown>)[key] = opened.value;
    this.offsets.set(opened.pointer, offset);
    this.pending = undefined;
    this.push(opened);
  }

  private push(open: Open): void {
    if (this.stack.length >= MAX_NESTING_DEPTH) giveUp();
    this.stack.push(open);
  }

  /** A one-line scalar and what may follow it on its line (spaces, a comment after a space). */
  private scalar(source: string, offset: number, pointer: string): unknown {
    this.offsets.set(pointer, offset);
    const quote = source.charCodeAt(0);
    if (quote === 34 || quote === 39) {
      const end = closingQuote(source);
      const after = source.slice(end + 1);
      if (after !== "" && !/^ +(?:#.*)?$/.test(after)) giveUp();
      const token = {
        type: quote === 34 ? "double-quoted-scalar" : "single-quoted-scalar",
        offset,
        indent: 0,
        source: source.slice(0, end + 1),
      } as const;
      return CST.resolveAsScalar(token, true, giveUp)?.value ?? giveUp();
    }
    if (NOT_PLAIN_START.test(source) && !SIGNED_NUMBER_START.test(source)) giveUp();
    // The value ends at a comment; a `: ` or `:` at its end would make it a key.
    const comment = source.indexOf(" #");
    // YAML's white space is the space and the tab: not all that trimEnd takes (a no-break space).
    const plain = (comment === -1 ? source : source.slice(0, comment)).replace(/ +$/, "");
    if (plain.includes(": ") || plain.endsWith(":")) giveUp();
    return plainValue(plain);
  }
}

/** The index of the quote that closes the one `source` starts with (`''` and `\"` inside). */
function closingQuote(source: string): number {
  const quote = source[0];
  for (let i = 1; i < source.length; i++) {
    const char = source[i];
    if (quote === '"' && char === "\\") i++;
    else if (char === quote) {
      if (quote === "'" && source[i + 1] === "'") i++;
      else return i;
    }
  }
  return giveUp();
}

/** As yaml composes a one-line plain scalar: the first core-schema type whose test matches. */
function plainValue(source: string): unknown {
  const tag = plainTags.find((candidate) => candidate.test?.test(source)) ?? stringTag;
  const result: unknown = tag.resolve(source, giveUp, options);
  const value = isScalar(result) ? result.value : result;
  const primitive =
    value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean";
  return primitive ? value : giveUp();
}
