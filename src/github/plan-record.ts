// What the pull-request comment remembers of the plan it shows, for `apply --require-reviewed`
// (docs/github.md#applying-only-the-reviewed-plan): the plan hash, the state it was planned against,
// its summary, per address it acts on the actions and a short digest of the change, and what the
// comment was rendered from besides the plan (the pull request's head commit, the full-plan hint), so
// an apply can render the fresh plan into the same text. It is the comment's last line,
// `<!-- ark-sync:plan v2 PAYLOAD -->`, the payload deflated JSON in base64url,
// whose alphabet cannot end an HTML comment: no manifest text can break out of it. A record over its
// budget drops the digests, then the per-address list; the hash and summary always stay.
import { createHash } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { canonicalJson, changeEssence } from "../core/plan-hash.js";
import type { Plan, PlanSummary } from "../core/types.js";
import { arkSyncVersion } from "../core/version.js";
import { type BranchFinding, readBranchFinding } from "./branch-safeguards.js";
import { isCommitSha } from "./github-context.js";

export interface PlanRecord {
  hash: string;
  /** The ark-sync that planned it: another version may hash the same plan differently. */
  version: string;
  state: { lineage: string; serial: number } | null;
  summary: PlanSummary;
  /** Every address the plan acts on (no-ops left out), sorted: its actions, e.g. `delete,create`.
   * Null when the list did not fit the record's budget. */
  changes: RecordedChange[] | null;
  /** Digest of the no-op changes: the values the plan relies on without acting on them. */
  unchanged: string;
  /** Digest of the drift the plan reports. */
  drift: string;
  /** The pull request's head commit the plan is of; null outside a pull request. */
  head: string | null;
  /** Where the comment said the full plan is (its `fullPlanHint`). */
  hint: string;
  /** What the comment warned of the repository's branch rules (docs/github.md#recommended-rulesets). */
  rules: BranchFinding[];
}

export interface RecordedChange {
  address: string;
  actions: string;
  /** The first 48 bits of the change's hash, base64url: tells "same action, other values". Null
   * when the digests did not fit the record's budget. */
  digest: string | null;
}

/** Characters a comment gives its record: a 2,000-endpoint plan's list of actions fits. */
export const PLAN_RECORD_BUDGET = 12_000;

const PREFIX = "<!-- ark-sync:plan v2 ";
const SUFFIX = " -->";

/** What a comment renders besides the plan, recorded so that it can be rendered again. */
export interface CommentFacts {
  head: string | null;
  hint: string;
  rules: BranchFinding[];
}

export function planRecordOf(plan: Plan, facts: CommentFacts): PlanRecord {
  const acting = plan.resource_changes.filter((rc) => rc.change.actions.join() !== "no-op");
  const idle = plan.resource_changes.filter((rc) => rc.change.actions.join() === "no-op");
  return {
    hash: plan.plan_hash,
    version: arkSyncVersion,
    state: plan.state,
    summary: plan.summary,
    changes: acting.map((rc) => ({
      address: rc.address,
      actions: rc.change.actions.join(),
      digest: digest(changeEssence(rc)),
    })),
    unchanged: digest(idle.map(changeEssence)),
    drift: digest(plan.resource_drift),
    head: facts.head,
    hint: facts.hint,
    rules: facts.rules,
  };
}

/** The hidden line, at most `budget` characters unless even the hash and summary alone are longer. */
export function renderPlanRecord(record: PlanRecord, budget: number): string {
  const withoutDigests = record.changes?.map((change) => ({ ...change, digest: null })) ?? null;
  const candidates = [record, { ...record, changes: withoutDigests }, { ...record, changes: null }];
  let line = "";
  for (const candidate of candidates) {
    line = encode(candidate);
    if (line.length <= budget) break;
  }
  return line;
}

function encode(record: PlanRecord): string {
  const compact = [
    record.hash,
    record.version,
    record.state,
    [record.summary.add, record.summary.change, record.summary.destroy],
    record.changes?.map((change) =>
      change.digest === null
        ? [change.address, change.actions]
        : [change.address, change.actions, change.digest],
    ) ?? null,
    record.unchanged,
    record.drift,
    record.head,
    record.hint,
    record.rules,
  ];
  const payload = deflateRawSync(JSON.stringify(compact), { level: 9 }).toString("base64url");
  return `${PREFIX}${payload}${SUFFIX}`;
}

/** The record on a comment's last line; null when there is none or it cannot be read. */
export function readPlanRecord(body: string): PlanRecord | null {
  const lines = body.trimEnd().split(/\r?\n/);
  const last = lines[lines.length - 1] ?? "";
  if (!last.startsWith(PREFIX) || !last.endsWith(SUFFIX)) return null;
  const payload = last.slice(PREFIX.length, -SUFFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(payload)) return null;
  try {
    return toRecord(JSON.parse(inflateRawSync(Buffer.from(payload, "base64url")).toString("utf8")));
  } catch {
    return null;
  }
}

function toRecord(value: unknown): PlanRecord | null {
  if (!Array.isArray(value) || value.length !== 10) return null;
  const [hash, version, state, summary, changes, unchanged, drift, head, hint, rules] = value as unknown[];
  const isString = (x: unknown): x is string => typeof x === "string";
  const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
  if (!isString(hash) || !isString(version) || !isString(unchanged) || !isString(drift)) return null;
  if (!(head === null || isCommitSha(head)) || !isString(hint)) return null;
  const findings = Array.isArray(rules) ? rules.map(readBranchFinding) : [null];
  if (findings.some((finding) => finding === null)) return null;
  const stateOk =
    state === null ||
    (typeof state === "object" &&
      isString((state as { lineage?: unknown }).lineage) &&
      isCount((state as { serial?: unknown }).serial));
  if (!stateOk || !Array.isArray(summary) || summary.length !== 3 || !summary.every(isCount)) return null;
  if (changes !== null && !Array.isArray(changes)) return null;
  const recorded: RecordedChange[] = [];
  for (const change of (changes as unknown[] | null) ?? []) {
    if (!Array.isArray(change) || change.length < 2 || change.length > 3 || !change.every(isString))
      return null;
    const [address = "", actions = "", changeDigest = null] = change as string[];
    recorded.push({ address, actions, digest: changeDigest });
  }
  const [add, change, destroy] = summary as number[];
  return {
    hash,
    version,
    state:
      state === null
        ? null
        : { lineage: (state as { lineage: string }).lineage, serial: (state as { serial: number }).serial },
    summary: { add: add ?? 0, change: change ?? 0, destroy: destroy ?? 0 },
    changes: changes === null ? null : recorded,
    unchanged,
    drift,
    head,
    hint,
    rules: findings as BranchFinding[],
  };
}

function digest(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("base64url").slice(0, 8);
}
