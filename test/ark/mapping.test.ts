import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  type ArkEndpoint,
  toCreateEndpointRequest,
  toListEndpointsRequest,
  toLiveEndpoint,
  toUpdateEndpointRequest,
} from "../../src/ark/mapping.js";
import { isArkSyncError } from "../../src/core/errors.js";
import { isReservedTagKey } from "../../src/core/reserved-tags.js";
import type { EndpointAttributes } from "../../src/core/types.js";

const test = suite("ark mapping");

const fullEndpoint: ArkEndpoint = {
  Id: "ep-20250205102543-lcndc",
  Name: "chat",
  Description: "prod chat",
  ProjectName: "team-a",
  ModelReference: { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" } },
  ModelUnitId: "mu-1",
  Moderation: { Strategy: "Basic" },
  RateLimit: { Rpm: 10, Tpm: 5 },
  Tags: [
    { Key: "team", Value: "a" },
    { Key: "sys:billing", Value: "x" },
    { Key: "env", Value: "prod" },
    { Key: "volc:origin", Value: "console" },
    { Key: "ark-sync:address", Value: "team-a/chat" },
  ],
  Status: "Abnormal",
  StatusReason: "quota exhausted",
};

test("Ark → live: PascalCase to snake_case, every attribute", () => {
  assert.equal(toLiveEndpoint(fullEndpoint), {
    endpoint_id: "ep-20250205102543-lcndc",
    attributes: {
      name: "chat",
      project_name: "team-a",
      description: "prod chat",
      model_reference: { foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250115" } },
      model_unit_id: "mu-1",
      moderation: { strategy: "Basic" },
      rate_limit: { rpm: 10, tpm: 5 },
      tags: [
        { key: "env", value: "prod" },
        { key: "team", value: "a" },
      ],
    },
    status: "Abnormal",
    status_reason: "quota exhausted",
    owner_address: "team-a/chat",
  });
});

test("Ark → live: system tags and the ownership tag never reach attributes", () => {
  const live = toLiveEndpoint(fullEndpoint);
  const keys = (live.attributes.tags ?? []).map((tag) => tag.key);
  assert.equal(keys, ["env", "team"]);
  assert.ok(isReservedTagKey("sys:anything"));
  assert.ok(isReservedTagKey("volc:anything"));
  // Volcengine reserves volc: in any letter case; sys: is treated the same.
  assert.ok(isReservedTagKey("VOLC:anything"));
  assert.ok(isReservedTagKey("Volc:x"));
  assert.ok(isReservedTagKey("SYS:x"));
  assert.not.ok(isReservedTagKey("volcano:x"));
  assert.equal(
    toLiveEndpoint({
      ...fullEndpoint,
      Tags: [
        { Key: "Volc:Origin", Value: "x" },
        { Key: "env", Value: "1" },
      ],
    }).attributes.tags,
    [{ key: "env", value: "1" }],
  );
  assert.ok(isReservedTagKey("ark-sync:address"));
  assert.not.ok(isReservedTagKey("system"));
  assert.not.ok(isReservedTagKey("ark-sync"));
});

test("Ark → live: values that mean unset are absent", () => {
  const live = toLiveEndpoint({
    Id: "ep-1",
    Name: "bare",
    Description: "",
    ProjectName: "",
    ModelReference: { FoundationModel: { Name: "", ModelVersion: "" }, CustomModelId: "cm-7" },
    ModelUnitId: "",
    Moderation: { Strategy: "" },
    RateLimit: { Rpm: 0, Tpm: 0 },
    Tags: [{ Key: "sys:only", Value: "1" }],
    Status: "Running",
    StatusReason: "",
  });
  assert.equal(live, {
    endpoint_id: "ep-1",
    attributes: { name: "bare", project_name: "default", model_reference: { custom_model_id: "cm-7" } },
    status: "Running",
  });
});

test("Ark → live: a rate limit keeps only its set fields; an empty one is absent", () => {
  assert.equal(toLiveEndpoint({ Id: "a", Name: "n", RateLimit: { Tpm: 7 } }).attributes.rate_limit, {
    tpm: 7,
  });
  assert.equal(toLiveEndpoint({ Id: "a", Name: "n", RateLimit: {} }).attributes.rate_limit, undefined);
});

test("Ark → live: a list item has no moderation, and an answer without Id is refused", () => {
  const { Moderation: _moderation, ...item } = fullEndpoint;
  assert.equal(toLiveEndpoint(item).attributes.moderation, undefined);
  try {
    toLiveEndpoint({ Name: "no-id" });
    assert.unreachable("accepted an endpoint without Id");
  } catch (error) {
    assert.ok(isArkSyncError(error) && error.code === "ark_bad_answer");
  }
});

test("manifest → CreateEndpoint: PascalCase, only set values, ownership tag added", () => {
  const attributes: EndpointAttributes = {
    name: "chat",
    project_name: "default",
    description: "",
    model_reference: { custom_model_id: "cm-1" },
    moderation: { strategy: "Default" },
    rate_limit: { rpm: 3 },
    tags: [{ key: "env", value: "test" }],
  };
  assert.equal(toCreateEndpointRequest(attributes, "default/chat", "lineage-1"), {
    Name: "chat",
    ProjectName: "default",
    ModelReference: { CustomModelId: "cm-1" },
    Moderation: { Strategy: "Default" },
    RateLimit: { Rpm: 3 },
    Tags: [
      { Key: "env", Value: "test" },
      { Key: "ark-sync:address", Value: "default/chat" },
      { Key: "ark-sync:state", Value: "lineage-1" },
    ],
  });
});

test("DryRun marker: sent with a DryRun body; an endpoint carrying it has no owner, whatever it carries", () => {
  const body = toCreateEndpointRequest(
    { name: "n", project_name: "default" },
    "default/n",
    "lineage-1",
    "run-1",
  );
  assert.equal(body.Tags, [
    { Key: "ark-sync:address", Value: "default/n" },
    { Key: "ark-sync:state", Value: "lineage-1" },
    { Key: "ark-sync:dry-run", Value: "run-1" },
  ]);
  const made = toLiveEndpoint({
    ...fullEndpoint,
    Tags: [...(body.Tags as ArkEndpoint["Tags"] & object), { Key: "env", Value: "prod" }],
  });
  assert.is(made.dry_run_id, "run-1");
  assert.is(made.owner_address, undefined);
  assert.is(made.owner_state, undefined);
  assert.equal(made.attributes.tags, [{ key: "env", value: "prod" }]);
  assert.ok(isReservedTagKey("ark-sync:dry-run"));
});

test("manifest → CreateEndpoint: reserved tag keys are refused", () => {
  for (const key of [
    "sys:x",
    "volc:y",
    "VOLC:y",
    "Sys:z",
    "ark-sync:address",
    "ark-sync:state",
    "ark-sync:dry-run",
  ]) {
    try {
      toCreateEndpointRequest(
        { name: "n", project_name: "default", tags: [{ key, value: "v" }] },
        "default/n",
        "lineage-1",
      );
      assert.unreachable(`accepted ${key}`);
    } catch (error) {
      assert.ok(isArkSyncError(error) && error.code === "reserved_tag", key);
    }
  }
});

test('update: only the given fields; a cleared description is ""; RateLimit never invents a 0', () => {
  assert.equal(toUpdateEndpointRequest("ep-1", { name: "renamed" }), { Id: "ep-1", Name: "renamed" });
  assert.equal(toUpdateEndpointRequest("ep-1", { description: null }), { Id: "ep-1", Description: "" });
  assert.equal(toUpdateEndpointRequest("ep-1", { rate_limit: { tpm: 9 } }), {
    Id: "ep-1",
    RateLimit: { Tpm: 9 },
  });
  // Read-modify-write: live members the update does not set are sent back as read.
  assert.equal(
    toUpdateEndpointRequest("ep-1", { rate_limit: { tpm: 9 } }, { Rpm: 0, Tpm: 5, Ipm: 50, Note: "x" }),
    { Id: "ep-1", RateLimit: { Rpm: 0, Tpm: 9, Ipm: 50 } },
  );
  // What a cleared description sends reads back as absent.
  assert.equal(toLiveEndpoint({ Id: "ep-1", Name: "n", Description: "" }).attributes, {
    name: "n",
    project_name: "default",
  });
});

test("list query: always the project, filters and tag filters in Ark's names", () => {
  assert.equal(toListEndpointsRequest({ projectName: "default" }), { ProjectName: "default" });
  assert.equal(
    toListEndpointsRequest({
      projectName: "p",
      filter: { ids: ["ep-1"], name: "chat", statuses: ["Running"] },
      tagFilters: [{ key: "ark-sync:address", values: ["p/chat"] }],
    }),
    {
      ProjectName: "p",
      Filter: { Ids: ["ep-1"], Name: "chat", Statuses: ["Running"] },
      TagFilters: [{ Key: "ark-sync:address", Values: ["p/chat"] }],
    },
  );
});

// What Ark stores from a CreateEndpoint body and answers on GetEndpoint, unset fields zeroed as the
// SDKs' structs read them.
function echoAsArk(request: Record<string, unknown>): ArkEndpoint {
  const rateLimit = (request.RateLimit ?? {}) as { Rpm?: number; Tpm?: number };
  return {
    Id: "ep-echo",
    Name: request.Name as string,
    Description: (request.Description as string | undefined) ?? "",
    ProjectName: request.ProjectName as string,
    ModelReference: request.ModelReference as ArkEndpoint["ModelReference"],
    ModelUnitId: (request.ModelUnitId as string | undefined) ?? "",
    Moderation: (request.Moderation as ArkEndpoint["Moderation"]) ?? { Strategy: "" },
    RateLimit: { Rpm: rateLimit.Rpm ?? 0, Tpm: rateLimit.Tpm ?? 0 },
    Tags: [{ Key: "sys:created-by", Value: "ark" }, ...(request.Tags as ArkEndpoint["Tags"] & object)],
    Status: "Running",
  };
}

const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
const attributesArbitrary: fc.Arbitrary<EndpointAttributes> = fc.record(
  {
    name: word,
    project_name: word,
    description: word,
    model_reference: fc.oneof(
      fc.record({ foundation_model: fc.record({ name: word, model_version: fc.stringMatching(/^\d{6}$/) }) }),
      fc.record({ custom_model_id: word }),
    ),
    model_unit_id: word,
    moderation: fc.record({ strategy: fc.constantFrom("Default" as const, "Basic" as const) }),
    rate_limit: fc.record(
      { rpm: fc.integer({ min: 1, max: 10_000 }), tpm: fc.integer({ min: 1, max: 10_000 }) },
      {
        requiredKeys: [],
      },
    ),
    tags: fc
      .uniqueArray(fc.record({ key: word, value: word }), {
        selector: (tag) => tag.key,
        minLength: 1,
        maxLength: 5,
      })
      .map((tags) => [...tags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))),
  },
  { requiredKeys: ["name", "project_name", "model_reference"] },
);

test("property: create then read back gives the same attributes, the owner address and state", () => {
  fc.assert(
    fc.property(attributesArbitrary, (attributes) => {
      const expected = structuredClone(attributes);
      if (expected.rate_limit && Object.keys(expected.rate_limit).length === 0) delete expected.rate_limit;
      const live = toLiveEndpoint(echoAsArk(toCreateEndpointRequest(attributes, "addr/x", "lineage-1")));
      assert.equal(live.attributes, expected);
      assert.is(live.owner_address, "addr/x");
      assert.is(live.owner_state, "lineage-1");
    }),
  );
});

test.run();
