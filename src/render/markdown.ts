// The Markdown plan (docs/design.md §10) for a pull-request comment or a job summary, never coloured. The
// summary line, destroy/replace warnings, drift and plan errors stay outside <details>; each resource's
// diff is folded in its own <details> as a ```diff fence. When the whole does not fit maxLength, the
// bodies of creates, then updates, are folded into one line each, then the bodies of destroys (still
// named in the warning list), then drift is shortened to a line per endpoint, then the lines of creates
// and updates are omitted with a count. Destroys, replacements and drift are the last to be cut, and
// nothing is ever left out without saying how much.
import { formatPath } from "../core/attribute-paths.js";
import { ArkSyncError } from "../core/errors.js";
import type { Plan, PlanError, PlanWarning, ResourceChange, ResourceDrift } from "../core/types.js";
import { driftSummaryLine, formatDiffLine, resourceSummaryLine } from "./markdown-diff.js";
import { codeSpan, escapeMarkdownText, fencedBlock, fenceFor, htmlCode } from "./markdown-escape.js";
import { messageTitle } from "./message-title.js";
import {
  type DiffAction,
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

/** Resource diffs are open, not folded, when the whole plan is this small. */
const OPEN_DETAILS_MAX_RESOURCES = 5;
const OPEN_DETAILS_MAX_LINES = 100;

type ResourceGroup = "create" | "update" | "destroy";

interface ResourceItem {
  group: ResourceGroup;
  details: string;
  line: string;
  /** "listed": a destroy or replace shown only in the warning list above the diffs. */
  state: "full" | "line" | "omitted" | "listed";
}

interface DriftItem {
  block: string;
  line: string;
  state: "block" | "line" | "omitted";
}

interface BulletItem {
  text: string;
  shown: boolean;
}

interface Model {
  head: string;
  errors: BulletItem[];
  destroys: { heading: string; bullets: BulletItem[] };
  drift: { heading: string; items: DriftItem[]; fence: string };
  warnings: BulletItem[];
  resources: ResourceItem[];
  lineFence: string;
  tail: string;
  hint: string;
}

export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions): string {
  const { maxLength } = options;
  const measure =
    options.unit === "utf8"
      ? (text: string) => Buffer.byteLength(text, "utf8")
      : (text: string) => text.length;
  const model = buildModel(plan, options);
  let text = renderModel(model);
  for (const step of degradeSteps(model, measure)) {
    let next = 0;
    while (measure(text) > maxLength && next < step.items.length) {
      let excess = measure(text) - maxLength;
      while (next < step.items.length) {
        excess -= step.items[next++]?.() ?? 0;
        if (excess <= 0) break;
      }
      text = renderModel(model);
    }
    if (measure(text) <= maxLength) return text;
  }
  if (measure(text) <= maxLength) return text;
  throw new ArkSyncError(
    "internal",
    "markdown_limit_too_small",
    `A limit of ${maxLength} is too small for the plan's summary`,
  );
}

// ---------------------------------------------------------------------------------------------
// Building the parts once

