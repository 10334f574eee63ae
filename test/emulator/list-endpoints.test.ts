// ListEndpoints through the real client: pages, ordering, filters and tag filters, item shape.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { EndpointSeed } from "../../src/emulator/start-emulator.js";
import { arkClient, errorCode, foundationModel, ok, startTestEmulator } from "./helpers.js";

test("250 endpoints come back in 3 pages of at most 100, each once; items lack the Get-only fields", async () => {
  const emulator = await startTestEmulator();
  const ark = arkClient(emulator);
  try {
    await Promise.all(
      Array.from({ length: 250 }, (_, index) =>
        emulator.seedEndpoint({
          Name: `ep-${index}`,
          ModelReference: foundationModel,
          Tags: [{ Key: "n", Value: String(index) }],
        }),
      ),
    );
    emulator.resetStats();
    const pages = [];
    for (const PageNumber of [1, 2, 3, 4])
      pages.push(await ok(ark.call("ListEndpoints", { PageNumber, PageSize: 100 })));
    assert.equal(
      pages.map((page) => [page.TotalCount, page.PageNumber, page.PageSize, page.Items.length]),
      [
        [250, 1, 100, 100],
        [250, 2, 100, 100],
        [250, 3, 100, 50],
        [250, 4, 100, 0],
      ],
    );
    const ids = pages.flatMap((page) => page.Items.map((item: { Id: string }) => item.Id));
    assert.is(new Set(ids).size, 250);
    assert.is(emulator.stats().byAction.ListEndpoints, 4);

    const item = pages[0].Items[0];
    for (const hidden of ["Moderation", "BatchOnly", "ScaleTierId", "SupportScaleTier"]) {
      assert.not.ok(hidden in item, hidden);
    }
    for (const shown of [
      "Id",
      "Name",
      "Tags",
      "ModelReference",
      "Status",
      "RateLimit",
      "SupportRolling",
      "UpdateTime",
    ]) {
      assert.ok(shown in item, shown);
    }
    assert.is((await ok(ark.call("ListEndpoints", {}))).Items.length, 10);
  } finally {
    await emulator.close();
  }
});

test("default order is newest first with Id as tie-breaker; SortOrder and SortBy change it", async () => {
  const emulator = await startTestEmulator();
  const ark = arkClient(emulator);
  try {
    const seed = (Id: string, CreateTime: string, UpdateTime: string) =>
      emulator.seedEndpoint({ Id, Name: Id, ModelReference: foundationModel, CreateTime, UpdateTime });
    await seed("ep-b", "2025-01-02T00:00:00Z", "2025-01-05T00:00:00Z");
    await seed("ep-a", "2025-01-02T00:00:00Z", "2025-01-03T00:00:00Z");
    await seed("ep-c", "2025-01-03T00:00:00Z", "2025-01-04T00:00:00Z");
    await seed("ep-d", "2025-01-01T00:00:00Z", "2025-01-06T00:00:00Z");
    const order = async (body: object) =>
      (await ok(ark.call("ListEndpoints", body))).Items.map((item: { Id: string }) => item.Id);
    assert.equal(await order({}), ["ep-c", "ep-b", "ep-a", "ep-d"]);
    assert.equal(await order({ SortOrder: "Asc" }), ["ep-d", "ep-a", "ep-b", "ep-c"]);
    assert.equal(await order({ SortBy: "UpdateTime", SortOrder: "Asc" }), ["ep-a", "ep-c", "ep-b", "ep-d"]);
    assert.equal(
      emulator.listEndpoints().map((endpoint) => endpoint.Id),
      ["ep-c", "ep-b", "ep-a", "ep-d"],
    );
  } finally {
    await emulator.close();
  }
});

test("one project per list: ProjectName absent or empty lists default", async () => {
  const emulator = await startTestEmulator();
  const ark = arkClient(emulator);
  try {
    const Tags = [{ Key: "team", Value: "x" }];
    await emulator.seedEndpoint({ Id: "ep-1", Name: "chat", ModelReference: foundationModel, Tags });
    for (const [Id, ProjectName] of [
      ["ep-2", "a"],
      ["ep-3", "b"],
    ] as const) {
      await emulator.seedEndpoint({ Id, Name: "chat", ProjectName, ModelReference: foundationModel, Tags });
    }
    const ids = async (body: object) =>
      (await ok(ark.call("ListEndpoints", body))).Items.map((item: { Id: string }) => item.Id).sort();
    assert.equal(await ids({}), ["ep-1"]);
    assert.equal(await ids({ ProjectName: "" }), ["ep-1"]);
    assert.equal(await ids({ ProjectName: "default" }), ["ep-1"]);
    assert.equal(await ids({ ProjectName: "a" }), ["ep-2"]);
    assert.equal(await ids({ ProjectName: "nobody" }), []);
    assert.equal(await ids({ Filter: { Ids: ["ep-1", "ep-2", "ep-3"] } }), ["ep-1"]);
    assert.equal(await ids({ ProjectName: "b", Filter: { Ids: ["ep-1", "ep-2", "ep-3"] } }), ["ep-3"]);
    assert.equal(
      await ids({ TagFilters: [{ Key: "team", Values: ["x"] }] }),
      ["ep-1"],
      "tag filters stay within the project",
    );
  } finally {
    await emulator.close();
  }
});

