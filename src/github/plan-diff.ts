// One resource in Terraform's grammar, laid out for a ```diff fence: GitHub colours such a block by
// each line's first character, so the action symbol moves to column 0 (`~` becomes `!`, comments start
// with `#`) and the rest of the line keeps Terraform's columns. Built only from fields a saved plan
// file carries (endpoint_id, before, after, after_unknown, replace_paths, resource_drift).

import { compareStrings, formatPath, leafEquals, pathKey } from "../core/attribute-paths.js";
import { attributeOrder } from "../core/mutability.js";
import type {
  AttributePath,
  ChangeActions,
  DriftChange,
  ResourceChange,
  ResourceDrift,
} from "../core/types.js";
import { sanitizeText } from "./markdown-escape.js";

/** The 3-column gutter's symbol, or `#` for a comment line. */
export type DiffMarker = " " | "+" | "-" | "~" | "-/+" | "+/-" | "#";

export interface DiffLine {
  marker: DiffMarker;
  /** Nesting level; the text starts at column 4 × level + 4, as in Terraform. */
  level: number;
  text: string;
}

export type ResourceAction = "create" | "update" | "delete" | "delete-create" | "create-delete" | "no-op";

/** A line for a ```diff fence: the marker in column 0. */
export function formatDiffLine({ marker, level, text }: DiffLine): string {
  const shown = marker === "~" ? "!" : marker;
  return `${shown}${" ".repeat(4 * level + 4 - shown.length)}${text}`;
}

export function resourceAction(actions: ChangeActions): ResourceAction {
  if (actions.length === 2) return actions[0] === "delete" ? "delete-create" : "create-delete";
  return actions[0];
}

export function isReplace(action: ResourceAction): boolean {
  return action === "delete-create" || action === "create-delete";
}

/** `will be created`, `must be replaced`, … as in Terraform's resource headers. */
export function describeAction(action: ResourceAction): string {
  switch (action) {
    case "create":
      return "will be created";
    case "update":
      return "will be updated in-place";
    case "delete":
      return "will be destroyed";
    case "delete-create":
    case "create-delete":
      return "must be replaced";
    case "no-op":
      return "will be adopted";
  }
}

function actionMarker(action: ResourceAction): DiffMarker {
  switch (action) {
    case "create":
      return "+";
    case "update":
      return "~";
    case "delete":
      return "-";
    case "delete-create":
      return "-/+";
    case "create-delete":
      return "+/-";
    case "no-op":
      return " ";
  }
}

/** One line naming the resource and its action, for lists of resources shown without a body. */
export function resourceSummaryLine(resource: ResourceChange): DiffLine {
  const action = resourceAction(resource.change.actions);
  return {
    marker: actionMarker(action),
    level: 0,
    text: `${sanitizeText(resource.address)} ${describeAction(action)}`,
  };
}

/** The resource's whole block: header comments, `endpoint "…" {`, the attributes and `}`. */
export function resourceChangeLines(resource: ResourceChange, drift: ResourceDrift | undefined): DiffLine[] {
  const action = resourceAction(resource.change.actions);
  const replacing = isReplace(action);
  const context: BodyContext = {
    drift: new Map((drift?.changes ?? []).map((change) => [pathKey(change.path), change])),
    forcing: new Set(replacing ? resource.change.replace_paths.map((path) => path[0]) : []),
    changesLive: action === "update" || replacing,
  };
  const lines: DiffLine[] = [{ ...resourceSummaryLine(resource), marker: "#" }];
  const reason = describeReason(resource);
  if (reason !== null) lines.push({ marker: "#", level: 0, text: `(${reason})` });
  lines.push({ marker: actionMarker(action), level: 0, text: `endpoint ${quote(resource.address)} {` });
  lines.push(...nodeLines(diffResource(resource), 1, false, false, false, context));
  lines.push({ marker: " ", level: 0, text: "}" });
  return lines;
}

function describeReason(resource: ResourceChange): string | null {
  switch (resource.action_reason) {
    case "deleted_outside":
      return "because it was deleted outside ark-sync";
    case "removed_from_manifests":
      return "because it is no longer in the manifests";
    case "adopted_by_ownership_tag":
      return `adopting ${sanitizeText(resource.endpoint_id ?? "")}, found by its ark-sync:address ownership tag`;
    case "new_in_manifests":
    case "replace_because_cannot_update":
    case "update_in_place":
    case null:
      return null;
  }
}

