// The parts of the Markdown plan (docs/design.md §10), each built once from the plan with every form
// it can be shown in: a resource's diff, or its name in a compact list, or nothing but a count. Which
// form is shown is the part's state, lowered by markdown-fit.ts until the whole fits.
import { formatPath } from "../core/attribute-paths.js";
import type { Plan, PlanError, PlanWarning, ResourceChange, ResourceDrift } from "../core/types.js";
import { formatValue } from "./format-value.js";
import { driftSummaryLine, formatDiffLine } from "./markdown-diff.js";
import { codeSpan, escapeMarkdownText, fencedBlock, fenceFor, htmlCode } from "./markdown-escape.js";
import { type ResourceGroup, renderCountTable, resourceGroup } from "./markdown-overview.js";
import { messageTitle } from "./message-title.js";
import {
  describeAction,
  isMoveOnly,
  isReplace,
  isShownChange,
  type PlanLine,
  resourceAction,
  resourceChangeLines,
  resourceDriftLines,
} from "./resource-lines.js";
import { isHeldBySwitch } from "./text.js";

export interface MarkdownOptions {
  /** Heading, followed by `for <directory>`; "ark-sync plan" when unset. Plain text: it is escaped. */
  title?: string;
  /** The manifest directory the plan is for. */
  directory: string;
  /** The longest the text may be, in `unit`s: the limit of where it is posted, set by the caller. */
  maxLength: number;
  /** What maxLength counts: UTF-16 code units (default; never fewer than GitHub's characters) or UTF-8
   * bytes (for the 1 MiB job summary). */
  unit?: "utf16" | "utf8";
  /** Where the full plan can be read when something is left out; Markdown. Default "the job summary". */
  fullPlanHint?: string;
}

/** Resource diffs are open, not grouped in folds, when the whole plan is this small. */
const OPEN_DETAILS_MAX_RESOURCES = 5;
const OPEN_DETAILS_MAX_LINES = 100;

export interface ResourceItem {
  group: ResourceGroup;
  details: string;
  /** The address in a compact list (and where it moved from). */
  name: string;
  /** "named": in its group's compact list; "listed": a destroy or replace named only in the Caution box. */
  state: "full" | "named" | "omitted" | "listed";
}

export interface DriftItem {
  block: string;
  line: string;
  state: "block" | "line" | "omitted";
}

export interface BulletItem {
  text: string;
  shown: boolean;
}

export interface Model {
  head: string;
  /** The count table of a grouped plan that does more than one kind of thing; else empty. */
  overview: string;
  errors: BulletItem[];
  destroys: { heading: string; bullets: BulletItem[] };
  drift: { heading: string; items: DriftItem[]; fence: string };
  warnings: BulletItem[];
  /** Values removed from the manifests and kept live: no reset Ark documents. */
  noLongerManaged: { heading: string; bullets: BulletItem[] };
  resources: ResourceItem[];
  /** A small plan shows its diffs open, one after another; a bigger one groups them in folds. */
  grouped: boolean;
  tail: string;
  hint: string;
}

export function buildModel(plan: Plan, options: MarkdownOptions): Model {
  const driftByAddress = new Map(plan.resource_drift.map((drift) => [drift.address, drift]));
  const shown = plan.resource_changes.filter(isShownChange);
  const bodies = shown.map((resource) => resourceChangeLines(resource, driftByAddress.get(resource.address)));
  const bodyLineCount = bodies.reduce((sum, lines) => sum + lines.length, 0);
  const small = shown.length <= OPEN_DETAILS_MAX_RESOURCES && bodyLineCount <= OPEN_DETAILS_MAX_LINES;
  const driftLines = plan.resource_drift.map((drift) => ({
    block: resourceDriftLines(drift).map(formatDiffLine),
    line: formatDiffLine(driftSummaryLine(drift)),
  }));
  return {
    head: renderHead(plan, options),
    overview: small ? "" : renderCountTable(plan, shown),
    errors: plan.errors.map((error) => ({ text: renderMessage(error), shown: true })),
    destroys: renderDestroys(shown),
    drift: {
      heading: renderDriftHeading(plan.resource_drift),
      items: driftLines.map(({ block, line }) => ({ block: block.join("\n"), line, state: "block" })),
      fence: fenceFor(driftLines.flatMap(({ block, line }) => [...block, line])),
    },
    // The Caution box says these for each endpoint it names.
    warnings: plan.warnings
      .filter((warning) => warning.code !== "endpoint_id_changes" && warning.code !== "prepaid_capacity")
      .map((warning) => ({ text: renderMessage(warning), shown: true })),
    noLongerManaged: renderNoLongerManaged(plan),
    resources: shown.map((resource, i) => ({
      group: resourceGroup(resource),
      // A destroy's body only repeats what goes away; the warning list above already names it.
      details: renderDetails(
        resource,
        bodies[i] ?? [],
        small && resourceAction(resource.change.actions) !== "delete",
      ),
      name: compactName(resource),
      state: "full",
    })),
    grouped: !small,
    tail: renderTail(plan),
    hint: options.fullPlanHint ?? "the job summary",
  };
}

