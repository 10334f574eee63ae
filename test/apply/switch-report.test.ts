// What apply records and says after a model switch, one row per way a switch can end: the model the
// state records is what GetEndpoint showed once no switch held the endpoint, else the old one; the
// error's code decides failed or unknown; the words name where the switch stood.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { SwitchResult } from "../../src/apply/model-switch.js";
import { reportSwitch } from "../../src/apply/switch-report.js";
import type { ModelSwitchInfo } from "../../src/ark/client.js";
import type { LiveEndpoint, ModelReference } from "../../src/core/types.js";

const v1 = { name: "doubao-1-5-pro-32k", model_version: "250115" };
const v2 = { name: "doubao-1-5-pro-32k", model_version: "250415" };
const v3 = { name: "doubao-1-5-pro-32k", model_version: "250328" };
const context = { endpointId: "ep-1", target: v2, from: { foundation_model: v1 }, stallTimeoutMs: 60_000 };

function endpoint(model: typeof v1, rollingId?: string): LiveEndpoint {
  return {
    endpoint_id: "ep-1",
    status: "Running",
    attributes: { name: "chat", project_name: "default", model_reference: { foundation_model: model } },
    ...(rollingId ? { rolling_id: rollingId } : {}),
  };
}

function info(status: string, percent: number, to?: typeof v1): ModelSwitchInfo {
  return { id: "eprol-1", endpoint_id: "ep-1", status, percent, ...(to ? { to, from: v1 } : {}) };
}

interface Row {
  name: string;
  result: SwitchResult;
  model: ModelReference;
  changed: boolean;
  code: string | null;
  says: string[];
}

const seenAt40 = { endpoint: endpoint(v1, "eprol-1"), info: info("Failed", 40, v2) };
const rows: Row[] = [
  {
    name: "switched: the model GetEndpoint shows",
    result: { kind: "switched", rollingId: "eprol-1", sent: true, endpoint: endpoint(v2) },
    model: { foundation_model: v2 },
    changed: true,
    code: null,
    says: ["switched the model of ep-1 to doubao-1-5-pro-32k 250415 in place (eprol-1)"],
  },
  {
    name: "already served before anything was sent: nothing changed",
    result: { kind: "switched", rollingId: null, sent: false, endpoint: endpoint(v2) },
    model: { foundation_model: v2 },
    changed: false,
    code: null,
    says: ["ep-1 already served doubao-1-5-pro-32k 250415: no model switch was sent"],
  },
  {
    name: "someone else's switch seen before anything was sent",
    result: { kind: "foreign", rollingId: "eprol-9", info: info("Running", 20, v3), lostAnswer: false },
    model: { foundation_model: v1 },
    changed: false,
    code: "model_switch_foreign",
    says: [
      "ep-1 is switching its model in a switch ark-sync did not start: eprol-9 to doubao-1-5-pro-32k 250328",
    ],
  },
  {
    name: "after a lost answer, a switch Ark does not describe: unknown, it may be ours",
    result: { kind: "foreign", rollingId: "eprol-1", info: info("Running", 20), lostAnswer: true },
    model: { foundation_model: v1 },
    changed: false,
    code: "model_switch_unknown",
    says: ["(Ark does not say to which model), Running at 20%", "may be the one ark-sync asked for"],
  },
  {
    name: "the switch could not be read",
    result: { kind: "unknown", rollingId: "eprol-1", reason: "reading it failed: boom", seen: seenAt40 },
    model: { foundation_model: v1 },
    changed: false,
    code: "model_switch_unknown",
    says: [
      "may still be running: reading it failed: boom (last seen Failed at 40%)",
      'GetEndpointRolling {"Id":"eprol-1"}',
    ],
  },
  {
    name: "cancelled and back on the old model",
    result: {
      kind: "failed",
      rollingId: "eprol-1",
      reason: "the switch is Failed at 40%",
      undo: { kind: "sent", action: "cancel" },
      end: { kind: "ended", endpoint: endpoint(v1) },
    },
    model: { foundation_model: v1 },
    changed: false,
    code: "model_switch_failed",
    says: ["was cancelled; doubao-1-5-pro-32k 250115 is live and recorded in state"],
  },
  {
    name: "cancel refused because the switch had completed: the new model is recorded",
    result: {
      kind: "failed",
      rollingId: "eprol-1",
      reason: "ep-1 is Abnormal",
      undo: { kind: "refused", action: "cancel", error: "already ended (Completed)" },
      end: { kind: "ended", endpoint: endpoint(v2) },
    },
    model: { foundation_model: v2 },
    changed: true,
    code: "model_switch_failed",
    says: ["could not be cancelled: already ended (Completed); doubao-1-5-pro-32k 250415 is live"],
  },
  {
    name: "Ark taking it back, stopped part-way: where it stands, the old model kept",
    result: {
      kind: "failed",
      rollingId: "eprol-1",
      reason: "the switch is Reverting at 4%",
      undo: { kind: "ark", status: "Reverting" },
      end: { kind: "stopped", seen: { endpoint: endpoint(v1, "eprol-1"), info: info("Reverting", 2, v2) } },
    },
    model: { foundation_model: v1 },
    changed: true,
    code: "model_switch_failed",
    says: [
      "was being taken back by Ark already (Reverting); it did not end: after standing still for 1m0s, eprol-1 is Reverting with 2% of traffic on doubao-1-5-pro-32k 250415 and 98% on doubao-1-5-pro-32k 250115",
      'CancelEndpointRolling {"Id":"eprol-1"}',
    ],
  },
  {
    name: "undone, then unreadable: it may still be running",
    result: {
      kind: "failed",
      rollingId: "eprol-1",
      reason: "no progress",
      undo: { kind: "acted", action: "rollback", error: "socket hang up" },
      end: { kind: "unread", reason: "boom", seen: seenAt40 },
    },
    model: { foundation_model: v1 },
    changed: false,
    code: "model_switch_failed",
    says: [
      "was rolled back: RollbackEndpointRolling failed (socket hang up), but read back, Ark was taking the switch back",
      "where it stands is unknown (reading it failed: boom), and it may still be running",
    ],
  },
  {
    name: "interrupted: sent, not waited for",
    result: {
      kind: "failed",
      rollingId: "eprol-1",
      reason: "interrupted",
      undo: { kind: "over" },
      end: { kind: "not_waited" },
    },
    model: { foundation_model: v1 },
    changed: false,
    code: "interrupted",
    says: ["had already ended on Ark when apply was interrupted, and was not waited for"],
  },
];

for (const row of rows) {
  test(row.name, () => {
    const report = reportSwitch(row.result, context);
    assert.equal(report.model, row.model);
    assert.is(report.changed, row.changed);
    assert.is(report.error?.code ?? null, row.code);
    const words = [report.error?.message, report.error?.hint, ...report.done, ...report.notes].join("\n");
    for (const phrase of row.says) assert.ok(words.includes(phrase), `${phrase}\n  not in:\n${words}`);
  });
}

test.run();
