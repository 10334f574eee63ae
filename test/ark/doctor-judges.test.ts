// The judgements of `ark-sync doctor` on answers the emulator never gives, table-driven: each answer
// that contradicts an assumption of docs/ark-api.md fails its row, and only that row.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Answer } from "../../src/ark/doctor/answer.js";
import { judgeConnection } from "../../src/ark/doctor/judge-connection.js";
import { judgeDryRun } from "../../src/ark/doctor/judge-dry-run.js";
import { type EndpointAnswers, judgeEndpoint } from "../../src/ark/doctor/judge-endpoint.js";
import { judgeLists } from "../../src/ark/doctor/judge-lists.js";
import { ArkApiError, type ArkErrorCategory } from "../../src/ark/errors.js";
import type { DoctorCheck } from "../../src/core/doctor-report.js";
import { ArkSyncError } from "../../src/core/errors.js";

const ok = (value: Record<string, unknown>): Answer => ({ ok: true, value });
const refused = (category: ArkErrorCategory, code: string | undefined, httpStatus?: number): Answer => ({
  ok: false,
  error: new ArkApiError({
    category,
    action: "ListEndpoints",
    arkCode: code,
    arkMessage: "refused",
    requestId: "req-1",
    httpStatus,
  }),
});
const item = (id: string, project: string, createTime = "2026-03-01T00:00:00Z") => ({
  Id: id,
  ProjectName: project,
  CreateTime: createTime,
});
const list = (...items: Record<string, unknown>[]) => ok({ TotalCount: items.length, Items: items });
const endpoint = (extra: Record<string, unknown> = {}) =>
  ok({
    Id: "ep-1",
    SupportRolling: true,
    RollingId: "",
    Moderation: { Strategy: "Default" },
    RateLimit: { Rpm: 1 },
    ModelUnitId: "",
    ScaleTierId: "",
    ...extra,
  });
const endpointAnswers = (sample: Answer, extra: Partial<EndpointAnswers> = {}): EndpointAnswers => ({
  sample: { id: "ep-1", answer: sample },
  unknownId: { id: "ep-nope", answer: refused("not_found", "NotFound.Endpoint", 404) },
  rolling: undefined,
  listItemsHaveScaleTier: false,
  ...extra,
});

/** The rows that are not `pass`, as [id, status]. */
function notPassed(rows: DoctorCheck[]): [string, string][] {
  return rows.filter((row) => row.status !== "pass").map((row) => [row.id, row.status]);
}

const where = { region: "cn-beijing", apiUrl: "https://ark.cn-beijing.volcengineapi.com", chosen: false };

const connectionCases: [string, Answer<unknown>, [string, string][], boolean][] = [
  [
    "a network error: the host fails",
    refused("network", "ECONNREFUSED"),
    [
      ["host", "fail"],
      ["credentials", "skip"],
    ],
    false,
  ],
  [
    "not Ark's envelope: the host fails",
    refused("server", undefined, 502),
    [
      ["host", "fail"],
      ["credentials", "skip"],
    ],
    false,
  ],
  [
    "a host that does not serve ark",
    refused("invalid", "InvalidActionOrVersion", 404),
    [
      ["host", "fail"],
      ["credentials", "skip"],
    ],
    false,
  ],
  [
    "a wrong secret: the credentials fail",
    refused("auth", "SignatureDoesNotMatch", 401),
    [["credentials", "fail"]],
    false,
  ],
  ["AccessDenied: the signature was accepted", refused("auth", "AccessDenied", 403), [], true],
  [
    "an overdue account answered: the signature was accepted",
    refused("account", "AccountOverdueError", 403),
    [],
    true,
  ],
];
for (const [name, first, expected, reached] of connectionCases) {
  test(`connection: ${name}`, () => {
    const judged = judgeConnection(first, where);
    assert.equal(notPassed(judged.rows), expected);
    assert.is(judged.reached, reached);
  });
}

const listCases: [string, Parameters<typeof judgeLists>[0], [string, string][]][] = [
  [
    "without ProjectName, an endpoint of another project is listed",
    {
      withoutProject: list(item("ep-1", "default"), item("ep-2", "research")),
      byProject: [
        { project: "default", answer: list(item("ep-1", "default")) },
        { project: "research", answer: list(item("ep-2", "research")) },
      ],
    },
    [["list_without_project", "fail"]],
  ],
  [
    "without ProjectName, more than project default",
    {
      withoutProject: ok({ TotalCount: 3, Items: [item("ep-1", ""), item("ep-3", "")] }),
      byProject: [{ project: "default", answer: list(item("ep-1", "default"), item("ep-3", "default")) }],
    },
    [["list_without_project", "fail"]],
  ],
  [
    "ProjectName research lists an endpoint of default",
    {
      withoutProject: list(item("ep-1", "default")),
      byProject: [
        { project: "default", answer: list(item("ep-1", "default")) },
        { project: "research", answer: list(item("ep-1", "default")) },
      ],
    },
    [
      ["list_with_project", "fail"],
      ["list_order", "skip"],
    ],
  ],
  [
    "newest first",
    {
      withoutProject: list(item("ep-2", "default", "2026-03-02T00:00:00Z"), item("ep-1", "default")),
      byProject: [
        {
          project: "default",
          answer: list(item("ep-2", "default", "2026-03-02T00:00:00Z"), item("ep-1", "default")),
        },
      ],
    },
    [["list_order", "fail"]],
  ],
  [
    "a CreateTime that is no time",
    {
      withoutProject: list(item("ep-1", "default", "yesterday"), item("ep-2", "default")),
      byProject: [
        { project: "default", answer: list(item("ep-1", "default", "yesterday"), item("ep-2", "default")) },
      ],
    },
    [["list_order", "fail"]],
  ],
  [
    '"" reads as default, and one endpoint leaves the order unchecked',
    {
      withoutProject: list(item("ep-1", "")),
      byProject: [{ project: "default", answer: list(item("ep-1", "")) }],
    },
    [["list_order", "skip"]],
  ],
];
for (const [name, answers, expected] of listCases) {
  test(`lists: ${name}`, () => {
    assert.equal(notPassed(judgeLists(answers)), expected);
  });
}

