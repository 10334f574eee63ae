// The human plan (docs/design.md §5), in Terraform's grammar: the drift section first, then the legend of the
// actions present, each resource's diff, the `Plan:` line (or `No changes.`), values no longer managed,
// unmanaged values, and warning and error blocks. Returns a string; colour only when asked.
import { leafEquals } from "../core/attribute-paths.js";
import type { Plan, PlanSummary, ResourceChange } from "../core/types.js";
import { formatAttributePath, formatValue, sanitizeText } from "./format-value.js";
import { messageTitle } from "./message-title.js";
import { createPalette, type Palette } from "./palette.js";
import {
  actionMarker,
  type DiffAction,
  isMoveOnly,
  isShownChange,
  resourceAction,
} from "./resource-lines.js";
import { formatGutter, renderResourceChange, renderResourceDrift } from "./text-resource.js";
import { wrapText } from "./wrap-text.js";

export interface TextRenderOptions {
  color: boolean;
  /** Columns for prose and the horizontal rule; 78 (Terraform's default) when unset. */
  width?: number;
}

const DEFAULT_WIDTH = 78;
/** Unmanaged values (and values no longer managed) are listed one by one up to this many; beyond it,
 * counted per resource. */
const UNMANAGED_LIST_LIMIT = 10;

/** The contract line, exactly: `Plan: X to add, Y to change, Z to destroy.` */
export function renderSummaryLine(summary: PlanSummary): string {
  return `Plan: ${summary.add} to add, ${summary.change} to change, ${summary.destroy} to destroy.`;
}

export function renderPlanText(plan: Plan, options: TextRenderOptions): string {
  const palette = createPalette(options.color);
  const width = Math.max(20, options.width ?? DEFAULT_WIDTH) - 1;
  const prose = (text: string) => wrapText(text, width);
  const sections: string[][] = [];
  if (!plan.refreshed) {
    sections.push(
      [note("Live state was not read (--refresh=false)", palette)],
      prose(
        "This plan compares the manifests with the last-applied state only: changes made outside ark-sync, including deleted endpoints, are not shown.",
      ),
    );
  }
  if (plan.resource_drift.length > 0) sections.push(...renderDriftSection(plan, palette, prose, width));
  sections.push(...renderActionsSection(plan, palette, prose));
  if (plan.no_longer_managed.length > 0) sections.push(...renderNoLongerManaged(plan, palette, prose));
  if (plan.unmanaged.length > 0) sections.push(...renderUnmanaged(plan, palette, prose));
  for (const warning of plan.warnings) {
    sections.push(
      [`${palette.bold(palette.update("Warning:"))} ${palette.bold(messageTitle(warning))}`],
      prose(sanitizeText(warning.message)),
    );
  }
  for (const error of plan.errors) {
    sections.push(
      [`${palette.bold(palette.destroy("Error:"))} ${palette.bold(messageTitle(error))}`],
      prose(sanitizeText(error.message)),
    );
  }
  const nonEmpty = sections.filter((lines) => lines.length > 0);
  return `${nonEmpty.map((lines) => lines.join("\n")).join("\n\n")}\n`;
}

type Prose = (text: string) => string[];

/** Terraform's "Objects have changed outside of Terraform", shown whenever there is drift. */
function renderDriftSection(plan: Plan, palette: Palette, prose: Prose, width: number): string[][] {
  return [
    [note("Objects have changed outside of ark-sync", palette)],
    prose(
      'ark-sync detected the following changes made outside of ark-sync since the last "ark-sync apply" which may have affected this plan:',
    ),
    ...plan.resource_drift.map((drift) => renderResourceDrift(drift, palette)),
    prose(
      "Unless you have made equivalent changes to your manifests, or ignored the relevant attributes using lifecycle.ignore_changes, the following plan may include actions to undo or respond to these changes.",
    ),
    [palette.dim("─".repeat(width))],
  ];
}

/**
 * The legend, each resource that changes (or is adopted or moved), and the `Plan:` or `No changes.`
 * line. As in Terraform, a plan that only moves endpoints is not empty (apply records the moves), but
 * has no legend: nothing carries an action symbol.
 */
function renderActionsSection(plan: Plan, palette: Palette, prose: Prose): string[][] {
  const shown = plan.resource_changes
    .filter(isShownChange)
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const drift = new Map(plan.resource_drift.map((entry) => [entry.address, entry]));
  const blocks = shown.map((resource) =>
    renderResourceChange(resource, drift.get(resource.address), palette),
  );
  const acting = shown.some((resource) => resourceAction(resource.change.actions) !== "no-op");
  if (acting || shown.some(isMoveOnly)) {
    return [
      ...(acting
        ? [["Resource actions are indicated with the following symbols:", ...renderLegend(shown, palette)]]
        : []),
      [
        plan.errors.length > 0
          ? "ark-sync planned the following actions, but then encountered a problem:"
          : "ark-sync will perform the following actions:",
      ],
      ...blocks,
      [`${palette.bold("Plan:")} ${renderSummaryLine(plan.summary).slice("Plan: ".length)}`],
    ];
  }
  return [
    ...(blocks.length > 0 ? [["ark-sync will adopt the following endpoints:"], ...blocks] : []),
    [
      `${palette.bold(palette.create("No changes."))}${isHeldBySwitch(plan) ? "" : palette.bold(" Your endpoints match the manifests.")}`,
    ],
    prose(noChangesExplanation(plan, blocks.length > 0)),
  ];
}

