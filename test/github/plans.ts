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