function buildModel(plan: Plan, options: MarkdownOptions): Model {
  const driftByAddress = new Map(plan.resource_drift.map((drift) => [drift.address, drift]));
  const shown = plan.resource_changes.filter(isShownChange);
  const bodies = shown.map((resource) => resourceChangeLines(resource, driftByAddress.get(resource.address)));
  const bodyLineCount = bodies.reduce((sum, lines) => sum + lines.length, 0);
  const small = shown.length <= OPEN_DETAILS_MAX_RESOURCES && bodyLineCount <= OPEN_DETAILS_MAX_LINES;
  const lineFence = fenceFor(shown.map((resource) => formatDiffLine(resourceSummaryLine(resource))));
  const driftLines = plan.resource_drift.map((drift) => ({
    block: resourceDriftLines(drift).map(formatDiffLine),
    line: formatDiffLine(driftSummaryLine(drift)),
  }));
  return {
    head: renderHead(plan, options),
    errors: plan.errors.map((error) => ({ text: renderMessage(error), shown: true })),
    destroys: renderDestroys(shown),
    drift: {
      heading: renderDriftHeading(plan.resource_drift),
      items: driftLines.map(({ block, line }) => ({ block: block.join("\n"), line, state: "block" })),
      fence: fenceFor(driftLines.flatMap(({ block, line }) => [...block, line])),
    },
    warnings: plan.warnings
      .filter((warning) => warning.code !== "endpoint_id_changes")
      .map((warning) => ({ text: renderMessage(warning), shown: true })),
    resources: shown.map((resource, i) => ({
      group: resourceGroup(resourceAction(resource.change.actions)),
      // A destroy's body only repeats what goes away; the warning list above already names it.
      details: renderDetails(
        resource,
        bodies[i] ?? [],
        small && resourceAction(resource.change.actions) !== "delete",
      ),
      line: formatDiffLine(resourceSummaryLine(resource)),
      state: "full",
    })),
    lineFence,
    tail: renderTail(plan),
    hint: options.fullPlanHint ?? "the job summary",
  };
}

function resourceGroup(action: DiffAction): ResourceGroup {
  switch (action) {
    case "create":
      return "create";
    case "update":
    case "no-op":
      return "update";
    case "delete":
    case "delete-create":
    case "create-delete":
      return "destroy";
  }
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
    if (action === "delete") {
      const why = resource.action_reason === "removed_from_manifests" ? ": no longer in the manifests" : "";
      destroys.push({ text: `${who} will be **destroyed**${why}.`, shown: true });
    } else if (isReplace(action)) {
      const forcing = [...new Set(resource.change.replace_paths.map((path) => formatPath(path)))];
      const forced = forcing.length > 0 ? `, forced by ${forcing.map(codeSpan).join(", ")}` : "";
      const order = action === "create-delete" ? " (the new endpoint is created first)" : "";
      replaces.push({ text: `${who} must be **replaced**${forced}${order}.`, shown: true });
    }
  }
  const counts =
    destroys.length === 0
      ? `${plural(replaces.length, "endpoint")} will be replaced`
      : `${plural(destroys.length, "endpoint")} will be destroyed${replaces.length > 0 ? ` and ${replaces.length} replaced` : ""}`;
  const consequence =
    replaces.length > 0
      ? " A replaced endpoint gets a new endpoint_id: callers that use the old id will break."
      : "";
  const bullets = [...destroys, ...replaces];
  return { heading: bullets.length > 0 ? `**${counts}.**${consequence}` : "", bullets };
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

// ---------------------------------------------------------------------------------------------
// Rendering the current state of the parts

function renderModel(model: Model): string {
  const sections = [model.head];
  sections.push(
    bulletAlert("CAUTION", "**This plan cannot be applied:**", model.errors, "errors", model.hint),
  );
  sections.push(
    bulletAlert(
      "CAUTION",
      model.destroys.heading,
      model.destroys.bullets,
      "destroys and replacements",
      model.hint,
    ),
  );
  sections.push(renderDrift(model));
  sections.push(bulletList("**Warnings**", model.warnings, "warnings", model.hint));
  sections.push(...model.resources.filter((item) => item.state === "full").map((item) => item.details));
  sections.push(renderFolded(model));
  sections.push(model.tail);
  return `${sections.filter(Boolean).join("\n\n")}\n`;
}

function renderDrift(model: Model): string {
  const { items, heading, fence } = model.drift;
  if (items.length === 0) return "";
  const lines: string[] = [];
  for (const item of items) {
    if (item.state === "block") lines.push(item.block);
    else if (item.state === "line") lines.push(item.line);
  }
  const omitted = items.filter((item) => item.state === "omitted").length;
  const parts = [alert("WARNING", heading)];
  if (lines.length > 0) parts.push(fencedBlock("diff", lines, fence));
  if (omitted > 0) parts.push(`**${plural(omitted, "drifted endpoint")} omitted; see ${model.hint}.**`);
  return parts.join("\n\n");
}