const noSwitch: [string, string] = ["rolling_info", "skip"];
const endpointCases: [string, EndpointAnswers, [string, string][]][] = [
  ["as assumed", endpointAnswers(endpoint()), [noSwitch]],
  [
    "fields under Result.Endpoint: the shape fails, the members are not checked",
    endpointAnswers(ok({ Endpoint: { Id: "ep-1" } })),
    [
      ["get_result_flat", "fail"],
      ["support_rolling", "skip"],
      ["rolling_id", "skip"],
      ["moderation", "skip"],
      ["rate_limit", "skip"],
      ["prepaid_capacity", "skip"],
      noSwitch,
    ],
  ],
  [
    "an unknown id answered as an endpoint",
    endpointAnswers(endpoint(), { unknownId: { id: "ep-nope", answer: endpoint() } }),
    [["get_unknown_id", "fail"], noSwitch],
  ],
  [
    "an unknown id answered InvalidParameter",
    endpointAnswers(endpoint(), {
      unknownId: { id: "ep-nope", answer: refused("invalid", "InvalidParameter.Id", 400) },
    }),
    [["get_unknown_id", "fail"], noSwitch],
  ],
  [
    "SupportRolling absent: a warning",
    endpointAnswers(endpoint({ SupportRolling: undefined })),
    [["support_rolling", "warn"], noSwitch],
  ],
  [
    'SupportRolling "true"',
    endpointAnswers(endpoint({ SupportRolling: "true" })),
    [["support_rolling", "fail"], noSwitch],
  ],
  ["RollingId a number", endpointAnswers(endpoint({ RollingId: 7 })), [["rolling_id", "fail"], noSwitch]],
  [
    "Moderation absent: a warning",
    endpointAnswers(endpoint({ Moderation: undefined })),
    [["moderation", "warn"], noSwitch],
  ],
  [
    "Moderation Skip",
    endpointAnswers(endpoint({ Moderation: { Strategy: "Skip" } })),
    [["moderation", "fail"], noSwitch],
  ],
  [
    "a RateLimit member that is text",
    endpointAnswers(endpoint({ RateLimit: { Rpm: 1, Ipm: "5" } })),
    [["rate_limit", "fail"], noSwitch],
  ],
  [
    "ScaleTierId a number",
    endpointAnswers(endpoint({ ScaleTierId: 3 })),
    [["prepaid_capacity", "fail"], noSwitch],
  ],
  [
    "a switch whose models Ark does not name",
    endpointAnswers(endpoint(), {
      rolling: {
        id: "eprol-1",
        endpointId: "ep-1",
        answer: ok({ RollingInfo: { Id: "eprol-1", Status: "Running" } }),
      },
    }),
    [["rolling_info", "fail"]],
  ],
];
for (const [name, answers, expected] of endpointCases) {
  test(`GetEndpoint: ${name}`, () => {
    assert.equal(notPassed(judgeEndpoint(answers)), expected);
  });
}

test("DryRun: a success means Ark ignored DryRun and may have acted", () => {
  const rows = judgeDryRun({
    subject: "default/chat",
    answer: {
      ok: false,
      error: new ArkSyncError("external", "ark_bad_answer", "Ark answered a DryRun with success"),
    },
  });
  assert.equal(notPassed(rows), [
    ["dry_run", "fail"],
    ["dry_run_permission", "skip"],
  ]);
  assert.match(rows[0]?.ark_sync_does ?? "", "--no-ark-dry-run");
});

test("DryRun: a refusal of the request fails the check, and the permission was there", () => {
  const error = (refused("invalid", "InvalidParameter.Tags", 400) as { error: unknown }).error as Error;
  const rows = judgeDryRun({ subject: "default/chat", answer: { ok: true, value: { ok: false, error } } });
  assert.equal(notPassed(rows), [["dry_run", "fail"]]);
  assert.match(rows[0]?.answer ?? "", "InvalidParameter.Tags");
  assert.match(rows[0]?.ark_sync_does ?? "", "ark_dry_run_refused");
});

test.run();
