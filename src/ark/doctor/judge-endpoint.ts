// `ark-sync doctor`'s checks of GetEndpoint and GetEndpointRolling answers (docs/ark-api.md, Response
// fields; Assumptions 6, 7, 18, 20 and 22): the result sits directly under Result, an unknown id is
// NotFound, and the members ark-sync reads have the shapes it reads them with.
import type { DoctorCheck } from "../../core/doctor-report.js";
import { isArkApiError } from "../errors.js";
import { type Answer, describeFailure, objectOf, shown } from "./answer.js";
import { type CheckSpec, row, skipped } from "./check-rows.js";

export interface EndpointAnswers {
  /** GetEndpoint of an endpoint the lists returned; undefined when they returned none. */
  sample: { id: string; answer: Answer } | undefined;
  /** GetEndpoint of an id no endpoint has. */
  unknownId: { id: string; answer: Answer };
  /** GetEndpointRolling of a switch in progress; undefined when no endpoint listed has one. */
  rolling: { id: string; endpointId: string; answer: Answer } | undefined;
  /** Whether any list item carried ScaleTierId. */
  listItemsHaveScaleTier: boolean;
}

export const endpointChecks = {
  get_result_flat: { check: "GetEndpoint result shape", does: "reads every field directly under Result" },
  get_unknown_id: {
    check: "GetEndpoint of an unknown id",
    does: "takes NotFound for gone: an endpoint in state but not on Ark is planned as deleted outside ark-sync, and a destroy of it counts as done",
  },
} satisfies Record<string, CheckSpec>;

/** The members of one GetEndpoint result whose shape ark-sync relies on. */
export const memberChecks = {
  support_rolling: {
    check: "SupportRolling",
    does: "switches a foundation model in place (Ark's rolling switch) where it is true, else replaces the endpoint",
  },
  rolling_id: {
    check: "RollingId",
    does: "holds every change to an endpoint whose RollingId is set until that switch ends",
  },
  moderation: {
    check: "Moderation",
    does: "reads it as moderation.strategy and changes it in place (UpdateEndpoint)",
  },
  rate_limit: {
    check: "RateLimit members",
    does: "manages Rpm and Tpm (0 reads as unset) and sends every other numeric member back as it read it when it updates rate_limit",
  },
  prepaid_capacity: {
    check: "ModelUnitId and ScaleTierId",
    does: "a plan that destroys or replaces an endpoint holding either reads it with GetEndpoint and warns (docs/ark-api.md, Prepaid capacity)",
  },
} satisfies Record<string, CheckSpec>;

export const rollingChecks = {
  rolling_info: {
    check: "GetEndpointRolling models",
    does: "after a lost CreateEndpointRolling answer, adopts a switch only when RollingIn is the model asked for and RollingOut is not",
  },
} satisfies Record<string, CheckSpec>;

const getNeeded =
  "apply reads every endpoint it writes, and import the one it adopts: these credentials cannot run them";

export function judgeEndpoint(answers: EndpointAnswers): DoctorCheck[] {
  const result = sampleResult(answers.sample);
  return [
    judgeFlat(answers.sample, result),
    judgeUnknownId(answers.unknownId),
    ...(result.kind === "flat"
      ? judgeMembers(result.endpoint, answers.listItemsHaveScaleTier)
      : skipped(memberChecks, result.kind === "none" ? result.why : "not checked: the result is not flat")),
    judgeRollingInfo(answers.rolling),
  ];
}

type SampleResult =
  | { kind: "flat"; endpoint: Record<string, unknown> }
  | { kind: "nested" }
  | { kind: "none"; why: string };

function sampleResult(sample: EndpointAnswers["sample"]): SampleResult {
  if (sample === undefined) return { kind: "none", why: "no endpoint in the projects listed" };
  if (!sample.answer.ok) return { kind: "none", why: "not checked: GetEndpoint failed" };
  const result = sample.answer.value;
  return result.Id === sample.id ? { kind: "flat", endpoint: result } : { kind: "nested" };
}

