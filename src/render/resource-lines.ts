// One resource change, or one drifted resource, as lines of Terraform's grammar: the `# <address> will
// be …` header, an action marker per line (the 3-column gutter), a nesting level, keys padded so `=`
// aligns, `old -> new`, `# forces replacement`, `# (N unchanged attributes hidden)`; endpoint_id, name
// and tags always printed in full. The text renderer colours the spans' styles and Markdown drops them.
// Every span taken from the plan is already sanitised (format-value.ts), for both renderers.
import { pathKey } from "../core/attribute-paths.js";
import { describeModelReplaceReason } from "../core/model-switch.js";
import type {
  ActionReason,
  ChangeActions,
  DriftChange,
  ResourceChange,
  ResourceDrift,
} from "../core/types.js";
import { type DiffNode, diffResource } from "./diff-tree.js";
import { formatAttributePath, formatValue, quote, sanitizeText } from "./format-value.js";

/** What happens to one resource, attribute or tag; replaces only apply to whole resources. */
export type DiffAction = "create" | "delete" | "update" | "no-op" | "delete-create" | "create-delete";

/** The symbol in the 3-column action gutter. */
export type ActionMarker = " " | "+" | "-" | "~" | "-/+" | "+/-";

/** Emphasis the text renderer draws in colour; Markdown shows every span plain. */
export type SpanStyle = "bold" | "bold-destroy" | "destroy" | "update" | "dim";

export interface Span {
  text: string;
  style?: SpanStyle;
}

export interface PlanLine {
  /** The action symbol, or `#` for a comment. */
  marker: ActionMarker | "#";
  /** Nesting level: the text starts at column 4 × level + 4, as in Terraform. */
  level: number;
  spans: Span[];
}

/** Attributes printed even when unchanged, with all their children (Terraform's id, name, tags). */
const ALWAYS_SHOWN = new Set(["endpoint_id", "name", "tags"]);
const NULL_SUFFIX: Span = { text: " -> null", style: "dim" };
const CLOSE: PlanLine = { marker: " ", level: 0, spans: [{ text: "}" }] };

export function resourceAction(actions: ChangeActions): DiffAction {
  if (actions.length === 2) return actions[0] === "delete" ? "delete-create" : "create-delete";
  return actions[0];
}

export function isReplace(action: DiffAction): boolean {
  return action === "delete-create" || action === "create-delete";
}

