// The one rank table for "worst impact": a resource's verdict is the worst of its fields'.
import type { Impact } from "./types.js";

const impactRank: Readonly<Record<Impact, number>> = { none: 0, update: 1, replace: 2 };

export function worstImpact(impacts: Iterable<Impact>): Impact {
  let worst: Impact = "none";
  for (const impact of impacts) if (impactRank[impact] > impactRank[worst]) worst = impact;
  return worst;
}