/** A drifted resource for the "changed outside ark-sync" section: one line per drifted leaf. */
export function resourceDriftLines(drift: ResourceDrift): DiffLine[] {
  const address = sanitizeText(drift.address);
  if (drift.kind === "deleted") {
    return [
      { marker: "#", level: 0, text: `${address} has been deleted` },
      { marker: "-", level: 0, text: `endpoint ${quote(drift.address)} {` },
      { marker: "-", level: 1, text: `endpoint_id = ${formatValue(drift.endpoint_id)} -> null` },
      { marker: " ", level: 0, text: "}" },
    ];
  }
  const keys = ["endpoint_id", ...drift.changes.map((change) => sanitizeText(formatPath(change.path)))];
  const width = Math.max(...keys.map((key) => key.length));
  return [
    { marker: "#", level: 0, text: `${address} has changed` },
    { marker: "~", level: 0, text: `endpoint ${quote(drift.address)} {` },
    { marker: " ", level: 1, text: `${"endpoint_id".padEnd(width)} = ${formatValue(drift.endpoint_id)}` },
    ...drift.changes.map((change, i) => driftLine(change, (keys[i + 1] ?? "").padEnd(width))),
    { marker: " ", level: 0, text: "}" },
  ];
}

function driftLine(change: DriftChange, key: string): DiffLine {
  const live = "live" in change ? change.live : undefined;
  return live === undefined
    ? { marker: "-", level: 1, text: `${key} = ${formatValue(change.last_applied)} -> null` }
    : { marker: "~", level: 1, text: `${key} = ${formatValue(change.last_applied)} -> ${formatValue(live)}` };
}

/** One line per drifted resource: each changed attribute with its values, long values shortened. */
export function driftSummaryLine(drift: ResourceDrift): DiffLine {
  const address = sanitizeText(drift.address);
  if (drift.kind === "deleted") return { marker: "-", level: 0, text: `${address} has been deleted` };
  const changes = drift.changes.map((change) => {
    const live = "live" in change ? change.live : undefined;
    return `${sanitizeText(formatPath(change.path))} = ${shortValue(change.last_applied)} -> ${shortValue(live)}`;
  });
  return { marker: "~", level: 0, text: `${address} has changed: ${changes.join("; ")}` };
}

const SHORT_VALUE_LENGTH = 40;

function shortValue(value: unknown): string {
  const text = formatValue(value);
  return text.length <= SHORT_VALUE_LENGTH ? text : `${text.slice(0, SHORT_VALUE_LENGTH - 1)}…`;
}

export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return sanitizeText(JSON.stringify(value) ?? "null");
}

function quote(text: string): string {
  return sanitizeText(JSON.stringify(text));
}

// ---------------------------------------------------------------------------------------------
// The attribute tree of one resource change

type NodeAction = "create" | "delete" | "update" | "no-op";

interface DiffNode {
  key: string;
  path: AttributePath;
  action: NodeAction;
  before: unknown;
  after: unknown;
  /** Known only after apply (a new endpoint_id). */
  unknown: boolean;
  /** Null for a leaf. */
  children: DiffNode[] | null;
  /** Children keyed by free-form strings (tag keys). */
  isMap: boolean;
}

interface BodyContext {
  drift: Map<string, DriftChange>;
  /** Top-level attributes that force the replacement. */
  forcing: Set<string | undefined>;
  /** An update or replace of a live endpoint: a value it loses was removed from the manifest. */
  changesLive: boolean;
}

/** Printed even when unchanged, with all their children (Terraform's id, name and tags). */
const ALWAYS_SHOWN = new Set(["endpoint_id", "name", "tags"]);

function diffResource(resource: ResourceChange): DiffNode[] {
  const { before, after, after_unknown: afterUnknown } = resource.change;
  const idUnknown = own(afterUnknown, "endpoint_id") === true;
  const id = resource.endpoint_id ?? undefined;
  const beforeRecord = (before ?? {}) as Record<string, unknown>;
  const afterRecord = (after ?? {}) as Record<string, unknown>;
  const names = [...new Set([...Object.keys(beforeRecord), ...Object.keys(afterRecord)])].sort(compareNames);
  return [
    diffNode(
      "endpoint_id",
      ["endpoint_id"],
      before === null ? undefined : id,
      after === null || idUnknown ? undefined : id,
      idUnknown,
    ),
    ...names.map((name) =>
      diffNode(name, [name], own(beforeRecord, name), own(afterRecord, name), own(afterUnknown, name)),
    ),
  ];
}

