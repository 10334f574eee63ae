// What one reconcile may do under a directory's sync policy (docs/sync.md): each change of the full
// plan is either carried out, with why (the manifests changed, drift reverted, a removed manifest
// pruned), or left, with why. The three-way plan tells the two apart: a changed leaf whose new value
// is what was last applied reverts drift; any other changed leaf comes from the manifests. The
// operator's ceilings (sync's flags) then hold back what the repository's policy would allow. Pure.
import { flattenAttributes, formatPath, leafEquals, pathKey } from "./attribute-paths.js";
import type { Address, DriftChange, Plan, ResourceChange } from "./types.js";

/** ark-sync.yaml's `sync:`; every flag defaults to false (report only). */
export interface SyncPolicy {
  /** Apply what comes from the manifests changing: creates, in-place updates, adoptions. */
  automated: boolean;
  /** Also revert drift, where the revert is in place. */
  selfHeal: boolean;
  /** Destroy endpoints whose manifests were removed. */
  prune: boolean;
  /** Replace endpoints when the manifests ask for it; off: a replacement waits for a person. */
  allowReplace: boolean;
}

export const reportOnly: SyncPolicy = {
  automated: false,
  selfHeal: false,
  prune: false,
  allowReplace: false,
};

/**
 * What the operator who runs sync forbids, whatever the repository's policy says (docs/sync.md#safety-rules):
 * flags of the command, not in the repository, so a commit cannot widen them.
 */
export interface SyncCeilings {
  /** --no-prune: never destroy an endpoint whose manifest was removed. */
  noPrune: boolean;
  /** --no-replace: never replace an endpoint. */
  noReplace: boolean;
  /** --max-destroy: the most endpoints one reconcile may destroy or replace; held by the plan, as
   * ark-sync.yaml's max_destroy is (destroy-limit.ts), not by the decision. */
  maxDestroy?: number;
}

export const noCeilings: SyncCeilings = { noPrune: false, noReplace: false };

/** Why sync made a change; also the first word of its audit line. */
export type SyncWhy = "automated" | "self-heal" | "prune";

export type SyncAction = "create" | "update" | "replace" | "delete" | "adopt" | "forget" | "record";

export interface SyncChange {
  address: Address;
  action: SyncAction;
  why: SyncWhy;
  /** What changes, for people: `rate_limit.rpm 99 -> 10`, `create`, `delete ep-…`. */
  detail: string;
}

/** Why a change was left for a person or a later policy. */
export type SyncLeftReason =
  /** `sync.automated` is off: sync only reports. */
  | "report_only"
  /** Drift, and `sync.self_heal` is off. */
  | "self_heal_off"
  /** Reverting the drift needs more than an in-place update (a replacement, a re-creation). */
  | "needs_a_person"
  /** Not in the manifests any more, and `sync.prune` is off. */
  | "prune_off"
  /** The manifests ask for a replacement, and `sync.allow_replace` is off. */
  | "replace_not_allowed"
  /** The policy would prune, but the operator forbids it (--no-prune). */
  | "prune_disabled"
  /** The policy would replace, but the operator forbids it (--no-replace). */
  | "replace_disabled"
  /** Out of sync after the reconcile though nothing was left for it: it changed while sync ran, or
   * a step of the apply failed. The next reconcile looks again. */
  | "still_out_of_sync"
  /** Live with ark-sync's ownership tag but in no state (status: Untracked): sync never adopts or
   * deletes it; a person imports or deletes it. */
  | "untracked";

export interface SyncLeft {
  address: Address;
  reason: SyncLeftReason;
  /** One line: `default/embed: not in the manifests; kept (prune is off)`. */
  message: string;
}

export interface SyncDecision {
  /** The changes to carry out, in plan order. */
  apply: SyncChange[];
  left: SyncLeft[];
}

/** One line saying what sync changed and why, for its output, the state's history and commit messages:
 * `self-heal: default/chat rate_limit.rpm 99 -> 10`. */
export function auditLine(change: SyncChange): string {
  return `${change.why}: ${change.address} ${change.detail}`;
}

/** Reasons a change is left that only a person can clear: the `blocked` notification. */
export function isBlocked(left: SyncLeft): boolean {
  switch (left.reason) {
    case "needs_a_person":
    case "replace_not_allowed":
    case "replace_disabled":
      return true;
    case "report_only":
    case "self_heal_off":
    case "prune_off":
    case "prune_disabled":
    case "still_out_of_sync":
    case "untracked":
      return false;
  }
}

