// Realistic plans for the GitHub tests, built with the real computePlan.
import { computePlan } from "../../src/core/compute-plan.js";
import type { DesiredEndpoint, LiveEndpoint, Plan, StateResource } from "../../src/core/types.js";
import { applied, attrs, desired, live, state } from "../core/builders.js";

/** A create, an update that also restores drift, a destroy and a replacement. */
export function smallPlan(): Plan {
  return computePlan(
    [
      desired(attrs({ name: "chat-new", description: "a new endpoint" })),
      desired(attrs({ rate_limit: { rpm: 20, tpm: 5 } })),
      desired(attrs({ name: "rep", tags: [{ key: "env", value: "dev" }] })),
    ],
    state({
      "default/chat": applied("ep-1", attrs()),
      "default/old": applied("ep-2", attrs({ name: "old" })),
      "default/rep": applied("ep-3", attrs({ name: "rep" })),
    }),
    [
      live("ep-1", attrs({ rate_limit: { rpm: 99, tpm: 5 } })),
      live("ep-2", attrs({ name: "old" })),
      live("ep-3", attrs({ name: "rep" })),
    ],
  );
}

export const noChangesPlan = (): Plan =>
  computePlan([desired(attrs())], state({ "default/chat": applied("ep-1", attrs()) }), [
    live("ep-1", attrs()),
  ]);

export interface LargePlan {
  plan: Plan;
  destroyed: string[];
  replaced: string[];
  drifted: string[];
}

/**
 * `count` endpoints: mostly creates and updates, with one in 30 destroyed, one in 30 replaced and
 * one in 30 changed outside ark-sync (and restored by the plan).
 */
export function largePlan(count: number): LargePlan {
  const wanted: DesiredEndpoint[] = [];
  const resources: Record<string, StateResource> = {};
  const current: LiveEndpoint[] = [];
  const destroyed: string[] = [];
  const replaced: string[] = [];
  const drifted: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `chat-${String(i).padStart(4, "0")}`;
    const address = `default/${name}`;
    const id = `ep-20250101${String(i).padStart(6, "0")}`;
    const base = attrs({ name, description: `Endpoint ${i} for the search team's chat assistant` });
    const kind = i % 30;
    if (kind < 17) {
      wanted.push(desired(base));
    } else if (kind < 27) {
      wanted.push(desired({ ...base, rate_limit: { rpm: 20 + kind, tpm: 5 } }));
      resources[address] = applied(id, base);
      current.push(live(id, base));
    } else if (kind === 27) {
      destroyed.push(address);
      resources[address] = applied(id, base);
      current.push(live(id, base));
    } else if (kind === 28) {
      replaced.push(address);
      wanted.push(desired({ ...base, tags: [{ key: "env", value: "staging" }] }));
      resources[address] = applied(id, base);
      current.push(live(id, base));
    } else {
      drifted.push(address);
      wanted.push(desired(base));
      resources[address] = applied(id, base);
      current.push(live(id, { ...base, rate_limit: { rpm: 999, tpm: 5 } }));
    }
  }
  return { plan: computePlan(wanted, state(resources), current), destroyed, replaced, drifted };
}

export interface PlanSizes {
  create: number;
  update: number;
  destroy: number;
  replace: number;
  /** How many of the updates were also changed outside ark-sync. */
  drift: number;
}

/** Issue 11's plan: 2,100 live endpoints, 360 new ones, and a few replacements and drifted values. */
export const ISSUE_11_SIZES: PlanSizes = { create: 360, update: 1580, destroy: 210, replace: 12, drift: 60 };

/**
 * A plan of the given sizes, in address order create, update, destroy, replace; the drifted endpoints
 * are spread evenly over the updates.
 */
export function sizedPlan(sizes: PlanSizes): LargePlan {
  const wanted: DesiredEndpoint[] = [];
  const resources: Record<string, StateResource> = {};
  const current: LiveEndpoint[] = [];
  const destroyed: string[] = [];
  const replaced: string[] = [];
  const drifted: string[] = [];
  const driftEvery = sizes.drift === 0 ? 0 : Math.floor(sizes.update / sizes.drift);
  let i = 0;
  const next = (prefix: string) => {
    const name = `${prefix}-${String(i).padStart(4, "0")}`;
    const id = `ep-20250101${String(i++).padStart(6, "0")}`;
    const base = attrs({ name, description: `Endpoint ${i} for the search team's chat assistant` });
    return { name, address: `default/${name}`, id, base };
  };
  for (let n = 0; n < sizes.create; n++) wanted.push(desired(next("new").base));
  for (let n = 0; n < sizes.update; n++) {
    const { address, id, base } = next("chat");
    wanted.push(desired({ ...base, rate_limit: { rpm: 20 + (n % 50), tpm: 5 } }));
    resources[address] = applied(id, base);
    const drifts = driftEvery > 0 && n % driftEvery === 0 && drifted.length < sizes.drift;
    if (drifts) drifted.push(address);
    current.push(live(id, drifts ? { ...base, rate_limit: { rpm: 999, tpm: 5 } } : base));
  }
  for (let n = 0; n < sizes.destroy; n++) {
    const { address, id, base } = next("old");
    destroyed.push(address);
    resources[address] = applied(id, base);
    current.push(live(id, base));
  }
  for (let n = 0; n < sizes.replace; n++) {
    const { address, id, base } = next("rep");
    replaced.push(address);
    wanted.push(desired({ ...base, tags: [{ key: "env", value: "staging" }] }));
    resources[address] = applied(id, base);
    current.push(live(id, base));
  }
  return { plan: computePlan(wanted, state(resources), current), destroyed, replaced, drifted };
}

/** Text meant to break out of whatever it is put in. */
export const HOSTILE =
  "```\n~~~\n</details><img src=x onerror=alert(1)> @octocat @org/team #1 https://evil.test www.evil.test [x](https://evil.test) ![i](https://evil.test/i.png) <script>alert(1)</script> &amp; \u202eevil";

/** A plan whose description, name and tag key carry hostile text, and that replaces and drifts. */
export function hostilePlan(): Plan {
  const evilName = "evil`</details><img src=x onerror=alert(1)>@org/team";
  const before = attrs({ name: evilName, description: "calm" });
  const after = attrs({
    name: evilName,
    description: HOSTILE,
    tags: [{ key: "</summary>@octocat", value: HOSTILE }],
  });
  return computePlan(
    [desired(after), desired(attrs({ name: "fresh", description: HOSTILE }))],
    state({ [`default/${evilName}`]: applied("ep-evil", before) }),
    [live("ep-evil", { ...before, description: "<b>changed</b> by @someone" })],
  );
}
