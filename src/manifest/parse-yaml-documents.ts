// Parses a manifest's text into YAML documents with positions, as YAML 1.2 (core schema), and
// reports every YAML-level problem: syntax errors, and the features a manifest must not use
// (aliases, merge keys, unknown tags, duplicate keys, JavaScript-reserved keys, YAML 1.1).
import {
  type Alias,
  Composer,
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type YAMLError,
  type YAMLMap,
} from "yaml";
import type { Diagnostic } from "./diagnostic.js";
import { MAX_NESTING_DEPTH } from "./limits.js";
import { parseCst } from "./parse-cst.js";
import { quote } from "./quote.js";

export interface YamlDocument {
  doc: Document.Parsed;
  /** Offset of the document's content, for messages about the whole document. */
  offset: number;
  /** False when the document has YAML-level problems; it is then not checked further. */
  sound: boolean;
}

export interface ParsedYaml extends YamlStream {
  /** Non-empty documents, in file order. */
  documents: YamlDocument[];
}

/** How manifests are read: read-plain-yaml.ts resolves scalars with these too. */
export const YAML_OPTIONS = {
  version: "1.2",
  schema: "core",
  // YAML 1.1 types (!!binary, !!set, !!timestamp...) stay unknown tags; `<<` is not a merge.
  resolveKnownTags: false,
  merge: false,
  stringKeys: true,
  // Duplicates are found below, so the message can name the first occurrence.
  uniqueKeys: false,
  prettyErrors: false,
} as const;

/** Keys that name a JavaScript prototype: data under them could reach Object.prototype. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Every non-empty document of `text` with its problems; see forEachYamlDocument. */
export function parseYamlDocuments(file: string, text: string): ParsedYaml {
  const documents: YamlDocument[] = [];
  const parsed = forEachYamlDocument(file, text, (document) => documents.push(document));
  return { documents: parsed.tooDeep ? [] : documents, ...parsed };
}

export interface YamlStream {
  lineCounter: LineCounter;
  /** Every YAML-level problem, in the order found. */
  diagnostics: Diagnostic[];
  /** The file nests too deep: `diagnostics` holds only that, and what was visited is to be dropped. */
  tooDeep: boolean;
}

/**
 * Hands each non-empty document to `visit` as soon as it is composed, with its YAML-level problems
 * already in `diagnostics` (a visitor may add its own). Only about one document is alive at a time, so
 * a big file's documents die young, where collecting them cost more than parsing them
 * (docs/contributing.md#benchmarks).
 */
export function forEachYamlDocument(
  file: string,
  text: string,
  visit: (document: YamlDocument, stream: YamlStream) => void,
): YamlStream {
  const stream: YamlStream = { lineCounter: new LineCounter(), diagnostics: [], tooDeep: false };
  const { lineCounter, diagnostics } = stream;
  const report = (
    offset: number,
    code: string,
    message: string,
    severity: Diagnostic["severity"] = "error",
  ) => {
    const { line, col } = lineCounter.linePos(offset);
    diagnostics.push({ file, line, col, severity, code, message });
  };
  let visited = 0;
  const take = (doc: Document.Parsed) => {
    const before = diagnostics.length;
    for (const problem of [...doc.errors, ...doc.warnings]) reportYamlProblem(problem, text, report);
    checkVersionDirective(doc, text, report);
    if (isEmptyDocument(doc, text)) {
      if (diagnostics.length === before) return;
    } else {
      checkNodes(doc, lineCounter, report);
    }
    visited++;
    visit(
      { doc, offset: doc.contents?.range[0] ?? doc.range[0], sound: diagnostics.length === before },
      stream,
    );
  };

  const composer = new Composer(YAML_OPTIONS);
  let composed = 0;
  const tooDeepAt = parseCst(text, MAX_NESTING_DEPTH, lineCounter.addNewLine, (token) => {
    for (const doc of composer.next(token)) {
      composed++;
      take(doc);
    }
  });
  if (tooDeepAt !== undefined) {
    diagnostics.length = 0;
    stream.tooDeep = true;
    report(
      tooDeepAt,
      "nesting_too_deep",
      `nesting is deeper than ${MAX_NESTING_DEPTH} levels; a manifest needs 3`,
    );
    return stream;
  }
  const last = [...composer.end()];
  if (composed + last.length === 0) {
    const info = composer.streamInfo();
    for (const problem of [...info.errors, ...info.warnings]) reportYamlProblem(problem, text, report);
  }
  for (const doc of last) take(doc);
  if (visited === 0 && diagnostics.length === 0) {
    report(0, "empty_file", "no YAML document in this file; it declares no endpoint", "warning");
  }
  return stream;
}

