// The sync policy's decision, table-driven over real plans ({name, desired, lastApplied, live}): what
// comes from the manifests and what reverts drift, told apart through the three-way plan, and what each
// policy flag lets through or leaves, with why; and what the operator's ceilings (--no-prune,
// --no-replace) hold back of what each policy setting would allow.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { computePlan } from "../../src/core/compute-plan.js";
import {
  decideSync,
  isBlocked,
  noCeilings,
  reportOnly,
  type SyncCeilings,
  type SyncPolicy,
} from "../../src/core/sync-decision.js";
import type { EndpointAttributes } from "../../src/core/types.js";
import { applied, attrs, desired, live, state } from "./builders.js";

interface Case {
  name: string;
  desired: EndpointAttributes | null;
  lastApplied: EndpointAttributes | null;
  live: EndpointAttributes | null;
  policy: Partial<SyncPolicy>;
  /** The operator's flags; absent: none. */
  ceilings?: Partial<SyncCeilings>;
  /** [why, action, detail] of each change made; [reason] of each change left. */
  apply: Array<[string, string, string]>;
  left: string[];
}

const automated = { automated: true };
const everything = { automated: true, selfHeal: true, prune: true, allowReplace: true };
const prodTags = [{ key: "env", value: "prod" }];
const devTags = [{ key: "env", value: "dev" }];

const cases: Case[] = [
  {
    name: "report only: a manifest change is left",
    desired: attrs({ rate_limit: { rpm: 20, tpm: 5 } }),
    lastApplied: attrs(),
    live: attrs(),
    policy: {},
    apply: [],
    left: ["report_only"],
  },
  {
    name: "automated: a manifest change is made",
    desired: attrs({ rate_limit: { rpm: 20, tpm: 5 } }),
    lastApplied: attrs(),
    live: attrs(),
    policy: automated,
    apply: [["automated", "update", "rate_limit.rpm 10 -> 20"]],
    left: [],
  },
  {
    name: "automated: a new manifest is created",
    desired: attrs(),
    lastApplied: null,
    live: null,
    policy: automated,
    apply: [["automated", "create", "create"]],
    left: [],
  },
  {
    name: "drift with self_heal off is left",
    desired: attrs(),
    lastApplied: attrs(),
    live: attrs({ rate_limit: { rpm: 99, tpm: 5 } }),
    policy: automated,
    apply: [],
    left: ["self_heal_off"],
  },
  {
    name: "drift with self_heal on is reverted in place",
    desired: attrs(),
    lastApplied: attrs(),
    live: attrs({ rate_limit: { rpm: 99, tpm: 5 } }),
    policy: { automated: true, selfHeal: true },
    apply: [["self-heal", "update", "rate_limit.rpm 99 -> 10"]],
    left: [],
  },
  {
    name: "a value changed both in the console and in the manifests takes the manifests' (not drift to revert)",
    desired: attrs({ rate_limit: { rpm: 20, tpm: 5 } }),
    lastApplied: attrs(),
    live: attrs({ rate_limit: { rpm: 99, tpm: 5 } }),
    policy: automated,
    apply: [["automated", "update", "rate_limit.rpm 99 -> 20"]],
    left: [],
  },
  {
    name: "a manifest change on an endpoint that also drifted elsewhere waits for self_heal",
    desired: attrs({ description: "new" }),
    lastApplied: attrs(),
    live: attrs({ rate_limit: { rpm: 99, tpm: 5 } }),
    policy: automated,
    apply: [],
    left: ["self_heal_off"],
  },
  {
    name: "drift whose revert is a replacement needs a person, whatever the policy",
    desired: attrs(),
    lastApplied: attrs(),
    live: attrs({ tags: devTags }),
    policy: everything,
    apply: [],
    left: ["needs_a_person"],
  },
  {
    name: "an endpoint deleted outside ark-sync is not re-created by self-heal",
    desired: attrs(),
    lastApplied: attrs(),
    live: null,
    policy: everything,
    apply: [],
    left: ["needs_a_person"],
  },
  {
    name: "a replacement the manifests ask for is blocked while allow_replace is off",
    desired: attrs({ tags: [...prodTags, { key: "team", value: "a" }] }),
    lastApplied: attrs(),
    live: attrs(),
    policy: { automated: true, selfHeal: true, prune: true },
    apply: [],
    left: ["replace_not_allowed"],
  },
  {
    name: "a replacement the manifests ask for is made with allow_replace",
    desired: attrs({ tags: devTags }),
    lastApplied: attrs(),
    live: attrs(),
    policy: everything,
    apply: [["automated", "replace", 'replace (tags["env"] prod -> dev)']],
    left: [],
  },
  {
    name: "a removed manifest's endpoint is kept while prune is off",
    desired: null,
    lastApplied: attrs(),
    live: attrs(),
    policy: { automated: true, selfHeal: true, allowReplace: true },
    apply: [],
    left: ["prune_off"],
  },
  {
    name: "a removed manifest's endpoint is deleted with prune",
    desired: null,
    lastApplied: attrs(),
    live: attrs(),
    policy: everything,
    apply: [["prune", "delete", "delete ep-1"]],
    left: [],
  },
  // The operator's ceilings against each policy setting: a ceiling holds back only what the policy
  // would allow, with its own reason; what the policy leaves keeps the policy's reason.
  {
    name: "--no-prune keeps a removed manifest's endpoint that prune would delete",
    desired: null,
    lastApplied: attrs(),
    live: attrs(),
    policy: everything,
    ceilings: { noPrune: true },
    apply: [],
    left: ["prune_disabled"],
  },
  {
    name: "--no-prune with prune off: the policy's own reason",
    desired: null,
    lastApplied: attrs(),
    live: attrs(),
    policy: { automated: true, selfHeal: true, allowReplace: true },
    ceilings: { noPrune: true },
    apply: [],
    left: ["prune_off"],
  },
  {
    name: "--no-prune with report only: report only",
    desired: null,
    lastApplied: attrs(),
    live: attrs(),
    policy: {},
    ceilings: { noPrune: true, noReplace: true },
    apply: [],
    left: ["report_only"],
  },
  {
    name: "--no-prune does not hold back a replacement allow_replace allows",
    desired: attrs({ tags: devTags }),
    lastApplied: attrs(),
    live: attrs(),
    policy: everything,
    ceilings: { noPrune: true },
    apply: [["automated", "replace", 'replace (tags["env"] prod -> dev)']],
    left: [],
  },
  {
    name: "--no-replace blocks a replacement allow_replace would make",
    desired: attrs({ tags: devTags }),
    lastApplied: attrs(),
    live: attrs(),
    policy: everything,
    ceilings: { noReplace: true },
    apply: [],
    left: ["replace_disabled"],
  },
  {
    name: "--no-replace with allow_replace off: the policy's own reason",
    desired: attrs({ tags: devTags }),
    lastApplied: attrs(),
    live: attrs(),
    policy: { automated: true, selfHeal: true, prune: true },
    ceilings: { noReplace: true },
    apply: [],
    left: ["replace_not_allowed"],
  },
  {
    name: "--no-replace with report only: report only",
    desired: attrs({ tags: devTags }),
    lastApplied: attrs(),
    live: attrs(),
    policy: {},
    ceilings: { noReplace: true },
    apply: [],
    left: ["report_only"],
  },
  {
    name: "--no-replace and drift whose revert is a replacement: needs a person, as without it",
    desired: attrs(),
    lastApplied: attrs(),
    live: attrs({ tags: devTags }),
    policy: everything,
    ceilings: { noReplace: true },
    apply: [],
    left: ["needs_a_person"],
  },
  {
    name: "--no-replace does not hold back a prune",
    desired: null,
    lastApplied: attrs(),
    live: attrs(),
    policy: everything,
    ceilings: { noReplace: true },
    apply: [["prune", "delete", "delete ep-1"]],
    left: [],
  },
  {
    name: "the ceilings do not hold back an in-place update, nor self-heal",
    desired: attrs({ description: "new" }),
    lastApplied: attrs(),
    live: attrs({ rate_limit: { rpm: 99, tpm: 5 } }),
    policy: everything,
    ceilings: { noPrune: true, noReplace: true, maxDestroy: 0 },
    apply: [["automated", "update", "rate_limit.rpm 99 -> 10, description (unset) -> new"]],
    left: [],
  },
  {
    name: "the ceilings do not hold back a create",
    desired: attrs(),
    lastApplied: null,
    live: null,
    policy: automated,
    ceilings: { noPrune: true, noReplace: true, maxDestroy: 0 },
    apply: [["automated", "create", "create"]],
    left: [],
  },
  {
    name: "nothing to do: nothing made, nothing left",
    desired: attrs(),
    lastApplied: attrs(),
    live: attrs(),
    policy: everything,
    apply: [],
    left: [],
  },
];

