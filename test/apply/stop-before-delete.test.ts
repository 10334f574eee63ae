// Ark may refuse to delete a Running endpoint (OperationDenied.EndpointStatus, docs/ark-api.md): apply
// then stops it, waits until it is Stopped and deletes it again, for plain destroys and for both kinds
// of replacement. The emulator refuses by default; with the knob off nothing is ever stopped.
import { EventEmitter } from "node:events";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Emulator } from "../../src/emulator/start-emulator.js";
import {
  applyHere,
  closeCloud,
  cloudSuite,
  endpointYaml,
  makeWorkspace,
  nextPlan,
  recordIo,
  startCloud,
  type Workspace,
} from "./helpers.js";

const stopFirst = cloudSuite("stop before delete");

async function applyOk(cloud: Emulator, ws: Workspace) {
  const run = await applyHere(cloud, ws.manifests);
  if (run.code !== 0) throw new Error(`apply failed (${run.code}): ${String(run.error)}\n${run.io.stderr}`);
  return run.io;
}

async function idOf(ws: Workspace, address: string): Promise<string> {
  const id = (await ws.state())?.resources[address]?.endpoint_id;
  if (!id) throw new Error(`${address} is not in state`);
  return id;
}

const refusedLine = (address: string, id: string) =>
  `${address}: Ark refuses to delete a Running endpoint: stopping it first [id=${id}]\n`;

stopFirst(
  "a destroy stops the Running endpoint Ark refuses to delete, then deletes it",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat"));
    await ws.write("old.yaml", endpointYaml("old"));
    await applyOk(cloud, ws);
    const oldId = await idOf(ws, "default/old");
    assert.is(cloud.getEndpoint(oldId)?.Status, "Running");

    await ws.remove("old.yaml");
    cloud.resetStats();
    const io = await applyOk(cloud, ws);
    const lines = io.stderr.split(/(?<=\n)/);
    const at = (line: string | RegExp) =>
      lines.findIndex((text) => (typeof line === "string" ? text === line : line.test(text)));
    const destroying = at(`default/old: Destroying... [id=${oldId}]\n`);
    const stopping = at(refusedLine("default/old", oldId));
    const complete = at(/^default\/old: Destruction complete after \d+s\n$/);
    assert.ok(destroying >= 0 && stopping > destroying && complete > stopping, io.stderr);
    assert.match(io.stdout, "Apply complete! Resources: 0 added, 0 changed, 1 destroyed.");
    assert.is(cloud.getEndpoint(oldId), undefined);
    assert.equal(Object.keys((await ws.state())?.resources ?? {}), ["default/chat"]);
    const calls = cloud.stats().byAction;
    assert.equal([calls.DeleteEndpoint, calls.StopEndpoint], [2, 1], "refused, stopped, deleted");
    assert.match((await nextPlan(cloud, ws.manifests)).text, /^No changes\./m);
  },
);

stopFirst(
  "a StopEndpoint not-found for an endpoint GetEndpoint still finds fails the destroy and keeps it in state",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat"));
    await ws.write("old.yaml", endpointYaml("old"));
    await applyOk(cloud, ws);
    const oldId = await idOf(ws, "default/old");

    await ws.remove("old.yaml");
    // As Ark may answer a caller who may not see the endpoint (docs/ark-api.md, Confirming an absence).
    cloud.injectFault({ action: "StopEndpoint", kind: "error", code: "NotFound.Endpoint" });
    const run = await applyHere(cloud, ws.manifests);
    assert.is(run.code, 1, `${String(run.error)}\n${run.io.stderr}`);
    assert.match(
      run.io.stderr,
      `Ark answered StopEndpoint for ${oldId} with not-found, but the endpoint is there`,
    );
    assert.is(cloud.getEndpoint(oldId)?.Status, "Running");
    assert.is((await ws.state())?.resources["default/old"]?.endpoint_id, oldId, "still recorded");
    assert.match((await nextPlan(cloud, ws.manifests)).text, "default/old will be destroyed");
  },
);

