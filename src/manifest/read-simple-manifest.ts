// The fast path of reading a manifest file: its values built straight from yaml's CST, without
// composing yaml Documents, for files written the plain way manifests are (block maps and sequences
// of one-line scalars, comments, `---`). Composing was about a third of a file's cost and made most of
// its garbage (docs/design.md §11).
//
// It answers only when it can answer exactly as the composed path (check-manifest-file.ts) would: the
// same values, resolved by yaml's own scalar functions and core schema, and every endpoint valid. At
// anything else (a tag, an anchor, a flow collection, a multi-line or block scalar, a tab, a key set
// twice, a reserved key, an empty value or document, a directive, a YAML error, a problem in any
// document) it gives up and the composed path reads the file, so every diagnostic comes from one
// place. A test holds the two paths equal on generated files (test/manifest/simple-manifest.test.ts).
import { CST, Document, isScalar, LineCounter, type ScalarTag } from "yaml";
import type { SourceLocation } from "../core/types.js";
import { checkEndpointValue } from "./check-endpoint-document.js";
import { MAX_NESTING_DEPTH } from "./limits.js";
import { parseCst } from "./parse-cst.js";
import { RESERVED_KEYS, YAML_OPTIONS } from "./parse-yaml-documents.js";
import { escapeSegment, PLACEMENT_KEYS, type Provenance } from "./provenance.js";
import type { SourcedEndpoint } from "./sourced-endpoint.js";

/** Thrown inside the walk when the file is not one this path reads; caught below. */
class NotSimple extends Error {}

const giveUp = (): never => {
  throw new NotSimple();
};

// The tags and options the composed path resolves scalars with: a plain scalar takes the first
// default tag whose test matches, anything else (and every key, as stringKeys is on) is a string.
const { schema, options } = new Document(null, YAML_OPTIONS);
const stringTag = (schema as unknown as Record<symbol, ScalarTag>)[Symbol.for("yaml.scalar")] as ScalarTag;
const plainTags = schema.tags.filter(
  (tag): tag is ScalarTag => tag.default === true && "test" in tag && tag.test !== undefined,
);

/** The file's endpoints, or null when the composed path must read it. */
export function readSimpleManifest(
  file: string,
  text: string,
  recorded: "full" | "placement",
): SourcedEndpoint[] | null {
  const lineCounter = new LineCounter();
  const locate = (offset: number): SourceLocation => ({ file, ...lineCounter.linePos(offset) });
  const endpoints: SourcedEndpoint[] = [];
  try {
    const tooDeep = parseCst(text, MAX_NESTING_DEPTH, lineCounter.addNewLine, (token) => {
      if (token.type === "document") endpoints.push(readDocument(token, text, locate, recorded));
      else if (token.type !== "comment" && token.type !== "newline" && token.type !== "space") giveUp();
    });
    return tooDeep === undefined && endpoints.length > 0 ? endpoints : null;
  } catch (error) {
    if (error instanceof NotSimple) return null;
    throw error;
  }
}

function readDocument(
  { start, value: root, end }: CST.Document,
  text: string,
  locate: (offset: number) => SourceLocation,
  recorded: "full" | "placement",
): SourcedEndpoint {
  if (root?.type !== "block-map") return giveUp();
  // `--- key: value`: a block collection cannot start on the marker's line.
  const marker = separation(start, "doc-start", true);
  if (marker.indicators > 0 && !marker.newlineAfter) giveUp();
  // After the content's line end; yaml takes a comment there without a space before it.
  separation(end ?? [], null, true);

  const offsets = new Map<string, number>();
  const value = readNode(root, "", offsets);
  const checked = checkEndpointValue(value, giveUp, text, locate(root.offset), (at) => locate(at).line);
  if (checked.endpoint === undefined || checked.problems.length > 0) return giveUp();
  // In the composed path's order: every node in document order, or the document and its placement keys.
  const pointers =
    recorded === "full" ? offsets.keys() : ["", ...PLACEMENT_KEYS.map((key) => `/${escapeSegment(key)}`)];
  const provenance: Provenance = new Map();
  for (const pointer of pointers) {
    const offset = offsets.get(pointer);
    if (offset !== undefined) provenance.set(pointer, locate(offset));
  }
  return { endpoint: checked.endpoint, manifest: value as Record<string, unknown>, provenance };
}