test("filters: ids, name substring, statuses, model fields; all ANDed, within the project", async () => {
  const emulator = await startTestEmulator();
  const ark = arkClient(emulator);
  try {
    const seeds: EndpointSeed[] = [
      { Id: "ep-1", Name: "chat-prod", ModelReference: foundationModel },
      { Id: "ep-2", Name: "chat-dev", ModelReference: foundationModel, Status: "Stopped" },
      {
        Id: "ep-3",
        Name: "embed",
        ModelReference: { FoundationModel: { Name: "doubao-embedding", ModelVersion: "240715" } },
      },
      {
        Id: "ep-4",
        Name: "custom-chat",
        ModelReference: { CustomModelId: "cm-9" },
        Status: "Abnormal",
      },
      { Id: "ep-5", Name: "chat-prod", ProjectName: "a", ModelReference: foundationModel },
    ];
    for (const seed of seeds) await emulator.seedEndpoint(seed);
    const ids = async (body: object) =>
      (await ok(ark.call("ListEndpoints", body))).Items.map((item: { Id: string }) => item.Id).sort();
    assert.equal(await ids({}), ["ep-1", "ep-2", "ep-3", "ep-4"]);
    assert.equal(await ids({ Filter: { Ids: ["ep-2", "ep-4", "ep-404"] } }), ["ep-2", "ep-4"]);
    assert.equal(await ids({ Filter: { Name: "chat" } }), ["ep-1", "ep-2", "ep-4"]);
    assert.equal(await ids({ Filter: { Name: "chat-prod" } }), ["ep-1"]);
    assert.equal(await ids({ Filter: { Statuses: ["Stopped", "Abnormal"] } }), ["ep-2", "ep-4"]);
    assert.equal(await ids({ Filter: { Statuses: ["Failed", "Stopped"] } }), ["ep-2"]);
    assert.equal(await ids({ Filter: { EndpointModelTypes: ["CustomModel"] } }), ["ep-4"]);
    assert.equal(await ids({ Filter: { FoundationModelName: "doubao-embedding" } }), ["ep-3"]);
    assert.equal(await ids({ Filter: { ModelVersions: ["250115"] } }), ["ep-1", "ep-2"]);
    assert.equal(await ids({ Filter: { CustomModelIds: ["cm-9"] } }), ["ep-4"]);
    assert.equal(await ids({ ProjectName: "a", Filter: { Name: "chat", Statuses: ["Running"] } }), ["ep-5"]);
    assert.equal(await ids({ Filter: { Ids: [], Statuses: [] } }), ["ep-1", "ep-2", "ep-3", "ep-4"]);
  } finally {
    await emulator.close();
  }
});

test("tag filters: AND across keys, OR within values, no values means the key is present", async () => {
  const emulator = await startTestEmulator();
  const ark = arkClient(emulator);
  try {
    const tagged = (Id: string, tags: Record<string, string>) =>
      emulator.seedEndpoint({
        Id,
        Name: Id,
        ModelReference: foundationModel,
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      });
    await tagged("ep-1", { env: "prod", team: "x", "ark-sync:address": "default/one" });
    await tagged("ep-2", { env: "dev", team: "x" });
    await tagged("ep-3", { env: "staging" });
    await tagged("ep-4", {});
    const ids = async (TagFilters: object[]) =>
      (await ok(ark.call("ListEndpoints", { TagFilters }))).Items.map(
        (item: { Id: string }) => item.Id,
      ).sort();
    assert.equal(await ids([{ Key: "env", Values: ["prod", "dev"] }]), ["ep-1", "ep-2"]);
    assert.equal(
      await ids([
        { Key: "env", Values: ["prod", "dev"] },
        { Key: "team", Values: ["x"] },
      ]),
      ["ep-1", "ep-2"],
    );
    assert.equal(
      await ids([
        { Key: "env", Values: ["staging"] },
        { Key: "team", Values: ["x"] },
      ]),
      [],
    );
    assert.equal(await ids([{ Key: "env" }]), ["ep-1", "ep-2", "ep-3"]);
    assert.equal(await ids([{ Key: "ark-sync:address", Values: ["default/one"] }]), ["ep-1"]);
  } finally {
    await emulator.close();
  }
});

test("bad list parameters are named", async () => {
  const emulator = await startTestEmulator();
  const ark = arkClient(emulator);
  try {
    const cases: Array<[object, string, RegExp]> = [
      [{ PageSize: 101 }, "InvalidParameter", /PageSize/],
      [{ PageSize: 0 }, "InvalidParameter", /PageSize/],
      [{ PageNumber: 0 }, "InvalidParameter", /PageNumber/],
      [{ PageNumber: "2" }, "InvalidParameter", /PageNumber/],
      [{ SortBy: "Name" }, "InvalidParameter", /SortBy/],
      [{ SortOrder: "down" }, "InvalidParameter", /SortOrder/],
      [{ Filter: { Statuses: ["Sleeping"] } }, "InvalidParameter", /Filter\.Statuses\[0\]/],
      [{ Filter: { Tag: "x" } }, "InvalidParameter", /Filter\.Tag/],
      [{ TagFilters: [{ Values: ["x"] }] }, "MissingParameter", /TagFilters\[0\]\.Key/],
    ];
    for (const [body, code, message] of cases) {
      const answer = await ark.call("ListEndpoints", body);
      assert.is(errorCode(answer), code, JSON.stringify(body));
      assert.match(answer.ResponseMetadata.Error?.Message ?? "", message);
    }
  } finally {
    await emulator.close();
  }
});

test.run();