function diffNode(
  key: string,
  path: AttributePath,
  before: unknown,
  after: unknown,
  unknownMark: unknown,
): DiffNode {
  const beforeSet = before !== undefined && before !== null;
  const afterSet = after !== undefined && after !== null;
  const beforeEntries = asContainer(path, before);
  const afterEntries = asContainer(path, after);
  const isContainer =
    (beforeEntries !== null || afterEntries !== null) &&
    (beforeEntries !== null || !beforeSet) &&
    (afterEntries !== null || !afterSet);
  if (!isContainer) {
    const unknown = unknownMark === true;
    const b = beforeSet ? before : undefined;
    const a = afterSet && !unknown ? after : undefined;
    const action: NodeAction = unknown
      ? b === undefined
        ? "create"
        : "update"
      : b === undefined
        ? a === undefined
          ? "no-op"
          : "create"
        : a === undefined
          ? "delete"
          : leafEquals(b, a)
            ? "no-op"
            : "update";
    return { key, path, action, before: b, after: a, unknown, children: null, isMap: false };
  }
  const b = beforeEntries ?? {};
  const a = afterEntries ?? {};
  const childUnknown = isRecord(unknownMark) ? unknownMark : {};
  const children = [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .sort(compareStrings)
    .map((child) =>
      diffNode(child, [...path, child], own(b, child), own(a, child), own(childUnknown, child)),
    );
  const action: NodeAction = !beforeSet
    ? "create"
    : !afterSet
      ? "delete"
      : children.some((child) => child.action !== "no-op")
        ? "update"
        : "no-op";
  return {
    key,
    path,
    action,
    before: undefined,
    after: undefined,
    unknown: false,
    children,
    isMap: isTags(path),
  };
}

function nodeLines(
  nodes: DiffNode[],
  level: number,
  inMap: boolean,
  parentDeleted: boolean,
  showAll: boolean,
  context: BodyContext,
): DiffLine[] {
  const visible = nodes.filter(
    (node) => showAll || node.action !== "no-op" || (!inMap && level === 1 && ALWAYS_SHOWN.has(node.key)),
  );
  const width = Math.max(0, ...visible.map((node) => displayKey(node, inMap).length));
  const lines = visible.flatMap((node) =>
    oneNodeLines(node, level, width, inMap, parentDeleted, showAll, context),
  );
  const hidden = nodes.length - visible.length;
  if (hidden > 0) {
    const noun = inMap ? "element" : "attribute";
    lines.push({
      marker: "#",
      level,
      text: `(${hidden} unchanged ${noun}${hidden === 1 ? "" : "s"} hidden)`,
    });
  }
  return lines;
}

function oneNodeLines(
  node: DiffNode,
  level: number,
  width: number,
  inMap: boolean,
  parentDeleted: boolean,
  showAll: boolean,
  context: BodyContext,
): DiffLine[] {
  const lines: DiffLine[] = [];
  const drift = context.drift.get(pathKey(node.path));
  if (drift && node.action !== "no-op") {
    lines.push({
      marker: "#",
      level,
      text: `changed outside ark-sync (last applied: ${formatValue(drift.last_applied)})`,
    });
  }
  if (node.action === "delete" && !parentDeleted && context.changesLive) {
    lines.push({ marker: "#", level, text: "removed from manifest" });
  }
  const marker = nodeMarker(node.action);
  const head = `${displayKey(node, inMap).padEnd(width)} = `;
  const forces = level === 1 && context.forcing.has(node.key) ? " # forces replacement" : "";
  const nullSuffix = node.action === "delete" && !parentDeleted ? " -> null" : "";
  if (node.children === null) {
    lines.push({ marker, level, text: `${head}${leafValue(node)}${nullSuffix}${forces}` });
  } else if (node.children.length === 0) {
    lines.push({ marker, level, text: `${head}{}${nullSuffix}${forces}` });
  } else {
    lines.push({ marker, level, text: `${head}{${forces}` });
    const showChildren = showAll || (!inMap && level === 1 && ALWAYS_SHOWN.has(node.key));
    lines.push(
      ...nodeLines(node.children, level + 1, node.isMap, node.action === "delete", showChildren, context),
    );
    lines.push({ marker: " ", level, text: `}${nullSuffix}` });
  }
  return lines;
}

function nodeMarker(action: NodeAction): DiffMarker {
  switch (action) {
    case "create":
      return "+";
    case "delete":
      return "-";
    case "update":
      return "~";
    case "no-op":
      return " ";
  }
}

function leafValue(node: DiffNode): string {
  const after = node.unknown ? "(known after apply)" : formatValue(node.after);
  switch (node.action) {
    case "create":
      return after;
    case "delete":
      return formatValue(node.before);
    case "update":
      return `${formatValue(node.before)} -> ${after}`;
    case "no-op":
      return formatValue(node.before);
  }
}

function displayKey(node: DiffNode, inMap: boolean): string {
  return inMap || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(node.key) ? quote(node.key) : node.key;
}

/** Objects as records; the tags list as a map keyed by tag key (a set: order never matters). */
function asContainer(path: AttributePath, value: unknown): Record<string, unknown> | null {
  if (isTags(path) && Array.isArray(value)) {
    const entries: [string, unknown][] = [];
    for (const tag of value)
      if (isRecord(tag) && typeof tag.key === "string") entries.push([tag.key, tag.value]);
    return Object.fromEntries(entries);
  }
  return isRecord(value) ? value : null;
}

function isTags(path: AttributePath): boolean {
  return path.length === 1 && path[0] === "tags";
}

function compareNames(a: string, b: string): number {
  return rank(a) - rank(b) || compareStrings(a, b);
}

function rank(name: string): number {
  const index = (attributeOrder as readonly string[]).indexOf(name);
  return index === -1 ? attributeOrder.length : index;
}

/** An own property only: a tag keyed `__proto__` is data, never the prototype. */
function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
