// Why a fresh plan is not the reviewed one (docs/github.md#applying-only-the-reviewed-plan): each part
// of the plan hash is compared on its own — the ark-sync version, the state planned against, each
// address's actions and values, the values of endpoints left alone, the drift — so a refusal can say
// what changed since review.
import type { PlanRecord } from "./plan-record.js";

export interface PlanComparison {
  /** Different ark-sync versions: the same plan may hash differently. */
  version: { reviewed: string; fresh: string } | null;
  /** The state was written since review (another apply, an import, a state command). */
  state: { reviewed: string; fresh: string } | null;
  /** Addresses whose actions differ; "" is no action. Null when the reviewed record has no list. */
  actions: { address: string; reviewed: string; fresh: string }[] | null;
  /** Addresses with the same actions but other values (known only when both records have digests). */
  values: string[];
  /** The endpoints the plan leaves alone have other values (live or state changed). */
  unchanged: boolean;
  drift: boolean;
}

export function comparePlanRecords(reviewed: PlanRecord, fresh: PlanRecord): PlanComparison {
  const freshByAddress = new Map((fresh.changes ?? []).map((change) => [change.address, change]));
  const reviewedByAddress = new Map((reviewed.changes ?? []).map((change) => [change.address, change]));
  const addresses = [...new Set([...reviewedByAddress.keys(), ...freshByAddress.keys()])].sort();
  const actions: NonNullable<PlanComparison["actions"]> = [];
  const values: string[] = [];
  for (const address of addresses) {
    const before = reviewedByAddress.get(address);
    const now = freshByAddress.get(address);
    if ((before?.actions ?? "") !== (now?.actions ?? "")) {
      actions.push({ address, reviewed: before?.actions ?? "", fresh: now?.actions ?? "" });
    } else if (before?.digest && now?.digest && before.digest !== now.digest) {
      values.push(address);
    }
  }
  return {
    version: reviewed.version === fresh.version ? null : { reviewed: reviewed.version, fresh: fresh.version },
    state:
      describeState(reviewed.state) === describeState(fresh.state)
        ? null
        : { reviewed: describeState(reviewed.state), fresh: describeState(fresh.state) },
    actions: reviewed.changes === null ? null : actions,
    values,
    unchanged: reviewed.unchanged !== fresh.unchanged,
    drift: reviewed.drift !== fresh.drift,
  };
}

function describeState(state: PlanRecord["state"]): string {
  return state === null ? "no state" : `lineage ${state.lineage}, serial ${state.serial}`;
}
