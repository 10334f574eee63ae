// Which projects a run lists, once each and sorted (docs/design.md §4): a plan every project the
// manifests and the state name, and `default`; a saved plan's live check the projects of its changes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { projectOfAddress, projectsOfChanges, projectsToRead } from "../../src/core/projects.js";
import type { DesiredEndpoint, ResourceChange, StateDocument } from "../../src/core/types.js";
import { applied, attrs, desired, state } from "./builders.js";

const moved = (endpoint: DesiredEndpoint, from: string): DesiredEndpoint => ({
  ...endpoint,
  moved_from: from,
});

const readCases: {
  name: string;
  desired: DesiredEndpoint[];
  state: StateDocument | null;
  expect: string[];
}[] = [
  { name: "nothing named: default alone", desired: [], state: null, expect: ["default"] },
  {
    name: "manifests' project_name, and the project a moved_from address names",
    desired: [
      desired(attrs({ project_name: "research" })),
      moved(desired(attrs({ name: "b", project_name: "team-a" })), "team-b/b"),
    ],
    state: null,
    expect: ["default", "research", "team-a", "team-b"],
  },
  {
    name: "state: the project of each address and of each last-applied record",
    desired: [],
    state: state({
      "eval/imported": applied("ep-1", null),
      "ops/chat": applied("ep-2", attrs({ project_name: "ops-old" })),
    }),
    expect: ["default", "eval", "ops", "ops-old"],
  },
  {
    name: "each project once, in order",
    desired: [desired(attrs({ project_name: "z" })), desired(attrs({ name: "y", project_name: "z" }))],
    state: state({ "z/chat": applied("ep-1", attrs({ project_name: "z" })) }),
    expect: ["default", "z"],
  },
];

for (const { name, desired: endpoints, state: document, expect } of readCases) {
  test(`projectsToRead: ${name}`, () => {
    assert.equal(projectsToRead(endpoints, document), expect);
  });
}

test("projectsOfChanges: addresses, previous addresses, before and after", () => {
  const change = (address: string, extra: Partial<ResourceChange>): ResourceChange => ({
    address,
    endpoint_id: "ep-1",
    action_reason: null,
    change: {
      actions: ["no-op"],
      before: null,
      after: null,
      after_unknown: {},
      replace_paths: [],
      patch: [],
    },
    lifecycle: {},
    ...extra,
  });
  const replaced = change("research/chat", { previous_address: "old/chat" });
  replaced.change.before = attrs({ project_name: "before" });
  replaced.change.after = attrs({ project_name: "research" });
  assert.equal(projectsOfChanges([replaced, change("eval/x", {})]), ["before", "eval", "old", "research"]);
  assert.equal(projectsOfChanges([]), []);
});

test("projectOfAddress: the part before the first /", () => {
  assert.is(projectOfAddress("research/chat"), "research");
  assert.is(projectOfAddress("default/a/b"), "default");
});

test.run();
