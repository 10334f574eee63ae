// `ark-sync doctor`'s checks of ListEndpoints (docs/ark-api.md, Assumptions 1 and 2): without
// ProjectName Ark lists project `default` only, with it that project only, and `SortBy: CreateTime`,
// `SortOrder: Asc` gives the oldest first. Each list is the first page, 100 endpoints.
import type { DoctorCheck } from "../../core/doctor-report.js";
import { type Answer, describeFailure, objectOf } from "./answer.js";
import { type CheckSpec, row } from "./check-rows.js";

export interface ListAnswers {
  withoutProject: Answer;
  byProject: { project: string; answer: Answer }[];
}

/** A list item as the checks read it. */
export interface ListedEndpoint {
  id: string;
  /** `""` reads as `default`, as ark-sync reads it. */
  project: string;
  createTime: unknown;
  item: Record<string, unknown>;
}

export function listedEndpoints(answer: Answer): ListedEndpoint[] {
  if (!answer.ok) return [];
  const items = Array.isArray(answer.value.Items) ? answer.value.Items : [];
  return items.flatMap((value) => {
    const item = objectOf(value);
    if (typeof item?.Id !== "string") return [];
    const project =
      typeof item.ProjectName === "string" && item.ProjectName !== "" ? item.ProjectName : "default";
    return [{ id: item.Id, project, createTime: item.CreateTime, item }];
  });
}

function totalOf(answer: Answer): unknown {
  return answer.ok ? answer.value.TotalCount : undefined;
}

export const listChecks = {
  list_without_project: {
    check: "ListEndpoints without ProjectName",
    does: "names the project in every list: plan and refresh list each project the manifests and state name, and default",
  },
  list_with_project: {
    check: "ListEndpoints with ProjectName",
    does: "lists each project the manifests and state name, 100 endpoints a page",
  },
  list_order: {
    check: "ListEndpoints order",
    does: "asks for SortBy CreateTime, SortOrder Asc and reads the pages oldest first, so an endpoint created meanwhile lands after them",
  },
} satisfies Record<string, CheckSpec>;

const listsNeeded = "plan, apply and refresh list endpoints: these credentials cannot run them";

export function judgeLists(lists: ListAnswers): DoctorCheck[] {
  return [judgeWithoutProject(lists), judgeWithProject(lists), judgeOrder(lists)];
}

function judgeWithoutProject({ withoutProject, byProject }: ListAnswers): DoctorCheck {
  const id = "list_without_project";
  if (!withoutProject.ok) {
    return row(listChecks, id, "fail", describeFailure(withoutProject.error), listsNeeded);
  }
  const unnamed = listedEndpoints(withoutProject);
  const foreign = unnamed.filter((endpoint) => endpoint.project !== "default");
  const contradicted =
    "never lists without ProjectName, so plans are unaffected; but 82379/1262430 (docs/ark-api.md, assumption 1) says otherwise: report it";
  if (foreign.length > 0) {
    const names = foreign.map((endpoint) => `${endpoint.id} (${endpoint.project})`);
    return row(
      listChecks,
      id,
      "fail",
      `lists endpoints of other projects: ${names.join(", ")}`,
      contradicted,
    );
  }
  const inDefault = byProject.find(({ project }) => project === "default")?.answer;
  if (inDefault === undefined || !inDefault.ok) {
    return row(listChecks, id, "pass", `lists ${unnamed.length} endpoints, all of project default`);
  }
  const defaultIds = listedEndpoints(inDefault).map((endpoint) => endpoint.id);
  const same =
    totalOf(withoutProject) === totalOf(inDefault) &&
    unnamed.length === defaultIds.length &&
    unnamed.every((endpoint, i) => endpoint.id === defaultIds[i]);
  if (!same) {
    const answer = `lists ${shownTotal(withoutProject)} endpoints; ProjectName "default" lists ${shownTotal(inDefault)}`;
    return row(listChecks, id, "fail", answer, contradicted);
  }
  return row(
    listChecks,
    id,
    "pass",
    `the same ${shownTotal(withoutProject)} endpoints as ProjectName "default"`,
  );
}

function shownTotal(answer: Answer): string {
  const total = totalOf(answer);
  return typeof total === "number" ? String(total) : `${listedEndpoints(answer).length} (no TotalCount)`;
}

function judgeWithProject({ byProject }: ListAnswers): DoctorCheck {
  const id = "list_with_project";
  const failed = byProject.find(({ answer }) => !answer.ok);
  if (failed && !failed.answer.ok) {
    const answer = `ProjectName "${failed.project}": ${describeFailure(failed.answer.error)}`;
    return row(listChecks, id, "fail", answer, listsNeeded);
  }
  for (const { project, answer } of byProject) {
    const stray = listedEndpoints(answer).find((endpoint) => endpoint.project !== project);
    if (stray) {
      return row(
        listChecks,
        id,
        "fail",
        `ProjectName "${project}" listed ${stray.id} of project ${stray.project}`,
        "reads each list item's ProjectName as its project, so the plan stays right; but 82379/1262430 says the filter holds: report it",
      );
    }
  }
  const counts = byProject.map(({ project, answer }) => `${project}: ${shownTotal(answer)}`);
  return row(listChecks, id, "pass", `each lists its own project (${counts.join(", ")})`);
}

function judgeOrder({ withoutProject, byProject }: ListAnswers): DoctorCheck {
  const id = "list_order";
  const lists = [withoutProject, ...byProject.map(({ answer }) => answer)].map(listedEndpoints);
  if (lists.every((list) => list.length < 2)) {
    return row(listChecks, id, "skip", "fewer than two endpoints in every list");
  }
  for (const list of lists) {
    for (const [i, endpoint] of list.entries()) {
      const time = Date.parse(String(endpoint.createTime));
      if (Number.isNaN(time)) {
        return row(
          listChecks,
          id,
          "fail",
          `${endpoint.id} has CreateTime ${JSON.stringify(endpoint.createTime)}`,
        );
      }
      const next = list[i + 1];
      if (next && Date.parse(String(next.createTime)) < time) {
        const answer = `${endpoint.id} (${String(endpoint.createTime)}) is listed before ${next.id} (${String(next.createTime)})`;
        return row(listChecks, id, "fail", answer);
      }
    }
  }
  return row(listChecks, id, "pass", "accepted; CreateTime ascending in every list");
}