/** The node's value, with each node's offset recorded under its JSON Pointer in document order. */
function readNode(token: CST.Token, pointer: string, offsets: Map<string, number>): unknown {
  offsets.set(pointer, token.offset);
  switch (token.type) {
    case "block-map": {
      const object: Record<string, unknown> = {};
      for (const item of token.items) {
        if (isTrailingComment(item, token.items)) continue;
        const key = implicitKey(item, token.indent);
        // Sound keys only: no reserved name, no merge key, each key once.
        if (RESERVED_KEYS.has(key) || key === "<<" || Object.hasOwn(object, key)) giveUp();
        object[key] = readNode(item.value as CST.Token, `${pointer}/${escapeSegment(key)}`, offsets);
      }
      return object;
    }
    case "block-seq": {
      const array: unknown[] = [];
      for (const item of token.items) {
        if (isTrailingComment(item, token.items)) continue;
        const { start, value } = item;
        const indicator = separation(start, "seq-item-ind", true);
        if (indicator.indicators !== 1 || indicator.newlineAfter || value === undefined) giveUp();
        array.push(readNode(value as CST.Token, `${pointer}/${array.length}`, offsets));
      }
      return array;
    }
    case "scalar":
    case "single-quoted-scalar":
    case "double-quoted-scalar":
      return scalarValue(token, false);
    default:
      return giveUp();
  }
}

/** Comment lines after a collection's last entry: yaml keeps them as an item of their own, and
 * refuses content after one, so only the last item may be one. */
function isTrailingComment(
  item: CST.BlockMap["items"][number] | CST.BlockSequence["items"][number],
  items: readonly unknown[],
): boolean {
  if ("key" in item || "sep" in item || item.value !== undefined) return false;
  if (items[items.length - 1] !== item) return giveUp();
  separation(item.start, null, true);
  return true;
}

/** A one-line key on the map's column, `:` after it on the same line, and a value: the key's text. */
function implicitKey({ start, key, sep, value }: CST.BlockMap["items"][number], indent: number): string {
  if (!key || !sep || value === undefined) return giveUp();
  if (key.type !== "scalar" && key.type !== "single-quoted-scalar" && key.type !== "double-quoted-scalar") {
    return giveUp();
  }
  if (key.indent !== indent || key.end?.some((token) => token.type === "newline")) giveUp();
  separation(start, null, true);
  const indicator = separation(sep, "map-value-ind", false);
  if (indicator.indicators !== 1 || indicator.newlineBefore) giveUp();
  // yaml refuses a `:` more than 1024 characters after its key's start.
  if ((indicator.offset ?? 0) - key.offset > 1000) giveUp();
  // A nested collection starts on the next line.
  if ((value.type === "block-map" || value.type === "block-seq") && !indicator.newlineAfter) giveUp();
  return scalarValue(key, true) as string;
}

interface Separation {
  indicators: number;
  /** Where the last indicator is. */
  offset?: number;
  newlineBefore: boolean;
  newlineAfter: boolean;
}

/**
 * Checks the tokens around content: `indicator`, line ends, spaces (no tabs) and comments after white
 * space; gives up at any other. `startsOnNewline`: the first token begins a line (a comment may come
 * first).
 */
function separation(
  tokens: readonly CST.SourceToken[],
  indicator: string | null,
  startsOnNewline: boolean,
): Separation {
  const found: Separation = { indicators: 0, newlineBefore: false, newlineAfter: false };
  let white = startsOnNewline;
  for (const token of tokens) {
    if (token.type === indicator) {
      found.indicators++;
      found.offset = token.offset;
      white = false;
    } else if (token.type === "newline") {
      if (found.indicators === 0) found.newlineBefore = true;
      else found.newlineAfter = true;
      white = true;
    } else if (token.type === "space" && /^ +$/.test(token.source)) {
      white = true;
    } else if (token.type === "comment" && white) {
      white = false;
    } else {
      giveUp();
    }
  }
  return found;
}

/** As yaml composes it, for a one-line scalar. */
function scalarValue(token: CST.FlowScalar, atKey: boolean): unknown {
  if (/[\n\r]/.test(token.source)) giveUp();
  separation(token.end ?? [], null, false);
  const resolved = CST.resolveAsScalar(token, true, giveUp);
  if (resolved === null) return giveUp();
  const tag =
    atKey || token.type !== "scalar"
      ? stringTag
      : (plainTags.find((candidate) => candidate.test?.test(resolved.value)) ?? stringTag);
  const result: unknown = tag.resolve(resolved.value, giveUp, options);
  const value = isScalar(result) ? result.value : result;
  const plain =
    value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean";
  return plain ? value : giveUp();
}