for (const c of cases) {
  test(c.name, () => {
    const plan = computePlan(
      c.desired ? [desired(c.desired)] : [],
      c.lastApplied ? state({ "default/chat": applied("ep-1", c.lastApplied) }) : null,
      c.live ? [live("ep-1", c.live)] : [],
      { allowEmpty: true },
    );
    const decision = decideSync(plan, { ...reportOnly, ...c.policy }, { ...noCeilings, ...c.ceilings });
    assert.equal(
      decision.apply.map((change) => [change.why, change.action, change.detail]),
      c.apply,
    );
    assert.equal(
      decision.left.map((left) => left.reason),
      c.left,
    );
    for (const left of decision.left) assert.match(left.message, /^default\/chat: /);
  });
}

test("what a ceiling holds back says so and who set it; a replacement held back is blocked, a prune not", () => {
  const plan = computePlan(
    [desired(attrs({ tags: devTags }))],
    state({ "default/chat": applied("ep-1", attrs()), "default/old": applied("ep-2", attrs()) }),
    [live("ep-1", attrs()), live("ep-2", attrs())],
  );
  const decision = decideSync(plan, everything, { noPrune: true, noReplace: true });
  assert.equal(
    decision.left.map((left) => [left.message, isBlocked(left)]),
    [
      [
        'default/chat: the manifests ask for a replace (tags["env"] prod -> dev); blocked (replacement disabled by the operator: --no-replace): needs a person',
        true,
      ],
      ["default/old: not in the manifests; kept (pruning is disabled by the operator: --no-prune)", false],
    ],
  );
});

test.run();