function renderHead(plan: Plan, options: MarkdownOptions): string {
  const heading =
    options.title === undefined ? "ark-sync plan" : escapeMarkdownText(options.title.slice(0, 200));
  const title = `${heading} for ${codeSpan(options.directory)}`;
  const { add, change, destroy } = plan.summary;
  // A plan that only moves endpoints still has something to apply, as in Terraform.
  const moves = plan.resource_changes.some((resource) => resource.previous_address !== undefined);
  const summary =
    add + change + destroy === 0 && !moves
      ? isHeldBySwitch(plan)
        ? "**No changes** while a model switch is in progress (see the warning)."
        : "**No changes.** Your endpoints match the manifests."
      : `**Plan: ${add} to add, ${change} to change, ${destroy} to destroy.**`;
  const parts = [`### ${title}`, summary];
  if (!plan.refreshed) {
    parts.push(
      alert(
        "NOTE",
        "Live state was not read (`--refresh=false`): this plan compares the manifests with the last-applied state only, so changes made outside ark-sync are not shown.",
      ),
    );
  }
  return parts.join("\n\n");
}

function renderMessage(message: PlanWarning | PlanError): string {
  return `**${messageTitle(message)}:** ${escapeMarkdownText(message.message)}`;
}

function renderDestroys(resources: ResourceChange[]): Model["destroys"] {
  const destroys: BulletItem[] = [];
  const replaces: BulletItem[] = [];
  for (const resource of resources) {
    const action = resourceAction(resource.change.actions);
    const who = `${codeSpan(resource.address)}${resource.endpoint_id ? ` (${codeSpan(resource.endpoint_id)})` : ""}`;
    const capacity = releasedCapacityText(resource);
    if (action === "delete") {
      const why = resource.action_reason === "removed_from_manifests" ? ": no longer in the manifests" : "";
      destroys.push({ text: `${who} will be **destroyed**${why}.${capacity}`, shown: true });
    } else if (isReplace(action)) {
      const forcing = [...new Set(resource.change.replace_paths.map((path) => formatPath(path)))];
      const forced = forcing.length > 0 ? `, forced by ${forcing.map(codeSpan).join(", ")}` : "";
      const order = action === "create-delete" ? " (the new endpoint is created first)" : "";
      replaces.push({ text: `${who} must be **replaced**${forced}${order}.${capacity}`, shown: true });
    }
  }
  const releasing = resources.some((resource) => resource.prepaid_capacity !== undefined);
  const counts =
    destroys.length === 0
      ? `${plural(replaces.length, "endpoint")} will be replaced`
      : `${plural(destroys.length, "endpoint")} will be destroyed${replaces.length > 0 ? ` and ${replaces.length} replaced` : ""}`;
  const consequence = [
    ...(replaces.length > 0
      ? [" A replaced endpoint gets a new endpoint_id: callers that use the old id will break."]
      : []),
    ...(releasing
      ? [
          " An endpoint that holds **prepaid capacity** lets go of it; Ark documents neither whether it can be bound again nor whether it stays billed, so check it in the Ark console before applying.",
        ]
      : []),
  ].join("");
  // Replacements first: a long list of destroys must not fold away the changes that break callers.
  const bullets = [...replaces, ...destroys];
  return { heading: bullets.length > 0 ? `**${counts}.**${consequence}` : "", bullets };
}

