// Rules the JSON Schema cannot express: tag keys unique and not reserved, ignore_changes paths that
// name an attribute, and a moved_from that is not the endpoint's own address.

import type { Document } from "yaml";
import { parsePath } from "../core/attribute-paths.js";
import { ownTagKeys, systemTagPrefixOf } from "../core/reserved-tags.js";
import type { AttributePath } from "../core/types.js";
import type { DocumentProblem } from "./document-problem.js";
import { endpointSchema, type SchemaNode } from "./endpoint-schema.js";
import { locateNode } from "./locate-node.js";
import { quote } from "./quote.js";
import { suggestName } from "./suggest-name.js";
import { DEFAULT_PROJECT_NAME } from "./to-desired-endpoint.js";

/** Attributes that form the address: ignoring changes to them means nothing. */
const ADDRESS_ATTRIBUTES = new Set(["name", "project_name"]);

/** @param docOf the document `value` is the value of, asked for only to place a problem. */
export function checkEndpointRules(
  value: unknown,
  docOf: () => Document.Parsed,
  lineOf: (offset: number) => number,
): DocumentProblem[] {
  if (!isRecord(value)) return [];
  const problems: DocumentProblem[] = [];
  const offsetOf = (segments: string[]) => locateNode(docOf(), segments)?.range?.[0] ?? 0;

  if (Array.isArray(value.tags)) {
    const tagKeyAt = (index: number) => offsetOf(["tags", String(index), "key"]);
    const seen = new Map<string, number>();
    value.tags.forEach((tag, index) => {
      if (!isRecord(tag) || typeof tag.key !== "string") return;
      const reserved = describeReservedTagKey(tag.key);
      if (reserved !== undefined)
        problems.push({ offset: tagKeyAt(index), code: "reserved_tag_key", message: reserved });
      const first = seen.get(tag.key);
      if (first === undefined) {
        seen.set(tag.key, index);
      } else {
        const message = `duplicate tag key ${quote(tag.key)}; tags are a set keyed by key, and it is already used on line ${lineOf(tagKeyAt(first))}`;
        problems.push({ offset: tagKeyAt(index), code: "duplicate_tag_key", message });
      }
    });
  }

  const ignored = isRecord(value.lifecycle) ? value.lifecycle.ignore_changes : undefined;
  if (Array.isArray(ignored)) {
    ignored.forEach((text, index) => {
      if (typeof text !== "string" || text === "") return;
      const message = describeIgnorePathProblem(text);
      if (message === undefined) return;
      problems.push({
        offset: offsetOf(["lifecycle", "ignore_changes", String(index)]),
        code: "unknown_path",
        message,
      });
    });
  }
  const movedFrom = value.moved_from;
  if (typeof movedFrom === "string" && typeof value.name === "string") {
    const projectName = typeof value.project_name === "string" ? value.project_name : DEFAULT_PROJECT_NAME;
    if (movedFrom === `${projectName}/${value.name}`) {
      problems.push({
        offset: offsetOf(["moved_from"]),
        code: "moved_to_itself",
        message: `moved_from ${quote(movedFrom)} is this endpoint's own address; name the address it had before the rename, or remove moved_from`,
      });
    }
  }
  return problems;
}

function describeReservedTagKey(key: string): string | undefined {
  const own = ownTagKeys.get(key);
  if (own !== undefined) return `tag key ${quote(key)} is reserved: ${own}`;
  const prefix = systemTagPrefixOf(key);
  if (prefix === undefined) return undefined;
  return `tag key ${quote(key)} is reserved: keys starting with '${prefix}', in any letter case, belong to Ark`;
}

function describeIgnorePathProblem(text: string): string | undefined {
  let path: AttributePath;
  try {
    path = parsePath(text);
  } catch {
    return `ignore_changes entry ${quote(text)} is not a path; write tags.KEY or tags["KEY"]`;
  }
  if (path[0] === "tags" && (path.length === 1 || (path.length === 2 && path[1] !== ""))) return undefined;
  const joined = path.join(".");
  if (ADDRESS_ATTRIBUTES.has(joined)) {
    return `ignore_changes cannot list ${quote(text)}: it is part of the endpoint's address`;
  }
  const paths = attributePaths();
  if (paths.includes(joined)) return undefined;
  const suggestion = suggestName(text, paths);
  const hint = suggestion === undefined ? "" : `; did you mean ${quote(suggestion)}?`;
  return `ignore_changes entry ${quote(text)} names no attribute${hint}`;
}

let knownPaths: string[] | undefined;

/** Every attribute path the schema defines (`rate_limit`, `rate_limit.rpm`, ...), bar the address
 * and ark-sync's own fields. Tags are a set: `tags`, `tags.KEY` or `tags["KEY"]`, checked above. */
function attributePaths(): string[] {
  knownPaths ??= collectPaths(endpointSchema, []).filter(
    (path) =>
      !["apiVersion", "kind", "lifecycle", "moved_from", ...ADDRESS_ATTRIBUTES].includes(
        path.split(".")[0] ?? "",
      ),
  );
  return knownPaths;
}

function collectPaths(schema: SchemaNode, prefix: string[]): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, child]) => {
    const segments = [...prefix, name];
    return [segments.join("."), ...collectPaths(child, segments)];
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
