// One resource in Terraform's grammar: the `# <address> will be …` header, the 3-column action
// gutter, 4 spaces per level, keys padded so `=` aligns, `old -> new`, `# forces replacement`,
// `# (N unchanged attributes hidden)`; endpoint_id, name and tags always printed in full.
import { pathKey } from "../core/attribute-paths.js";
import type {
  ActionReason,
  ChangeActions,
  DriftChange,
  ResourceChange,
  ResourceDrift,
} from "../core/types.js";
import { type DiffNode, diffResource } from "./diff-tree.js";
import { formatAttributePath, formatValue, quote, sanitizeText } from "./format-value.js";
import { type DiffAction, formatActionSymbol, type Palette } from "./palette.js";

/** Attributes printed even when unchanged, with all their children (Terraform's id, name, tags). */
const ALWAYS_SHOWN = new Set(["endpoint_id", "name", "tags"]);

export function resourceAction(actions: ChangeActions): DiffAction {
  if (actions.length === 2) return actions[0] === "delete" ? "delete-create" : "create-delete";
  return actions[0];
}

/** The resource's block, header comments included, as lines without trailing newlines. */
export function renderResourceChange(
  resource: ResourceChange,
  drift: ResourceDrift | undefined,
  palette: Palette,
): string[] {
  const action = resourceAction(resource.change.actions);
  const replacing = action === "delete-create" || action === "create-delete";
  const context: BodyContext = {
    palette,
    drift: new Map((drift?.changes ?? []).map((change) => [pathKey(change.path), change])),
    forcing: new Set(replacing ? resource.change.replace_paths.map((path) => path[0]) : []),
    changesLive: action === "update" || replacing,
  };
  const lines = [
    `${palette.bold(`  # ${sanitizeText(resource.address)}`)} ${describeAction(action, palette)}`,
  ];
  const reason = describeReason(resource.action_reason, resource.endpoint_id);
  if (reason !== null) lines.push(`  # (${reason})`);
  lines.push(`${formatActionSymbol(action, palette)} endpoint ${quote(resource.address)} {`);
  lines.push(
    ...renderNodes(
      diffResource(resource),
      { level: 1, inMap: false, parentDeleted: false, showAll: false },
      context,
    ),
  );
  lines.push("    }");
  return lines;
}

/** A drifted resource for the "changed outside ark-sync" section, one line per drifted leaf. */
export function renderResourceDrift(drift: ResourceDrift, palette: Palette): string[] {
  const address = sanitizeText(drift.address);
  if (drift.kind === "deleted") {
    return [
      `${palette.bold(`  # ${address}`)} has been deleted`,
      `${formatActionSymbol("delete", palette)} endpoint ${quote(drift.address)} {`,
      `    ${formatActionSymbol("delete", palette)} endpoint_id = ${formatValue(drift.endpoint_id)}${nullSuffix(palette)}`,
      "    }",
    ];
  }
  const keys = ["endpoint_id", ...drift.changes.map((change) => formatAttributePath(change.path))];
  const width = Math.max(...keys.map((key) => key.length));
  return [
    `${palette.bold(`  # ${address}`)} has changed`,
    `${formatActionSymbol("update", palette)} endpoint ${quote(drift.address)} {`,
    `    ${formatActionSymbol("no-op", palette)} ${"endpoint_id".padEnd(width)} = ${formatValue(drift.endpoint_id)}`,
    ...drift.changes.map((change) => renderDriftLine(change, width, palette)),
    "    }",
  ];
}

function renderDriftLine(change: DriftChange, width: number, palette: Palette): string {
  const live = "live" in change ? change.live : undefined;
  const action: DiffAction = live === undefined ? "delete" : "update";
  const value =
    action === "delete"
      ? `${formatValue(change.last_applied)}${nullSuffix(palette)}`
      : `${formatValue(change.last_applied)} ${palette.update("->")} ${formatValue(live)}`;
  return `    ${formatActionSymbol(action, palette)} ${formatAttributePath(change.path).padEnd(width)} = ${value}`;
}

function describeAction(action: DiffAction, palette: Palette): string {
  switch (action) {
    case "create":
      return "will be created";
    case "update":
      return "will be updated in-place";
    case "delete":
      return `will be ${palette.bold(palette.destroy("destroyed"))}`;
    case "delete-create":
    case "create-delete":
      return `must be ${palette.bold(palette.destroy("replaced"))}`;
    case "no-op":
      return "will be adopted";
  }
}