stopFirst("a destroy-first replacement stops the old endpoint first, then creates", async ({ cloud, ws }) => {
  await ws.write("chat.yaml", endpointYaml("chat", { tags: { env: "prod" } }));
  await applyOk(cloud, ws);
  const oldId = await idOf(ws, "default/chat");

  await ws.write("chat.yaml", endpointYaml("chat", { tags: { env: "staging" } }));
  cloud.resetStats();
  const io = await applyOk(cloud, ws);
  const newId = await idOf(ws, "default/chat");
  assert.is.not(newId, oldId);
  const stopping = io.stderr.indexOf(refusedLine("default/chat", oldId));
  const creating = io.stderr.indexOf("default/chat: Creating...");
  assert.ok(stopping >= 0 && creating > stopping, io.stderr);
  assert.match(io.stdout, "Apply complete! Resources: 1 added, 0 changed, 1 destroyed.");
  assert.is(cloud.getEndpoint(oldId), undefined);
  assert.is(cloud.getEndpoint(newId)?.Status, "Running");
  const calls = cloud.stats().byAction;
  // Two CreateEndpoint calls: apply's DryRun of the new endpoint, then the create.
  assert.equal([calls.DeleteEndpoint, calls.StopEndpoint, calls.CreateEndpoint], [2, 1, 2]);
  assert.match((await nextPlan(cloud, ws.manifests)).text, /^No changes\./m);
});

stopFirst(
  "a create-first replacement creates, then stops and deletes the old endpoint",
  async ({ cloud, ws }) => {
    const lifecycle = { create_before_destroy: true };
    await ws.write("chat.yaml", endpointYaml("chat", { tags: { env: "prod" }, lifecycle }));
    await applyOk(cloud, ws);
    const oldId = await idOf(ws, "default/chat");

    await ws.write("chat.yaml", endpointYaml("chat", { tags: { env: "staging" }, lifecycle }));
    cloud.resetStats();
    const io = await applyOk(cloud, ws);
    const newId = await idOf(ws, "default/chat");
    const created = io.stderr.indexOf("default/chat: Creation complete");
    const stopping = io.stderr.indexOf(refusedLine("default/chat", oldId));
    assert.ok(created >= 0 && stopping > created, io.stderr);
    assert.match(io.stdout, "Apply complete! Resources: 1 added, 0 changed, 1 destroyed.");
    assert.is(cloud.getEndpoint(oldId), undefined);
    assert.is(cloud.getEndpoint(newId)?.Status, "Running");
    assert.equal(Object.keys((await ws.state())?.resources ?? {}), ["default/chat"]);
    const calls = cloud.stats().byAction;
    // Two CreateEndpoint calls: apply's DryRun of the new endpoint, then the create.
    assert.equal([calls.DeleteEndpoint, calls.StopEndpoint, calls.CreateEndpoint], [2, 1, 2]);
  },
);

stopFirst.run();

/**
 * A destroy whose stop does not take: the endpoint turns Abnormal right after StopEndpoint (Ark may take
 * long to stop one), so the wait for Stopped lasts. `onLook` hears each status look after the stop.
 */
async function stubbornDestroy(onLook: () => void = () => undefined) {
  const ws = await makeWorkspace();
  let id = "";
  let stopSent = false;
  const cloud: Emulator = await startCloud({
    onCall: (record) => {
      if (record.action === "StopEndpoint" && record.status === 200) {
        stopSent = true;
        void cloud.markAbnormal(id, "restarted by its autoscaler");
      } else if (stopSent && (record.action === "GetEndpoint" || record.action === "ListEndpoints")) {
        onLook();
      }
    },
  });
  await ws.write("chat.yaml", endpointYaml("chat"));
  await ws.write("old.yaml", endpointYaml("old"));
  await applyOk(cloud, ws);
  id = await idOf(ws, "default/old");
  await ws.remove("old.yaml");
  cloud.resetStats();
  return { cloud, ws, id };
}