function judgeFlat(sample: EndpointAnswers["sample"], result: SampleResult): DoctorCheck {
  const id = "get_result_flat";
  if (sample === undefined) return row(endpointChecks, id, "skip", "no endpoint in the projects listed");
  if (!sample.answer.ok) {
    return row(
      endpointChecks,
      id,
      "fail",
      `${sample.id}: ${describeFailure(sample.answer.error)}`,
      getNeeded,
    );
  }
  if (result.kind === "flat")
    return row(endpointChecks, id, "pass", `${sample.id}: fields directly under Result`);
  const nested = objectOf(sample.answer.value.Endpoint)?.Id === sample.id;
  const answer = nested
    ? "fields under Result.Endpoint (as BytePlus's sample)"
    : `no Id ${JSON.stringify(sample.id)} under Result`;
  return row(
    endpointChecks,
    id,
    "fail",
    `${sample.id}: ${answer}`,
    "reads every field directly under Result: it would take this answer for an endpoint without an Id, and fail",
  );
}

function judgeUnknownId({ id: endpointId, answer }: EndpointAnswers["unknownId"]): DoctorCheck {
  const id = "get_unknown_id";
  const { does } = endpointChecks[id];
  if (answer.ok) {
    const wrong = `${does}; it would take a made-up id for a live endpoint`;
    return row(endpointChecks, id, "fail", `${endpointId} answered as if it existed`, wrong);
  }
  const error = answer.error;
  if (isArkApiError(error) && error.category === "not_found") {
    return row(endpointChecks, id, "pass", `${error.arkCode ?? "no code"} (HTTP ${error.httpStatus ?? "?"})`);
  }
  const wrong = `${does}; this answer would fail those commands instead`;
  return row(endpointChecks, id, "fail", describeFailure(error), wrong);
}

function judgeMembers(endpoint: Record<string, unknown>, listItemsHaveScaleTier: boolean): DoctorCheck[] {
  return [
    judgeSupportRolling(endpoint.SupportRolling),
    judgeRollingId(endpoint.RollingId),
    judgeModeration(endpoint.Moderation),
    judgeRateLimit(endpoint.RateLimit),
    judgePrepaid(endpoint, listItemsHaveScaleTier),
  ];
}

function judgeSupportRolling(value: unknown): DoctorCheck {
  const id = "support_rolling";
  if (typeof value === "boolean") return row(memberChecks, id, "pass", String(value));
  if (value === undefined) {
    const unknown =
      "plans every model change as a replacement (support_rolling unknown) unless the manifest says lifecycle.model_switch: rolling";
    return row(memberChecks, id, "warn", "absent", unknown);
  }
  const wrong = "reads anything but a boolean as unknown: every model change is planned as a replacement";
  return row(memberChecks, id, "fail", `${shown(value)}, not a boolean`, wrong);
}

function judgeRollingId(value: unknown): DoctorCheck {
  const id = "rolling_id";
  if (value === undefined) return row(memberChecks, id, "pass", "absent (no switch)");
  if (typeof value === "string") {
    return row(memberChecks, id, "pass", value === "" ? '"" (no switch)' : `${value} (a switch in progress)`);
  }
  const wrong = "reads anything but a string as no switch: it could change an endpoint that is switching";
  return row(memberChecks, id, "fail", `${shown(value)}, not a string`, wrong);
}

function judgeModeration(value: unknown): DoctorCheck {
  const id = "moderation";
  const strategy = objectOf(value)?.Strategy;
  if (strategy === "Default" || strategy === "Basic")
    return row(memberChecks, id, "pass", `Strategy ${strategy}`);
  if (strategy === undefined) {
    const answer = value === undefined ? "absent" : `${shown(value)}, no Strategy`;
    const unset = "reads moderation as unset: a manifest that sets it plans an update on every run";
    return row(memberChecks, id, "warn", answer, unset);
  }
  const wrong =
    "manifests say only Default or Basic (Go SDK, CC schema): the plan shows this value and replaces it with the manifest's";
  return row(memberChecks, id, "fail", `Strategy ${shown(strategy)}, not Default or Basic`, wrong);
}