export function decideSync(
  plan: Plan,
  policy: SyncPolicy,
  ceilings: SyncCeilings = noCeilings,
): SyncDecision {
  const driftByAddress = new Map(plan.resource_drift.map((drift) => [drift.address, drift]));
  const decision: SyncDecision = { apply: [], left: [] };
  for (const change of plan.resource_changes) {
    const drift = driftByAddress.get(change.address);
    const verdict = judgeChange(change, drift?.kind === "changed" ? drift.changes : []);
    if (verdict === null) continue;
    if (!policy.automated) {
      decision.left.push(
        leave(change.address, "report_only", `${verdict.detail}; left (report only: sync.automated is off)`),
      );
      continue;
    }
    const left = refusal(verdict, policy) ?? ceilingRefusal(verdict, ceilings);
    if (left) decision.left.push(leave(change.address, left.reason, left.message));
    else
      decision.apply.push({
        address: change.address,
        action: verdict.action,
        why: verdict.why,
        detail: verdict.detail,
      });
  }
  return decision;
}

/** What a change is and why it would be made; null when there is nothing to do. */
interface Verdict {
  action: SyncAction;
  why: SyncWhy;
  detail: string;
  /** Changed leaves: from the manifests, and reverting drift. */
  fromManifests: boolean;
  revertsDrift: boolean;
  /** Re-creating an endpoint deleted outside ark-sync. */
  recreates: boolean;
}

function judgeChange(change: ResourceChange, drift: DriftChange[]): Verdict | null {
  const [first, second] = change.change.actions;
  const adopted = change.action_reason === "adopted_by_ownership_tag";
  const moved = change.previous_address !== undefined;
  const base = { fromManifests: true, revertsDrift: false, recreates: false };
  switch (first) {
    case "no-op": {
      if (adopted)
        return { ...base, action: "adopt", why: "automated", detail: "adopt (found by its ownership tag)" };
      if (change.action_reason === "deleted_outside") {
        return {
          ...base,
          action: "forget",
          why: "automated",
          detail: "forget (gone from Ark and the manifests)",
        };
      }
      if (!moved && drift.length === 0) return null;
      // The live value now equals the manifests' (or only the address changed): only the record changes.
      return {
        ...base,
        action: "record",
        why: "automated",
        detail: moved
          ? `move from ${change.previous_address}`
          : "record the live values the manifests now ask for",
      };
    }
    case "delete": {
      if (second === "create") return judgeReplace(change, drift);
      return { ...base, action: "delete", why: "prune", detail: `delete ${change.endpoint_id ?? ""}`.trim() };
    }
    case "create": {
      if (second === "delete") return judgeReplace(change, drift);
      if (change.action_reason === "deleted_outside") {
        return {
          ...base,
          action: "create",
          why: "self-heal",
          detail: "deleted outside ark-sync; re-create",
          fromManifests: false,
          recreates: true,
        };
      }
      return { ...base, action: "create", why: "automated", detail: "create" };
    }
    case "update": {
      const leaves = changedLeaves(change, drift);
      const revertsDrift = leaves.some((leaf) => leaf.drift);
      const fromManifests = adopted || moved || leaves.some((leaf) => !leaf.drift);
      const action = adopted ? "adopt" : "update";
      return {
        action,
        why: fromManifests ? "automated" : "self-heal",
        detail: describeLeaves(leaves),
        fromManifests,
        revertsDrift,
        recreates: false,
      };
    }
  }
}

function judgeReplace(change: ResourceChange, drift: DriftChange[]): Verdict {
  const leaves = changedLeaves(change, drift);
  const forced = new Set(change.change.replace_paths.map(pathKey));
  const replacing = leaves.filter((leaf) => forced.has(leaf.key));
  const cause = replacing.length > 0 ? replacing : leaves;
  const fromManifests = cause.some((leaf) => !leaf.drift);
  return {
    action: "replace",
    why: fromManifests ? "automated" : "self-heal",
    detail: `replace (${describeLeaves(cause)})`,
    fromManifests,
    revertsDrift: leaves.some((leaf) => leaf.drift),
    recreates: false,
  };
}