export function actionMarker(action: DiffAction): ActionMarker {
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

/** `will be created`, `must be replaced`, … as in Terraform's resource headers. */
export function describeAction(action: DiffAction): Span[] {
  switch (action) {
    case "create":
      return [{ text: "will be created" }];
    case "update":
      return [{ text: "will be updated in-place" }];
    case "delete":
      return [{ text: "will be " }, { text: "destroyed", style: "bold-destroy" }];
    case "delete-create":
    case "create-delete":
      return [{ text: "must be " }, { text: "replaced", style: "bold-destroy" }];
    case "no-op":
      return [{ text: "will be adopted" }];
  }
}

/** Whether the resource has a block in the plan: anything but a plain no-op (adoptions and moves
 * change the state, so they are shown too, as Terraform shows moves). */
export function isShownChange(resource: ResourceChange): boolean {
  return (
    resourceAction(resource.change.actions) !== "no-op" ||
    resource.action_reason === "adopted_by_ownership_tag" ||
    isMoveOnly(resource)
  );
}

/** A move with nothing to change on Ark: Terraform's `# <old> has moved to <new>`. */
export function isMoveOnly(
  resource: ResourceChange,
): resource is ResourceChange & { previous_address: string } {
  return resource.previous_address !== undefined && resourceAction(resource.change.actions) === "no-op";
}

/** `# <address> will be …` (or `# <old> has moved to <address>`): the first line of the block. */
function resourceHeadline(resource: ResourceChange): PlanLine {
  if (isMoveOnly(resource)) {
    return headline(resource.previous_address, [
      { text: " has moved to " },
      { text: sanitizeText(resource.address), style: "bold" },
    ]);
  }
  return headline(resource.address, [
    { text: " " },
    ...describeAction(resourceAction(resource.change.actions)),
  ]);
}

/** `(moved from <old>)` under the headline of a moved resource that also changes, as Terraform. */
function movedFromNote(resource: ResourceChange): string | null {
  if (resource.previous_address === undefined || isMoveOnly(resource)) return null;
  return `(moved from ${sanitizeText(resource.previous_address)})`;
}

/** The resource's whole block: header comments, `endpoint "…" {`, the attributes and `}`. */
export function resourceChangeLines(resource: ResourceChange, drift: ResourceDrift | undefined): PlanLine[] {
  const action = resourceAction(resource.change.actions);
  const replacing = isReplace(action);
  const context: BodyContext = {
    drift: new Map((drift?.changes ?? []).map((change) => [pathKey(change.path), change])),
    forcing: new Set(replacing ? resource.change.replace_paths.map((path) => path[0]) : []),
    changesLive: action === "update" || replacing,
  };
  const lines = [resourceHeadline(resource)];
  const reason = describeReason(resource.action_reason, resource.endpoint_id);
  if (reason !== null) lines.push(comment(0, `(${reason})`));
  const moved = movedFromNote(resource);
  if (moved !== null) lines.push(comment(0, moved));
  const modelSwitch = modelSwitchNote(resource);
  if (modelSwitch !== null) lines.push(comment(0, `(${modelSwitch})`));
  lines.push(openBlock(actionMarker(action), resource.address));
  lines.push(
    ...nodeLines(
      diffResource(resource),
      { level: 1, inMap: false, parentDeleted: false, showAll: false },
      context,
    ),
  );
  lines.push(CLOSE);
  return lines;
}

/** A drifted resource for the "changed outside ark-sync" section: one line per drifted leaf. */
export function resourceDriftLines(drift: ResourceDrift): PlanLine[] {
  if (drift.kind === "deleted") {
    return [
      headline(drift.address, [{ text: " has been deleted" }]),
      openBlock("-", drift.address),
      {
        marker: "-",
        level: 1,
        spans: [{ text: `endpoint_id = ${formatValue(drift.endpoint_id)}` }, NULL_SUFFIX],
      },
      CLOSE,
    ];
  }
  const keys = ["endpoint_id", ...drift.changes.map((change) => formatAttributePath(change.path))];
  const width = Math.max(...keys.map((key) => key.length));
  return [
    headline(drift.address, [{ text: " has changed" }]),
    openBlock("~", drift.address),
    {
      marker: " ",
      level: 1,
      spans: [{ text: `${"endpoint_id".padEnd(width)} = ${formatValue(drift.endpoint_id)}` }],
    },
    ...drift.changes.map((change, i) => driftLine(change, (keys[i + 1] ?? "").padEnd(width))),
    CLOSE,
  ];
}

function driftLine(change: DriftChange, key: string): PlanLine {
  const live = "live" in change ? change.live : undefined;
  const head: Span = { text: `${key} = ` };
  const before = formatValue(change.last_applied);
  return live === undefined
    ? { marker: "-", level: 1, spans: [head, { text: before }, NULL_SUFFIX] }
    : { marker: "~", level: 1, spans: [head, ...changeSpans(before, formatValue(live))] };
}

function headline(address: string, rest: Span[]): PlanLine {
  return { marker: "#", level: 0, spans: [{ text: sanitizeText(address), style: "bold" }, ...rest] };
}

function openBlock(marker: ActionMarker, address: string): PlanLine {
  return { marker, level: 0, spans: [{ text: `endpoint ${quote(address)} {` }] };
}

function comment(level: number, text: string, style?: SpanStyle): PlanLine {
  return { marker: "#", level, spans: [{ text, style }] };
}

/** `old -> new`, the arrow in the update colour. */
function changeSpans(before: string, after: string): Span[] {
  return [{ text: `${before} ` }, { text: "->", style: "update" }, { text: ` ${after}` }];
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

/** How the new model gets there: kept endpoint by Ark's rolling switch, or why it is replaced. */
export function modelSwitchNote(resource: ResourceChange): string | null {
  const model = resource.model_switch;
  if (model === undefined) return null;
  const id = sanitizeText(resource.endpoint_id ?? "");
  if (model.method === "rolling")
    return `the model is switched in place by Ark's rolling switch: endpoint_id ${id} is kept`;
  return sanitizeText(describeModelReplaceReason(model, id));
}

interface BodyContext {
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

function nodeLines(nodes: DiffNode[], scope: Scope, context: BodyContext): PlanLine[] {
  const visible = nodes.filter(
    (node) => scope.showAll || node.action !== "no-op" || (!scope.inMap && ALWAYS_SHOWN.has(node.key)),
  );
  const width = Math.max(0, ...visible.map((node) => displayKey(node, scope.inMap).length));
  const lines = visible.flatMap((node) => oneNodeLines(node, width, scope, context));
  const hidden = nodes.length - visible.length;
  if (hidden > 0) {
    const noun = scope.inMap ? "element" : "attribute";
    lines.push(comment(scope.level, `(${hidden} unchanged ${noun}${hidden === 1 ? "" : "s"} hidden)`, "dim"));
  }
  return lines;
}

function oneNodeLines(node: DiffNode, width: number, scope: Scope, context: BodyContext): PlanLine[] {
  const { level, inMap, parentDeleted } = scope;
  const lines = annotations(node, scope, context);
  const marker = actionMarker(node.action);
  const head: Span = { text: `${displayKey(node, inMap).padEnd(width)} = ` };
  const forces: Span[] =
    node.path.length === 1 && context.forcing.has(node.key)
      ? [{ text: " # forces replacement", style: "destroy" }]
      : [];
  const removed = node.action === "delete" && !parentDeleted ? [NULL_SUFFIX] : [];

  if (node.children === null) {
    lines.push({ marker, level, spans: [head, ...leafValue(node), ...removed, ...forces] });
  } else if (node.children.length === 0) {
    lines.push({ marker, level, spans: [head, { text: "{}" }, ...removed, ...forces] });
  } else {
    lines.push({ marker, level, spans: [head, { text: "{" }, ...forces] });
    const childScope: Scope = {
      level: level + 1,
      inMap: node.isMap,
      parentDeleted: node.action === "delete",
      showAll: scope.showAll || (!inMap && ALWAYS_SHOWN.has(node.key)),
    };
    lines.push(...nodeLines(node.children, childScope, context));
    lines.push({ marker: " ", level, spans: [{ text: "}" }, ...removed] });
  }
  return lines;
}

function leafValue(node: DiffNode): Span[] {
  const after = node.unknown ? "(known after apply)" : formatValue(node.after);
  switch (node.action) {
    case "create":
      return [{ text: after }];
    case "delete":
    case "no-op":
      return [{ text: formatValue(node.before) }];
    case "update":
      return changeSpans(formatValue(node.before), after);
  }
}

function annotations(node: DiffNode, scope: Scope, context: BodyContext): PlanLine[] {
  const comments: PlanLine[] = [];
  const drift = context.drift.get(pathKey(node.path));
  if (drift && node.action !== "no-op") {
    const text = `changed outside ark-sync (last applied: ${formatValue(drift.last_applied)})`;
    comments.push(comment(scope.level, text, "update"));
  }
  if (node.action === "delete" && !scope.parentDeleted && context.changesLive)
    comments.push(comment(scope.level, "removed from manifest"));
  return comments;
}

function displayKey(node: DiffNode, inMap: boolean): string {
  return inMap || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(node.key) ? quote(node.key) : node.key;
}
