import { test } from "uvu";
import * as assert from "uvu/assert";
import type { StateDocument, StateResource } from "../../src/core/types.js";
import { createWriteQueue } from "../../src/state/write-queue.js";
import { resource } from "./helpers.js";

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

test("writes made while one is persisted are merged into one, and every caller resolves", async () => {
  const persisted: string[][] = [];
  const gates = [deferred(), deferred()];
  let serial = 0;
  const queue = createWriteQueue(async (resources) => {
    persisted.push(Object.keys(resources));
    await gates[persisted.length - 1]?.promise;
    serial++;
    return { version: 1, lineage: "l", serial, resources } as StateDocument;
  });
  const resources: Record<string, StateResource> = { "default/a": resource("ep-a") };
  const first = queue.write(resources);
  resources["default/b"] = resource("ep-b");
  const second = queue.write(resources);
  resources["default/c"] = resource("ep-c");
  const third = queue.write(resources);
  resources["default/d"] = resource("ep-d"); // after the last call: must not be persisted
  await Promise.resolve();
  assert.equal(persisted, [["default/a"]], "the first write is in flight");
  gates[0]?.resolve();
  gates[1]?.resolve();
  const [one, two, three] = await Promise.all([first, second, third]);
  assert.equal(persisted, [["default/a"], ["default/a", "default/b", "default/c"]]);
  assert.is(one?.serial, 1);
  assert.is(two?.serial, 2);
  assert.is(three, two, "merged callers share the persisted document");
  await queue.idle();
});

test("a failed persist rejects its callers only; the next write goes ahead", async () => {
  let calls = 0;
  const queue = createWriteQueue(async (resources) => {
    calls++;
    if (calls === 1) throw new Error("disk full");
    return { version: 1, lineage: "l", serial: calls, resources } as StateDocument;
  });
  const failed = queue.write({});
  await failed.then(
    () => assert.unreachable("should reject"),
    (error: Error) => assert.is(error.message, "disk full"),
  );
  assert.is((await queue.write({})).serial, 2);
});

test("a sync record given to a write that is merged with later ones is persisted with them", async () => {
  const persisted: Array<string | undefined> = [];
  const gate = deferred();
  const queue = createWriteQueue(async (resources, sync) => {
    persisted.push(sync?.history[0]?.line);
    if (persisted.length === 1) await gate.promise;
    return { version: 1, lineage: "l", serial: persisted.length, resources } as StateDocument;
  });
  const record = { notified: {}, history: [{ at: "2026-12-07T00:00:00.000Z", line: "prune: default/a" }] };
  const first = queue.write({});
  const second = queue.write({}, record);
  const third = queue.write({});
  gate.resolve();
  await Promise.all([first, second, third]);
  assert.equal(persisted, [undefined, "prune: default/a"]);
});

test.run();