function describeReason(reason: ActionReason | null, endpointId: string | null): string | null {
  switch (reason) {
    case "deleted_outside":
      return "because it was deleted outside ark-sync";
    case "removed_from_manifests":
      return "because it is no longer in the manifests";
    case "adopted_by_ownership_tag":
      return `adopting ${sanitizeText(endpointId ?? "")}, found by its ark-sync:address ownership tag`;
    case "new_in_manifests":
    case "replace_because_cannot_update":
    case "update_in_place":
    case null:
      return null;
  }
}

interface BodyContext {
  palette: Palette;
  /** Drifted leaves of this resource, by pathKey. */
  drift: Map<string, DriftChange>;
  /** Top-level attributes that force the replacement. */
  forcing: Set<string | undefined>;
  /** An update or replace of a live endpoint: a value it loses was removed from the manifest. */
  changesLive: boolean;
}

/** Where a list of sibling nodes is drawn. */
interface Scope {
  level: number;
  /** Siblings are tag entries: quoted keys, "elements". */
  inMap: boolean;
  /** The parent object is removed whole: only its closing brace says `-> null`. */
  parentDeleted: boolean;
  /** Print unchanged siblings too (inside endpoint_id, name and tags). */
  showAll: boolean;
}

function renderNodes(nodes: DiffNode[], scope: Scope, context: BodyContext): string[] {
  const visible = nodes.filter(
    (node) => scope.showAll || node.action !== "no-op" || (!scope.inMap && ALWAYS_SHOWN.has(node.key)),
  );
  const width = Math.max(0, ...visible.map((node) => displayKey(node, scope.inMap).length));
  const lines = visible.flatMap((node) => renderNode(node, width, scope, context));
  const hidden = nodes.length - visible.length;
  if (hidden > 0) {
    const noun = scope.inMap ? "element" : "attribute";
    const text = `# (${hidden} unchanged ${noun}${hidden === 1 ? "" : "s"} hidden)`;
    lines.push(`${commentIndent(scope.level)}${context.palette.dim(text)}`);
  }
  return lines;
}

function renderNode(node: DiffNode, width: number, scope: Scope, context: BodyContext): string[] {
  const { palette } = context;
  const { level, inMap, parentDeleted } = scope;
  const lines = annotations(node, parentDeleted, context).map(
    (comment) => `${commentIndent(level)}${comment}`,
  );
  const head = `${"    ".repeat(level)}${formatActionSymbol(node.action, palette)} ${displayKey(node, inMap).padEnd(width)} = `;
  const forces =
    node.path.length === 1 && context.forcing.has(node.key) ? palette.destroy(" # forces replacement") : "";
  const removedSuffix = node.action === "delete" && !parentDeleted ? nullSuffix(palette) : "";

  if (node.children === null) {
    lines.push(`${head}${leafValue(node, removedSuffix, palette)}${forces}`);
  } else if (node.children.length === 0) {
    lines.push(`${head}{}${removedSuffix}${forces}`);
  } else {
    lines.push(`${head}{${forces}`);
    const childScope: Scope = {
      level: level + 1,
      inMap: node.isMap,
      parentDeleted: node.action === "delete",
      showAll: scope.showAll || (!inMap && ALWAYS_SHOWN.has(node.key)),
    };
    lines.push(...renderNodes(node.children, childScope, context));
    lines.push(`${"    ".repeat(level)}    }${removedSuffix}`);
  }
  return lines;
}

function leafValue(node: DiffNode, removedSuffix: string, palette: Palette): string {
  const after = node.unknown ? "(known after apply)" : formatValue(node.after);
  switch (node.action) {
    case "create":
      return after;
    case "delete":
      return `${formatValue(node.before)}${removedSuffix}`;
    case "update":
      return `${formatValue(node.before)} ${palette.update("->")} ${after}`;
    case "no-op":
      return formatValue(node.before);
  }
}

function annotations(node: DiffNode, parentDeleted: boolean, context: BodyContext): string[] {
  const comments: string[] = [];
  const drift = context.drift.get(pathKey(node.path));
  if (drift && node.action !== "no-op") {
    comments.push(
      context.palette.update(`# changed outside ark-sync (last applied: ${formatValue(drift.last_applied)})`),
    );
  }
  if (node.action === "delete" && !parentDeleted && context.changesLive)
    comments.push("# removed from manifest");
  return comments;
}

function displayKey(node: DiffNode, inMap: boolean): string {
  return inMap || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(node.key) ? quote(node.key) : node.key;
}

function commentIndent(level: number): string {
  return `${"    ".repeat(level)}    `;
}

function nullSuffix(palette: Palette): string {
  return palette.dim(" -> null");
}
