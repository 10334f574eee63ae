// Shared by the apply-as-a-process suites (process-*.test.ts): the emulator runs in the test
// process, so it outlives the CLI process under test.
import * as assert from "uvu/assert";
import type { Emulator } from "../../src/emulator/start-emulator.js";
import {
  type CloudContext,
  countByOwner,
  endpointYaml,
  makeWorkspace,
  nextPlan,
  startCloud,
  type Workspace,
} from "./helpers.js";

export interface ProcessContext extends CloudContext {
  /** Requests the emulator has finished (answered or dropped). */
  finished: number;
}

/** Starts the emulator, counting finished requests, and writes one manifest per name. */
export async function setUp(
  context: ProcessContext,
  options: Parameters<typeof startCloud>[0],
  names: string[],
): Promise<void> {
  context.finished = 0;
  context.cloud = await startCloud({
    ...options,
    onCall: () => {
      context.finished += 1;
    },
  });
  context.ws = await makeWorkspace();
  for (const name of names)
    await context.ws.write(`${name}.yaml`, endpointYaml(name, { tags: { env: "test" } }));
}

export const names = (count: number) =>
  Array.from({ length: count }, (_, i) => `ep-${String(i).padStart(2, "0")}`);

// Apply's DryRun checks before the first write are not the subject here (apply/dry-run.test.ts is):
// at the slow paces these tests set, a round of them would add seconds to every run.
export const apply = (cloud: Emulator, ...extra: string[]) => [
  "apply",
  "manifests",
  "--api-url",
  cloud.url,
  "--no-ark-dry-run",
  ...extra,
];

/** Resolves once the emulator has finished every request it received (a killed client's included). */
export async function untilIdle(context: ProcessContext): Promise<void> {
  while (context.cloud.stats().requests > context.finished)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Every endpoint is ours exactly once, and state plus adoption by the next plan account for all of them. */
export async function assertConsistent(cloud: Emulator, ws: Workspace): Promise<void> {
  for (const [owner, count] of countByOwner(cloud)) assert.is(count, 1, `${owner} has ${count} endpoints`);
  const state = await ws.state();
  const recorded = new Set(Object.values(state?.resources ?? {}).map((resource) => resource.endpoint_id));
  for (const id of recorded) assert.ok(cloud.getEndpoint(id), `state names ${id}, which does not exist`);
  const { plan } = await nextPlan(cloud, ws.manifests);
  const adopted = new Set(
    plan.resource_changes
      .filter((change) => change.action_reason === "adopted_by_ownership_tag")
      .map((change) => change.endpoint_id),
  );
  for (const endpoint of cloud.listEndpoints()) {
    assert.ok(
      recorded.has(endpoint.Id) || adopted.has(endpoint.Id),
      `${endpoint.Id} is neither in state nor adopted`,
    );
  }
}