const stubborn = suite("stop before delete, interrupted or too slow");

stubborn(
  "a stop that does not end Stopped within --wait-timeout fails the destroy, and says so",
  async () => {
    const { cloud, ws, id } = await stubbornDestroy();
    try {
      const run = await applyHere(cloud, ws.manifests, { waitTimeoutSeconds: 1 });
      assert.is(run.code, 1);
      assert.match(run.io.stderr, refusedLine("default/old", id));
      assert.match(
        run.io.stderr,
        `default/old: Destruction errored after 1s [id=${id}]: ${id} was still Abnormal, not Stopped after 1s`,
      );
      assert.match(
        run.io.stderr,
        `Done before that: stopped ${id} (Ark refuses to delete a Running endpoint)`,
      );
      assert.match(run.io.stderr, `Note: ${id} was stopped but not deleted; it is still recorded in state`);
      assert.equal(Object.keys((await ws.state())?.resources ?? {}).sort(), ["default/chat", "default/old"]);
      assert.equal([cloud.stats().byAction.StopEndpoint, cloud.stats().byAction.DeleteEndpoint], [1, 1]);

      // Abnormal is no status Ark refuses to delete in: the next apply deletes it without a stop.
      cloud.resetStats();
      const rerun = await applyOk(cloud, ws);
      assert.match(rerun.stdout, "0 added, 0 changed, 1 destroyed.");
      assert.equal(
        [cloud.stats().byAction.StopEndpoint, cloud.stats().byAction.DeleteEndpoint],
        [undefined, 1],
      );
      assert.equal(Object.keys((await ws.state())?.resources ?? {}), ["default/chat"]);
    } finally {
      await closeCloud({ cloud, ws });
    }
  },
);

stubborn("an interrupt while waiting for Stopped ends the destroy as interrupted, truthfully", async () => {
  const signals = new EventEmitter();
  const { cloud, ws, id } = await stubbornDestroy(() => signals.emit("SIGINT"));
  try {
    const run = await applyHere(cloud, ws.manifests, {}, { io: recordIo(), signals, exit: () => undefined });
    assert.is(run.code, 1);
    assert.match(run.io.stderr, "Interrupt received. Gracefully shutting down...");
    assert.match(run.io.stderr, `default/old: Stopped waiting (interrupted) after`);
    assert.match(run.io.stderr, `Done before that: stopped ${id} (Ark refuses to delete a Running endpoint)`);
    assert.match(run.io.stderr, `Note: ${id} was stopped but not deleted; it is still recorded in state`);
    assert.not.match(run.io.stderr, "Destruction complete");
    assert.ok(cloud.getEndpoint(id));
    assert.equal(Object.keys((await ws.state())?.resources ?? {}).sort(), ["default/chat", "default/old"]);
    assert.is(cloud.stats().byAction.DeleteEndpoint, 1, "only the refused delete was sent");
  } finally {
    await closeCloud({ cloud, ws });
  }
});

stubborn("with the emulator's refusal off, a destroy deletes at once and never stops anything", async () => {
  const cloud = await startCloud({ refuseDeleteRunning: false });
  const ws = await makeWorkspace();
  try {
    await ws.write("chat.yaml", endpointYaml("chat"));
    await ws.write("old.yaml", endpointYaml("old"));
    await applyOk(cloud, ws);
    const id = await idOf(ws, "default/old");
    await ws.remove("old.yaml");
    cloud.resetStats();
    const io = await applyOk(cloud, ws);
    assert.not.match(io.stderr, "stopping it first");
    assert.is(cloud.getEndpoint(id), undefined);
    assert.equal(
      [cloud.stats().byAction.DeleteEndpoint, cloud.stats().byAction.StopEndpoint],
      [1, undefined],
    );
  } finally {
    await closeCloud({ cloud, ws });
  }
});

stubborn.run();
