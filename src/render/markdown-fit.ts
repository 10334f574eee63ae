// Shortening the Markdown plan to a length limit (docs/github.md, "The pull-request comment"), from what
// matters least to what matters most: the diffs of creates, then of updates, become names in a compact
// list; the diffs of destroys and replacements go (the Caution box still names them); drift becomes
// one line per endpoint; then warnings, values no longer managed, the names of updates, the names of creates, drift, errors and
// last the Caution bullets are counted instead of shown. Nothing is left out without a count.
import type { BulletItem, Model, ResourceItem } from "./markdown-model.js";
import type { ResourceGroup } from "./markdown-overview.js";

export interface DegradeStep {
  /** Each call folds one more item and returns roughly how much shorter the text became. */
  items: (() => number)[];
}

const UPDATES: ResourceGroup[] = ["update", "adopt", "move"];

export function degradeSteps(model: Model, measure: (text: string) => number): DegradeStep[] {
  const bySizeDescending = <T>(items: T[], size: (item: T) => number) =>
    items
      .map((item) => ({ item, size: size(item) }))
      .sort((a, b) => b.size - a.size)
      .map(({ item }) => item);
  const fromTheEnd = <T>(items: T[]) => [...items].reverse();
  const inGroups = (groups: ResourceGroup[]) => model.resources.filter((item) => groups.includes(item.group));
  const foldBodies = (groups: ResourceGroup[], to: ResourceItem["state"]): DegradeStep => ({
    items: bySizeDescending(inGroups(groups), (item) => measure(item.details)).map((item) => () => {
      item.state = to;
      return measure(item.details) - (to === "named" ? measure(item.name) + 2 : 0);
    }),
  });
  const omitNames = (groups: ResourceGroup[]): DegradeStep => ({
    items: fromTheEnd(inGroups(groups)).map((item) => () => {
      item.state = "omitted";
      return measure(item.name) + 2;
    }),
  });
  const hideBullets = (items: BulletItem[]): DegradeStep => ({
    items: fromTheEnd(items).map((item) => () => {
      item.shown = false;
      return measure(item.text) + 3;
    }),
  });
  return [
    foldBodies(["create"], "named"),
    foldBodies(UPDATES, "named"),
    foldBodies(["destroy", "replace"], "listed"),
    {
      items: bySizeDescending(model.drift.items, (item) => measure(item.block)).map((item) => () => {
        item.state = "line";
        return measure(item.block) - measure(item.line);
      }),
    },
    hideBullets(model.warnings),
    hideBullets(model.noLongerManaged.bullets),
    omitNames(UPDATES),
    omitNames(["create"]),
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