/** What keeps a change from being made under the policy, if anything. */
function refusal(verdict: Verdict, policy: SyncPolicy): { reason: SyncLeftReason; message: string } | null {
  const { detail } = verdict;
  switch (verdict.action) {
    case "delete":
      return policy.prune
        ? null
        : { reason: "prune_off", message: "not in the manifests; kept (prune is off)" };
    case "replace":
      if (!verdict.fromManifests) {
        return {
          reason: "needs_a_person",
          message: `drifted; reverting it needs a ${detail}, which self-heal never does: needs a person`,
        };
      }
      if (!policy.allowReplace) {
        return {
          reason: "replace_not_allowed",
          message: `the manifests ask for a ${detail}; blocked (allow_replace is off): needs a person`,
        };
      }
      return verdict.revertsDrift && !policy.selfHeal ? selfHealOff(detail) : null;
    case "create":
      return verdict.recreates
        ? {
            reason: "needs_a_person",
            message: `${detail} makes a new endpoint id, which self-heal never does: needs a person`,
          }
        : null;
    case "update":
    case "adopt":
      return verdict.revertsDrift && !policy.selfHeal ? selfHealOff(detail) : null;
    case "forget":
    case "record":
      return null;
  }
}

/** What the operator's ceilings hold back of a change the policy allows, if anything. */
function ceilingRefusal(
  verdict: Verdict,
  ceilings: SyncCeilings,
): { reason: SyncLeftReason; message: string } | null {
  switch (verdict.action) {
    case "delete":
      return ceilings.noPrune
        ? {
            reason: "prune_disabled",
            message: "not in the manifests; kept (pruning is disabled by the operator: --no-prune)",
          }
        : null;
    case "replace":
      return ceilings.noReplace
        ? {
            reason: "replace_disabled",
            message: `the manifests ask for a ${verdict.detail}; blocked (replacement disabled by the operator: --no-replace): needs a person`,
          }
        : null;
    case "create":
    case "update":
    case "adopt":
    case "forget":
    case "record":
      return null;
  }
}

function selfHealOff(detail: string): { reason: SyncLeftReason; message: string } {
  return { reason: "self_heal_off", message: `drifted (${detail}); left (self_heal is off)` };
}

function leave(address: Address, reason: SyncLeftReason, message: string): SyncLeft {
  return { address, reason, message: `${address}: ${message}` };
}

interface ChangedLeaf {
  key: string;
  text: string;
  /** Whether the new value is what was last applied: the change reverts drift. */
  drift: boolean;
}

/** Every leaf that differs between before (live) and after, with whether it reverts drift. */
function changedLeaves(change: ResourceChange, drift: DriftChange[]): ChangedLeaf[] {
  const before = flattenAttributes(change.change.before);
  const after = flattenAttributes(change.change.after);
  const drifted = new Map(drift.map((entry) => [pathKey(entry.path), entry]));
  const keys = [...new Set([...before.keys(), ...after.keys()])];
  return keys.flatMap((key) => {
    const old = before.get(key);
    const next = after.get(key);
    if (old !== undefined && next !== undefined && leafEquals(old.value, next.value)) return [];
    const path = (next ?? old)?.path ?? [];
    const entry = drifted.get(key);
    return [
      {
        key,
        text: `${formatPath(path)} ${show(old?.value)} -> ${show(next?.value)}`,
        drift: entry !== undefined && leafEquals(entry.last_applied, next?.value),
      },
    ];
  });
}

function describeLeaves(leaves: ChangedLeaf[]): string {
  return leaves.length === 0 ? "no attribute changes" : leaves.map((leaf) => leaf.text).join(", ");
}

function show(value: unknown): string {
  return value === undefined ? "(unset)" : typeof value === "string" ? value : JSON.stringify(value);
}

/** The plan's drift, one line per value: `default/chat: rate_limit.rpm 10 -> 99 (changed outside ark-sync)`. */
export function driftLines(plan: Plan): string[] {
  return plan.resource_drift.flatMap((drift) =>
    drift.kind === "deleted"
      ? [`${drift.address}: deleted outside ark-sync`]
      : drift.changes.map(
          (change) =>
            `${drift.address}: ${formatPath(change.path)} ${show(change.last_applied)} -> ${show(change.live)} (changed outside ark-sync)`,
        ),
  );
}