function judgeRateLimit(value: unknown): DoctorCheck {
  const id = "rate_limit";
  if (value === undefined) return row(memberChecks, id, "pass", "absent (no limit)");
  const members = objectOf(value);
  if (members === undefined) {
    const wrong = "reads no limit from it: a manifest's rate_limit plans an update on every run";
    return row(memberChecks, id, "fail", `${shown(value)}, not an object`, wrong);
  }
  const bad = Object.entries(members).find(([, member]) => typeof member !== "number");
  if (bad) {
    const wrong = `an update of rate_limit sends back the numeric members only: it would drop ${bad[0]}`;
    return row(memberChecks, id, "fail", `${bad[0]} is ${shown(bad[1])}, not a number`, wrong);
  }
  const listed = Object.entries(members).map(([name, member]) => `${name} ${String(member)}`);
  return row(memberChecks, id, "pass", listed.length === 0 ? "{} (no limit)" : listed.join(", "));
}

function judgePrepaid(endpoint: Record<string, unknown>, listItemsHaveScaleTier: boolean): DoctorCheck {
  const id = "prepaid_capacity";
  const fields = ["ModelUnitId", "ScaleTierId"] as const;
  const bad = fields.find((field) => endpoint[field] !== undefined && typeof endpoint[field] !== "string");
  if (bad) {
    const wrong =
      "reads anything but a string as no prepaid capacity: a destroy of this endpoint would not warn";
    return row(memberChecks, id, "fail", `${bad} is ${shown(endpoint[bad])}, not a string`, wrong);
  }
  const values = fields.map((field) => `${field} ${shown(endpoint[field])}`).join(", ");
  const list = listItemsHaveScaleTier
    ? "list items carry ScaleTierId too"
    : "list items carry no ScaleTierId";
  return row(memberChecks, id, "pass", `${values}; ${list}`);
}

function judgeRollingInfo(rolling: EndpointAnswers["rolling"]): DoctorCheck {
  const id = "rolling_info";
  if (rolling === undefined)
    return row(rollingChecks, id, "skip", "no endpoint listed is switching its model");
  if (!rolling.answer.ok) {
    const answer = `${rolling.id}: ${describeFailure(rolling.answer.error)}`;
    const cannot =
      "apply follows every model switch it starts with GetEndpointRolling: these credentials cannot";
    return row(rollingChecks, id, "fail", answer, cannot);
  }
  const info = objectOf(rolling.answer.value.RollingInfo);
  const [into, from] = [modelOf(info?.RollingIn), modelOf(info?.RollingOut)];
  const where = `${rolling.id} of ${rolling.endpointId}`;
  const progress = `Status ${shown(info?.Status)}, RollingGray ${shown(info?.RollingGray)}`;
  if (into === undefined || from === undefined) {
    const missing = [into === undefined ? "no RollingIn" : "", from === undefined ? "no RollingOut" : ""];
    return row(
      rollingChecks,
      id,
      "fail",
      `${where}: ${missing.filter(Boolean).join(", ")} (${progress})`,
      "never takes a switch it cannot place for its own: after a lost CreateEndpointRolling answer the outcome is reported unknown and the switch left running",
    );
  }
  return row(rollingChecks, id, "pass", `${where}: RollingOut ${from}, RollingIn ${into} (${progress})`);
}

/** `name version` of a foundation model as GetEndpointRolling names one, or undefined. */
function modelOf(value: unknown): string | undefined {
  const model = objectOf(value);
  return typeof model?.Name === "string" && typeof model.ModelVersion === "string"
    ? `${model.Name} ${model.ModelVersion}`
    : undefined;
}