/** Nothing but comments, or `---` alone: skipped, as kubectl does. An explicit `null` is not empty. */
function isEmptyDocument(doc: Document.Parsed, text: string): boolean {
  const contents = doc.contents;
  if (contents === null) return true;
  return (
    isScalar(contents) &&
    contents.value === null &&
    text.slice(contents.range[0], contents.range[1]).trim() === ""
  );
}

type Report = (offset: number, code: string, message: string) => void;

function reportYamlProblem(problem: YAMLError, text: string, report: Report): void {
  const [start, end] = problem.pos;
  const source = text.slice(start, end);
  switch (problem.code) {
    case "TAG_RESOLVE_FAILED":
      report(start, "yaml_unknown_tag", `unsupported tag ${quote(source)}; write a plain YAML value`);
      return;
    case "NON_STRING_KEY":
      report(start, "yaml_non_string_key", "keys must be plain strings");
      return;
    default: {
      const message = problem.message.charAt(0).toLowerCase() + problem.message.slice(1);
      // yaml reports a quote that never closes where the file ends; the reader needs where it opens.
      const opening = problem.code === "MISSING_CHAR" ? openingQuoteBefore(text, start, message) : null;
      if (opening !== null) {
        report(opening, "yaml_missing_char", `${message}: this quoted string never ends`);
        return;
      }
      report(start, `yaml_${problem.code.toLowerCase()}`, message);
    }
  }
}

/** Where the unterminated quoted string that `message` speaks of opens: the last quote of its kind
 * before `end` that nothing escapes (`\"` in double quotes, `''` in single quotes); null if none. */
function openingQuoteBefore(text: string, end: number, message: string): number | null {
  const quote = message.includes('"quote') ? '"' : message.includes("'quote") ? "'" : null;
  if (quote === null) return null;
  for (let i = Math.min(end, text.length) - 1; i >= 0; i--) {
    if (text[i] !== quote) continue;
    if (quote === '"' && text[i - 1] === "\\") continue;
    if (quote === "'" && (text[i - 1] === "'" || text[i + 1] === "'")) {
      i--;
      continue;
    }
    return i;
  }
  return null;
}

function checkVersionDirective(doc: Document.Parsed, text: string, report: Report): void {
  const { explicit, version } = doc.directives.yaml;
  if (!explicit || version === "1.2") return;
  const directive = text.lastIndexOf("%YAML", doc.range[0]);
  const message = `%YAML ${version} is not supported: ark-sync reads manifests as YAML 1.2; remove the directive`;
  report(directive === -1 ? doc.range[0] : directive, "yaml_version", message);
}

function checkNodes(doc: Document.Parsed, lineCounter: LineCounter, report: Report): void {
  const aliases: { first?: Alias; count: number } = { count: 0 };
  // A walk of our own rather than yaml's visit, which copies the path at every collection and pair:
  // the same nodes in the same order (a map's keys checked before its pairs are entered).
  const walk = (node: unknown): void => {
    if (isAlias(node)) {
      aliases.first ??= node;
      aliases.count++;
    } else if (isMap(node)) {
      checkKeys(node, lineCounter, report);
      for (const { key, value } of node.items) {
        walk(key);
        walk(value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    }
  };
  walk(doc.contents);
  const { first, count } = aliases;
  if (first !== undefined) {
    const more = count > 1 ? ` (${count} aliases in this document)` : "";
    const message = `aliases (*${first.source}) are not supported in manifests; write the value out in full${more}`;
    report(first.range?.[0] ?? 0, "yaml_alias", message);
  }
}

function checkKeys(map: YAMLMap, lineCounter: LineCounter, report: Report): void {
  const seen = new Map<string, number>();
  for (const { key } of map.items) {
    if (!isScalar(key) || typeof key.value !== "string") continue;
    const name = key.value;
    const offset = key.range?.[0] ?? 0;
    if (RESERVED_KEYS.has(name)) {
      report(offset, "reserved_key", `key ${quote(name)} is not allowed: it is a reserved JavaScript name`);
    } else if (name === "<<") {
      report(
        offset,
        "yaml_merge_key",
        "merge keys ('<<') are not supported; write the attributes out in full",
      );
    }
    const first = seen.get(name);
    if (first === undefined) {
      seen.set(name, offset);
    } else {
      const { line } = lineCounter.linePos(first);
      report(offset, "yaml_duplicate_key", `duplicate key ${quote(name)}; it is already set on line ${line}`);
    }
  }
}