const LEGEND: [DiffAction, string][] = [
  ["create", "create"],
  ["update", "update in-place"],
  ["delete", "destroy"],
  ["delete-create", "destroy and then create replacement"],
  ["create-delete", "create replacement and then destroy"],
];

function renderLegend(resources: ResourceChange[], palette: Palette): string[] {
  const present = new Set(resources.map((resource) => resourceAction(resource.change.actions)));
  return LEGEND.filter(([action]) => present.has(action)).map(
    ([action, text]) => `${formatGutter(actionMarker(action), palette)} ${text}`,
  );
}

function noChangesExplanation(plan: Plan, adopting: boolean): string {
  if (adopting)
    return "Applying this plan only records the adopted endpoints in the state; no endpoint changes.";
  if (isHeldBySwitch(plan)) {
    return "A model switch that this plan did not start is in progress (see the warning below): ark-sync changes nothing on that endpoint until the switch ends, so plan again once it has.";
  }
  if (plan.resource_drift.length > 0) {
    return "The manifests already match the changes detected above, so no endpoint needs to change. To record these changes in the state, run: ark-sync refresh";
  }
  return plan.refreshed
    ? "ark-sync compared the live endpoints with the manifests and found no differences, so no changes are needed."
    : "ark-sync compared the manifests with the last-applied state and found no differences, so no changes are needed.";
}

/** Whether a change is held back because a model switch is running on the endpoint. */
export function isHeldBySwitch(plan: Plan): boolean {
  return plan.warnings.some((warning) => warning.code === "model_switch_in_progress");
}

/** Values removed from the manifests whose reset Ark does not document: kept live, no longer managed. */
function renderNoLongerManaged(plan: Plan, palette: Palette, prose: Prose): string[][] {
  const count = plan.no_longer_managed.length;
  const [values, them, are] =
    count === 1 ? ["1 value was", "it", "it is"] : [`${count} values were`, "them", "they are"];
  const why = `${values} removed from the manifests, but Ark documents no way to reset ${them}, so ark-sync leaves ${them} as ${are} live and stops managing ${them}`;
  return [
    [note("Values no longer managed", palette)],
    renderValueList(
      plan.no_longer_managed.map((entry) => ({
        ...entry,
        suffix: leafEquals(entry.value, entry.last_applied)
          ? ""
          : `  (last applied: ${formatValue(entry.last_applied)})`,
      })),
      prose(`${why}; change ${them} in the Ark console if needed:`),
      prose(`${why}. Run plan with --json to list them:`),
    ),
  ];
}

function renderUnmanaged(plan: Plan, palette: Palette, prose: Prose): string[][] {
  const count = plan.unmanaged.length;
  const values = count === 1 ? "1 live value is" : `${count} live values are`;
  const them = count === 1 ? "it" : "them";
  const why = `${values} not set by any manifest or by an earlier apply, so ark-sync leaves ${them} alone`;
  return [
    [note("Unmanaged values", palette)],
    renderValueList(
      plan.unmanaged.map((entry) => ({ ...entry, suffix: "" })),
      prose(`${why}:`),
      prose(`${why}. Run plan with --json to list them:`),
    ),
  ];
}

/** `address: path = value` per entry after `intro`; beyond the limit, a count per resource after
 * `introCounted`. */
function renderValueList(
  entries: { address: string; path: string[]; value: unknown; suffix: string }[],
  intro: string[],
  introCounted: string[],
): string[] {
  if (entries.length <= UNMANAGED_LIST_LIMIT) {
    const keys = entries.map((entry) => `${sanitizeText(entry.address)}: ${formatAttributePath(entry.path)}`);
    const width = Math.max(...keys.map((key) => key.length));
    return [
      ...intro,
      ...entries.map(
        (entry, i) => `  ${(keys[i] ?? "").padEnd(width)} = ${formatValue(entry.value)}${entry.suffix}`,
      ),
    ];
  }
  const perResource = new Map<string, number>();
  for (const entry of entries) perResource.set(entry.address, (perResource.get(entry.address) ?? 0) + 1);
  return [
    ...introCounted,
    ...[...perResource].map(
      ([address, n]) => `  ${sanitizeText(address)}: ${n === 1 ? "1 value" : `${n} values`}`,
    ),
  ];
}

function note(title: string, palette: Palette): string {
  return `${palette.bold(palette.note("Note:"))} ${palette.bold(title)}`;
}
