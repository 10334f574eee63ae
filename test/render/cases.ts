// Golden cases for the plan renderers: real computePlan inputs (desired, last-applied, live), one per
// situation a reviewer must be able to read. `json: true` also keeps a .json golden.
import { computePlan, type PlanOptions } from "../../src/core/compute-plan.js";
import type {
  DesiredEndpoint,
  EndpointAttributes,
  Lifecycle,
  LiveEndpoint,
  Plan,
  StateDocument,
  StateResource,
} from "../../src/core/types.js";

export interface RenderCase {
  name: string;
  desired: DesiredEndpoint[];
  lastApplied: StateDocument | null;
  /** null: planned with --refresh=false. */
  live: LiveEndpoint[] | null;
  options?: PlanOptions;
  json?: boolean;
}

export function planFor(renderCase: RenderCase): Plan {
  return computePlan(renderCase.desired, renderCase.lastApplied, renderCase.live, renderCase.options);
}

function chat(overrides: Partial<EndpointAttributes> = {}, name = "chat-prod"): EndpointAttributes {
  const attributes: Record<string, unknown> = {
    name,
    project_name: "default",
    description: "Customer chat",
    model_reference: { foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250115" } },
    rate_limit: { rpm: 10, tpm: 5 },
    tags: [{ key: "env", value: "prod" }],
    ...overrides,
  };
  for (const key of Object.keys(attributes)) if (attributes[key] === undefined) delete attributes[key];
  return attributes as unknown as EndpointAttributes;
}

function desired(attributes: EndpointAttributes, lifecycle: Lifecycle = {}): DesiredEndpoint {
  return {
    address: `${attributes.project_name}/${attributes.name}`,
    attributes,
    lifecycle,
    source: { file: `manifests/${attributes.name}.yaml`, line: 1, col: 1 },
  };
}

function live(
  endpointId: string,
  attributes: EndpointAttributes,
  extra: Partial<LiveEndpoint> = {},
): LiveEndpoint {
  return { endpoint_id: endpointId, attributes, status: "Running", ...extra };
}

function state(resources: Record<string, StateResource>): StateDocument {
  return { version: 1, lineage: "6f1c2a4e-0d3b-4c59-9a7e-2b8d5f0e1a37", serial: 12, resources };
}

function applied(endpointId: string, lastApplied: EndpointAttributes | null): StateResource {
  return { endpoint_id: endpointId, last_applied: lastApplied, applied_at: "2026-11-02T08:00:00Z" };
}

const ID = "ep-20261102080000-x7k2p";

export const cases: RenderCase[] = [
  {
    name: "create",
    json: true,
    desired: [
      desired(
        chat({
          tags: [
            { key: "env", value: "prod" },
            { key: "team", value: "search" },
          ],
        }),
      ),
    ],
    lastApplied: state({}),
    live: [],
  },
  {
    name: "update-rate-limit-with-drift",
    json: true,
    desired: [desired(chat({ description: "Customer chat (EU)" }))],
    lastApplied: state({ "default/chat-prod": applied(ID, chat()) }),
    live: [live(ID, chat({ rate_limit: { rpm: 20, tpm: 5 } }))],
  },
  {
    name: "tag-added-forces-replacement",
    json: true,
    desired: [
      desired(
        chat({
          tags: [
            { key: "env", value: "prod" },
            { key: "team", value: "search" },
          ],
        }),
      ),
    ],
    lastApplied: state({ "default/chat-prod": applied(ID, chat()) }),
    live: [live(ID, chat())],
  },
  {
    name: "tag-removed-forces-replacement",
    desired: [desired(chat({ tags: [{ key: "env", value: "prod" }] }))],
    lastApplied: state({
      "default/chat-prod": applied(
        ID,
        chat({
          tags: [
            { key: "env", value: "prod" },
            { key: "tmp", value: "x" },
          ],
        }),
      ),
    }),
    live: [
      live(
        ID,
        chat({
          tags: [
            { key: "env", value: "prod" },
            { key: "tmp", value: "x" },
          ],
        }),
      ),
    ],
  },
  {
    name: "create-before-destroy",
    desired: [
      desired(
        chat({
          model_reference: { foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250328" } },
        }),
        { create_before_destroy: true },
      ),
    ],
    lastApplied: state({ "default/chat-prod": applied(ID, chat()) }),
    live: [live(ID, chat(), { support_rolling: false })],
  },
  {
    name: "model-switch-rolling",
    json: true,
    desired: [
      desired(
        chat({
          model_reference: { foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250415" } },
        }),
      ),
    ],
    lastApplied: state({ "default/chat-prod": applied(ID, chat()) }),
    live: [live(ID, chat(), { support_rolling: true })],
  },
  {
    name: "model-switch-in-progress",
    desired: [
      desired(
        chat({
          model_reference: { foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250415" } },
        }),
      ),
    ],
    lastApplied: state({ "default/chat-prod": applied(ID, chat()) }),
    live: [live(ID, chat(), { support_rolling: true, rolling_id: "eprol-20261202093000-q8x1m" })],
  },
  {
    name: "moderation-in-place",
    desired: [desired(chat({ moderation: { strategy: "Basic" } }))],
    lastApplied: state({ "default/chat-prod": applied(ID, chat({ moderation: { strategy: "Default" } })) }),
    live: [live(ID, chat({ moderation: { strategy: "Default" } }))],
  },
  {
    name: "destroy-removed-from-manifests",
    json: true,
    desired: [desired(chat())],
    lastApplied: state({
      "default/chat-prod": applied(ID, chat()),
      "default/chat-old": applied("ep-20250601000000-old01", chat({}, "chat-old")),
    }),
    live: [live(ID, chat()), live("ep-20250601000000-old01", chat({}, "chat-old"))],
  },
  {
    // A destroy and a replacement of endpoints that hold prepaid capacity (docs/ark-api.md, Prepaid capacity).
    name: "prepaid-capacity-released",
    json: true,
    desired: [desired(chat({ model_unit_id: "mu-20260301-a1", tags: [] }))],
    lastApplied: state({
      "default/chat-prod": applied(ID, chat({ model_unit_id: "mu-20260301-a1" })),
      "default/chat-old": applied("ep-20250601000000-old01", chat({}, "chat-old")),
    }),
    live: [
      live(ID, chat({ model_unit_id: "mu-20260301-a1" })),
      live("ep-20250601000000-old01", chat({}, "chat-old"), { scale_tier_id: "st-20250601-tpm1" }),
    ],
  },
  {
    name: "deleted-outside-then-create",
    desired: [desired(chat())],
    lastApplied: state({ "default/chat-prod": applied(ID, chat()) }),
    live: [],
  },
  {
    name: "attribute-removed-from-manifest",
    desired: [desired(chat({ description: undefined, rate_limit: { rpm: 10 } }))],
    lastApplied: state({ "default/chat-prod": applied(ID, chat()) }),
    live: [live(ID, chat())],
  },
  {
    name: "moderation-removed-kept-live",
    json: true,
    desired: [desired(chat())],
    lastApplied: state({ "default/chat-prod": applied(ID, chat({ moderation: { strategy: "Basic" } })) }),
    live: [live(ID, chat({ moderation: { strategy: "Basic" } }))],
  },
  {
    name: "no-changes",
    desired: [desired(chat())],
    lastApplied: state({ "default/chat-prod": applied(ID, chat()) }),
    live: [live(ID, chat())],
  },
  {
    name: "drift-already-in-manifests",
    desired: [desired(chat({ rate_limit: { rpm: 20, tpm: 5 } }))],
    lastApplied: state({ "default/chat-prod": applied(ID, chat()) }),
    live: [live(ID, chat({ rate_limit: { rpm: 20, tpm: 5 } }))],
  },
  {
    name: "refresh-false",
    desired: [desired(chat({ rate_limit: { rpm: 30, tpm: 5 } }))],
    lastApplied: state({ "default/chat-prod": applied(ID, chat()) }),
    live: null,
  },
  {
    name: "prevent-destroy",
    desired: [desired(chat({ model_unit_id: "mu-2026-a" }), { prevent_destroy: true })],
    lastApplied: state({ "default/chat-prod": applied(ID, chat()) }),
    live: [live(ID, chat())],
  },
  {
    name: "unmanaged-tag",
    desired: [desired(chat({ description: "Customer chat (EU)" }))],
    lastApplied: state({ "default/chat-prod": applied(ID, chat()) }),
    live: [
      live(
        ID,
        chat({
          tags: [
            { key: "env", value: "prod" },
            { key: "owner", value: "alice" },
          ],
        }),
        {
          status: "Stopped",
        },
      ),
    ],
  },
  {
    name: "model-switch-to-custom",
    desired: [
      desired(
        chat({ model_reference: { custom_model_id: "cm-20261001-ft01" }, moderation: { strategy: "Basic" } }),
      ),
    ],
    lastApplied: state({ "default/chat-prod": applied(ID, chat()) }),
    live: [live(ID, chat())],
  },
  {
    name: "adopted-by-ownership-tag",
    desired: [desired(chat())],
    lastApplied: state({}),
    live: [live(ID, chat(), { owner_address: "default/chat-prod" })],
  },
  {
    name: "imported-no-last-applied",
    desired: [desired(chat({ description: "Customer chat (EU)" }))],
    lastApplied: state({ "default/chat-prod": applied(ID, null) }),
    live: [live(ID, chat({ model_unit_id: "mu-console" }))],
  },
  {
    name: "empty-manifests",
    desired: [],
    lastApplied: state({ "default/chat-prod": applied(ID, chat()) }),
    live: [live(ID, chat())],
  },
  {
    name: "moved-rename-in-place",
    json: true,
    desired: [{ ...desired(chat({}, "chat-v2")), moved_from: "default/chat-prod" }],
    lastApplied: state({ "default/chat-prod": applied(ID, chat()) }),
    live: [live(ID, chat())],
  },
  {
    name: "moved-to-another-project",
    desired: [{ ...desired(chat({ project_name: "search" })), moved_from: "default/chat-prod" }],
    lastApplied: state({ "default/chat-prod": applied(ID, chat()) }),
    live: [live(ID, chat())],
  },
  {
    // Renamed in the console, then in the manifest: only the state record has to move.
    name: "moved-only",
    desired: [{ ...desired(chat({}, "chat-v2")), moved_from: "default/chat-prod" }],
    lastApplied: state({ "default/chat-prod": applied(ID, chat()) }),
    live: [live(ID, chat({}, "chat-v2"))],
  },
  manyResources(),
];

/** Thirteen endpoints given in scrambled order, every action, and more unmanaged values than are listed. */
function manyResources(): RenderCase {
  const names = [
    "zeta",
    "alpha",
    "mike",
    "bravo",
    "lima",
    "echo",
    "kilo",
    "delta",
    "juliet",
    "charlie",
    "india",
  ];
  const desiredEndpoints: DesiredEndpoint[] = [];
  const resources: Record<string, StateResource> = {};
  const liveEndpoints: LiveEndpoint[] = [];
  names.forEach((name, i) => {
    const id = `ep-20261001000000-${String(i).padStart(5, "0")}`;
    const base = chat({}, name);
    const extraTag = { tags: [...(base.tags ?? []), { key: "cost-center", value: `cc-${i}` }] };
    const variants = [
      chat({ rate_limit: { rpm: 20 + i, tpm: 5 } }, name),
      chat({ description: `Chat ${i}` }, name),
      base,
      chat({ tags: [...(base.tags ?? []), { key: "tier", value: "gold" }] }, name),
    ];
    const wanted = variants[i % variants.length] ?? base;
    desiredEndpoints.push(desired(wanted));
    resources[`default/${name}`] = applied(id, base);
    liveEndpoints.push(live(id, chat(extraTag, name)));
  });
  desiredEndpoints.push(desired(chat({}, "november")));
  resources["default/foxtrot"] = applied("ep-20261001000000-gone1", chat({}, "foxtrot"));
  liveEndpoints.push(live("ep-20261001000000-gone1", chat({}, "foxtrot")));
  return {
    name: "many-resources-sorted",
    desired: desiredEndpoints.reverse(),
    lastApplied: state(resources),
    live: liveEndpoints.reverse(),
  };
}