function renderFolded(model: Model): string {
  const lines = model.resources.filter((item) => item.state === "line").map((item) => item.line);
  const omitted = model.resources.filter((item) => item.state === "omitted");
  const parts: string[] = [];
  if (lines.length > 0) {
    parts.push(
      `${plural(lines.length, "more change")} without details (see ${model.hint}):\n\n${fencedBlock("diff", lines, model.lineFence)}`,
    );
  }
  if (omitted.length > 0) {
    const byGroup = (group: ResourceGroup) => omitted.filter((item) => item.group === group).length;
    const detail = [
      [byGroup("create"), "to create"],
      [byGroup("update"), "to update"],
    ]
      .filter(([count]) => Number(count) > 0)
      .map(([count, what]) => `${count} ${what}`)
      .join(", ");
    parts.push(
      `**${plural(omitted.length, "resource")} omitted; see ${model.hint}.** (${detail}; GitHub limits how long this text can be.)`,
    );
  }
  return parts.join("\n\n");
}

function bulletAlert(kind: string, heading: string, items: BulletItem[], noun: string, hint: string): string {
  if (items.length === 0) return "";
  return alert(kind, bulletList(heading, items, noun, hint));
}

function bulletList(heading: string, items: BulletItem[], noun: string, hint: string): string {
  if (items.length === 0) return "";
  const lines = items.filter((item) => item.shown).map((item) => `- ${item.text}`);
  const hidden = items.length - lines.length;
  if (hidden > 0) lines.push(`- **... and ${hidden} more ${noun}; see ${hint}.**`);
  return `${heading}\n\n${lines.join("\n")}`;
}

/** A GitHub alert (`> [!CAUTION]`): a blockquote that GitHub draws with a coloured bar and icon. */
function alert(kind: string, body: string): string {
  const quoted = body
    .split("\n")
    .map((line) => (line === "" ? ">" : `> ${line}`))
    .join("\n");
  return `> [!${kind}]\n${quoted}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

// ---------------------------------------------------------------------------------------------
// Folding, from what matters least to what matters most

interface DegradeStep {
  /** Each call folds one more item and returns roughly how much shorter the text became. */
  items: (() => number)[];
}

function degradeSteps(model: Model, measure: (text: string) => number): DegradeStep[] {
  const bySizeDescending = <T>(items: T[], size: (item: T) => number) =>
    items
      .map((item) => ({ item, size: size(item) }))
      .sort((a, b) => b.size - a.size)
      .map(({ item }) => item);
  const fromTheEnd = <T>(items: T[]) => [...items].reverse();
  // A destroy or replace keeps its bullet in the warning list, so it needs no line of its own.
  const foldBodies = (group: ResourceGroup): DegradeStep => ({
    items: bySizeDescending(
      model.resources.filter((item) => item.group === group),
      (item) => measure(item.details),
    ).map((item) => () => {
      item.state = group === "destroy" ? "listed" : "line";
      return measure(item.details) - (group === "destroy" ? 0 : measure(item.line));
    }),
  });
  const omitLines = (group: ResourceGroup): DegradeStep => ({
    items: fromTheEnd(model.resources.filter((item) => item.group === group)).map((item) => () => {
      item.state = "omitted";
      return measure(item.line) + 1;
    }),
  });
  const hideBullets = (items: BulletItem[]): DegradeStep => ({
    items: fromTheEnd(items).map((item) => () => {
      item.shown = false;
      return measure(item.text) + 3;
    }),
  });
  return [
    foldBodies("create"),
    foldBodies("update"),
    foldBodies("destroy"),
    {
      items: bySizeDescending(model.drift.items, (item) => measure(item.block)).map((item) => () => {
        item.state = "line";
        return measure(item.block) - measure(item.line);
      }),
    },
    hideBullets(model.warnings),
    omitLines("create"),
    omitLines("update"),
    {
      items: fromTheEnd(model.drift.items).map((item) => () => {
        item.state = "omitted";
        return measure(item.line) + 1;
      }),
    },
    hideBullets(model.errors),
    hideBullets(model.destroys.bullets),
  ];
}