/** ` It holds prepaid capacity: model unit `mu-…`, …` for an endpoint whose destroy releases some; else "". */
function releasedCapacityText(resource: ResourceChange): string {
  const capacity = resource.prepaid_capacity;
  if (capacity === undefined) return "";
  const parts = [
    ...(capacity.model_unit_id === undefined ? [] : [`model unit ${codeSpan(capacity.model_unit_id)}`]),
    ...(capacity.scale_tier_id === undefined
      ? []
      : [`TPM guarantee package ${codeSpan(capacity.scale_tier_id)}`]),
  ];
  return ` It holds **prepaid capacity** (${parts.join(", ")}), which destroying it releases.`;
}

function renderNoLongerManaged(plan: Plan): Model["noLongerManaged"] {
  const count = plan.no_longer_managed.length;
  if (count === 0) return { heading: "", bullets: [] };
  const [values, them, are] =
    count === 1 ? ["1 value", "it", "it is"] : [`${count} values`, "them", "they are"];
  return {
    heading: `**${values} removed from the manifests ${count === 1 ? "is" : "are"} left as ${are} live.** Ark documents no way to reset ${them}, so ark-sync stops managing ${them}; change ${them} in the Ark console if needed.`,
    bullets: plan.no_longer_managed.map(({ address, path, value }) => ({
      text: `${codeSpan(address)}: ${codeSpan(formatPath(path))} = ${codeSpan(formatValue(value))}`,
      shown: true,
    })),
  };
}

function renderDriftHeading(drifts: ResourceDrift[]): string {
  if (drifts.length === 0) return "";
  const changed = drifts.length === 1 ? "1 endpoint has" : `${drifts.length} endpoints have`;
  return `**${changed} changed outside ark-sync** since the last apply. Applying this plan restores what the manifests say; to keep a live value instead, change the manifest or run \`ark-sync refresh\`.`;
}

function renderDetails(resource: ResourceChange, lines: PlanLine[], open: boolean): string {
  const formatted = lines.map(formatDiffLine);
  return [
    `<details${open ? " open" : ""}><summary>${detailsSummary(resource)}</summary>`,
    "",
    fencedBlock("diff", formatted),
    "",
    "</details>",
  ].join("\n");
}

/** The resource's headline in HTML: `<code>address</code> will be …`, the move named as Terraform does. */
function detailsSummary(resource: ResourceChange): string {
  if (isMoveOnly(resource)) {
    return `${htmlCode(resource.previous_address)} has moved to ${htmlCode(resource.address)}`;
  }
  const verb = describeAction(resourceAction(resource.change.actions))
    .map(({ text, style }) => (style === undefined ? text : `<b>${text}</b>`))
    .join("");
  const moved =
    resource.previous_address === undefined ? "" : ` (moved from ${htmlCode(resource.previous_address)})`;
  return `${htmlCode(resource.address)} ${verb}${moved}`;
}

/** `` `default/chat` ``, or `` `default/chat-v2` (moved from `default/chat`) ``. */
function compactName(resource: ResourceChange): string {
  const from = resource.previous_address;
  return `${codeSpan(resource.address)}${from === undefined ? "" : ` (moved from ${codeSpan(from)})`}`;
}

function renderTail(plan: Plan): string {
  const parts: string[] = [];
  const unmanaged = plan.unmanaged.length;
  if (unmanaged > 0) {
    const values = unmanaged === 1 ? "1 live value is" : `${unmanaged} live values are`;
    parts.push(
      `${values} not set by any manifest or by an earlier apply, so ark-sync leaves them alone (\`ark-sync plan --json\` lists them).`,
    );
  }
  parts.push(`<sub>ark-sync · plan ${codeSpan(plan.plan_hash.slice(0, 19))}</sub>`);
  return parts.join("\n\n");
}

/** A GitHub alert (`> [!CAUTION]`): a blockquote that GitHub draws with a coloured bar and icon. */
export function alert(kind: string, body: string): string {
  const quoted = body
    .split("\n")
    .map((line) => (line === "" ? ">" : `> ${line}`))
    .join("\n");
  return `> [!${kind}]\n${quoted}`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
