// `plan --out FILE` then `apply FILE`: the saved plan is applied exactly (not the manifests as they are
// now), with no question, renames (moved_from) included; it is refused as stale when the state or the
// live values it relied on changed, and refused when edited or when it has errors.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as assert from "uvu/assert";
import * as plan from "../../src/app/plan.js";
import type { Emulator } from "../../src/emulator/start-emulator.js";
import { planOptionsFor, runLikeCli, testContext } from "../app/context.js";
import {
  applyHere,
  cloudEnv,
  cloudSuite,
  credentials,
  endpointYaml,
  nextPlan,
  recordIo,
  startCli,
  type Workspace,
} from "./helpers.js";

const saved = cloudSuite("saved plans");

/** `ark-sync plan manifests --out plan.json`, through the use case in this process (a process per
 * plan made this the slowest suite): its exit code and stderr. */
function runPlanOut(cloud: Emulator, ws: Workspace): Promise<{ code: number; stderr: string }> {
  const options = planOptionsFor(
    ws.manifests,
    { apiUrl: cloud.url, region: "cn-beijing", parallelism: 10 },
    { out: join(ws.root, "plan.json") },
  );
  return runLikeCli(plan.run, options, testContext({ env: cloudEnv, cwd: ws.root }));
}

/** Saves the plan of `ws`'s manifests; returns the plan file's path. */
async function savePlan(cloud: Emulator, ws: Workspace): Promise<string> {
  const { code, stderr } = await runPlanOut(cloud, ws);
  assert.is(code, 0, stderr);
  return join(ws.root, "plan.json");
}

const errorCode = (error: unknown) => (error as { code?: string }).code;

saved(
  "applies exactly the saved plan, without asking, even after the manifests changed",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat", { description: "planned", rateLimit: { rpm: 10 } }));
    const file = await savePlan(cloud, ws);
    await ws.write(
      "chat.yaml",
      endpointYaml("chat", { description: "edited after the plan", rateLimit: { rpm: 10 } }),
    );

    const run = await applyHere(
      cloud,
      file,
      { autoApprove: false, dir: ws.manifests },
      {
        io: recordIo(true),
        confirm: async () => {
          throw new Error("a saved plan needs no confirmation");
        },
      },
    );
    assert.is(run.code, 0, `${String(run.error)}\n${run.io.stderr}`);
    assert.match(run.io.stderr, "Applying the saved plan");
    assert.match(run.io.stdout, "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
    const [endpoint] = cloud.listEndpoints();
    assert.is(endpoint?.Description, "planned");
    assert.is((await ws.state())?.resources["default/chat"]?.last_applied?.description, "planned");
    const next = await nextPlan(cloud, ws.manifests);
    assert.equal(next.plan.summary, { add: 0, change: 1, destroy: 0 }, "the later edit is still to apply");
  },
);

saved(
  "a saved plan keeps lifecycle.ignore_changes: an ignored path keeps its last-applied record",
  async ({ cloud, ws }) => {
    const lifecycle = { ignore_changes: ["description"] };
    await ws.write(
      "chat.yaml",
      endpointYaml("chat", { description: "a", rateLimit: { rpm: 10 }, lifecycle }),
    );
    assert.is((await applyHere(cloud, ws.manifests)).code, 0);
    const id = cloud.listEndpoints()[0]?.Id as string;
    await cloud.changeEndpoint(id, { Description: "set in the console" });
    await ws.write(
      "chat.yaml",
      endpointYaml("chat", { description: "a", rateLimit: { rpm: 20 }, lifecycle }),
    );
    const file = await savePlan(cloud, ws);

    const run = await applyHere(cloud, file, { dir: ws.manifests });
    assert.is(run.code, 0, `${String(run.error)}\n${run.io.stderr}`);
    const record = (await ws.state())?.resources["default/chat"]?.last_applied;
    assert.equal(record?.rate_limit, { rpm: 20 });
    assert.is(record?.description, "a", "the ignored path was not applied, so its record stays");
    assert.is(cloud.getEndpoint(id)?.Description, "set in the console");
  },
);

saved(
  "a saved update applies exactly, and the CLI applies a plan file without --auto-approve",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 10 }, tags: { env: "a" } }));
    assert.is((await applyHere(cloud, ws.manifests)).code, 0);
    await ws.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 30 }, tags: { env: "a" } }));
    await savePlan(cloud, ws);
    cloud.resetStats();
    const run = startCli(["apply", "plan.json", "--api-url", cloud.url, "--debug"], ws.root);
    assert.is((await run.exit).code, 0, run.stderr());
    assert.match(run.stderr(), "debug: ark -> UpdateEndpoint");
    for (const secret of [credentials.accessKey, credentials.secretKey]) {
      assert.not.ok(
        run.stdout().includes(secret) || run.stderr().includes(secret),
        "credentials in the output",
      );
    }
    assert.match(run.stdout(), "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.");
    assert.is(cloud.stats().byAction.CreateEndpoint, undefined);
    assert.equal(cloud.listEndpoints()[0]?.RateLimit, { Rpm: 30 });
    assert.match((await nextPlan(cloud, ws.manifests)).text, /^No changes\./m);
  },
);

saved("refused as stale when the state changed since the plan", async ({ cloud, ws }) => {
  await ws.write("chat.yaml", endpointYaml("chat"));
  const file = await savePlan(cloud, ws);
  assert.is((await applyHere(cloud, ws.manifests)).code, 0, "another apply ran in between");
  const before = cloud.listEndpoints();

  const run = await applyHere(cloud, file, { dir: ws.manifests });
  assert.is(errorCode(run.error), "plan_stale");
  assert.match(String(run.error), "saved plan is stale");
  assert.match(String(run.error), "Planned against: no state yet");
  assert.equal(cloud.listEndpoints(), before, "nothing was created twice");
});

saved("refused as stale when a live value it relied on changed", async ({ cloud, ws }) => {
  await ws.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 10 } }));
  assert.is((await applyHere(cloud, ws.manifests)).code, 0);
  await ws.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 20 }, description: "new" }));
  const file = await savePlan(cloud, ws);
  const id = cloud.listEndpoints()[0]?.Id as string;
  await cloud.changeEndpoint(id, { RateLimit: { Rpm: 15 } });
  cloud.resetStats();

  const run = await applyHere(cloud, file, { dir: ws.manifests });
  assert.is(errorCode(run.error), "plan_stale");
  assert.match(String(run.error), "saved plan is stale: live endpoints changed");
  assert.match(
    String(run.error),
    "default/chat: rate_limit.rpm is 15 on Ark, but the plan was made when it was 10",
  );
  assert.is(cloud.stats().byAction.UpdateEndpoint, undefined);
});

saved(
  "a live change the plan does not rely on (a console tag) does not make it stale",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 10 } }));
    assert.is((await applyHere(cloud, ws.manifests)).code, 0);
    await ws.write("chat.yaml", endpointYaml("chat", { rateLimit: { rpm: 20 } }));
    const file = await savePlan(cloud, ws);
    const endpoint = cloud.listEndpoints()[0];
    await cloud.changeEndpoint(endpoint?.Id as string, {
      Tags: [...(endpoint?.Tags ?? []), { Key: "owner", Value: "ops" }],
    });

    const run = await applyHere(cloud, file, { dir: ws.manifests });
    assert.is(run.code, 0, String(run.error));
    assert.equal(cloud.listEndpoints()[0]?.RateLimit, { Rpm: 20 });
  },
);

saved(
  "refused as stale when another run already created an endpoint it would create",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat"));
    const file = await savePlan(cloud, ws);
    await cloud.seedEndpoint({
      Name: "chat",
      ModelReference: { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" } },
      Tags: [{ Key: "ark-sync:address", Value: "default/chat" }],
    });
    const run = await applyHere(cloud, file, { dir: ws.manifests });
    assert.is(errorCode(run.error), "plan_stale");
    assert.match(String(run.error), "now exists on Ark with this address's ownership tag");
    assert.is(cloud.listEndpoints().length, 1);
  },
);

saved(
  "the live check sees endpoints of another project: a change there is stale, an unchanged one applies",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat", { project: "research", rateLimit: { rpm: 10 } }));
    assert.is((await applyHere(cloud, ws.manifests)).code, 0);
    const id = (await ws.state())?.resources["research/chat"]?.endpoint_id as string;
    await ws.write("chat.yaml", endpointYaml("chat", { project: "research", rateLimit: { rpm: 20 } }));
    await ws.write("new.yaml", endpointYaml("new", { project: "research" }));
    const file = await savePlan(cloud, ws);
    await cloud.changeEndpoint(id, { RateLimit: { Rpm: 15 } });
    const other = await cloud.seedEndpoint({
      Name: "new",
      ProjectName: "research",
      ModelReference: { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" } },
      Tags: [{ Key: "ark-sync:address", Value: "research/new" }],
    });

    const stale = await applyHere(cloud, file, { dir: ws.manifests });
    assert.is(errorCode(stale.error), "plan_stale");
    assert.match(
      String(stale.error),
      "research/chat: rate_limit.rpm is 15 on Ark, but the plan was made when it was 10",
    );
    assert.match(String(stale.error), `research/new: ${other.Id} now exists on Ark`);
    assert.not.match(String(stale.error), "no longer exists");

    await cloud.deleteEndpoint(other.Id);
    const fresh = await savePlan(cloud, ws);
    const run = await applyHere(cloud, fresh, { dir: ws.manifests });
    assert.is(run.code, 0, `${String(run.error)}\n${run.io.stderr}`);
    assert.match(run.io.stdout, "Apply complete! Resources: 1 added, 1 changed, 0 destroyed.");
    assert.equal(cloud.getEndpoint(id)?.RateLimit, { Rpm: 20 });
  },
);

saved("refused when the file was edited after it was saved", async ({ cloud, ws }) => {
  await ws.write("chat.yaml", endpointYaml("chat", { description: "reviewed" }));
  const file = await savePlan(cloud, ws);
  const edited = (await readFile(file, "utf8")).replace('"reviewed"', '"sneaked in"');
  await writeFile(file, edited);
  const run = await applyHere(cloud, file, { dir: ws.manifests });
  assert.is(errorCode(run.error), "plan_file_modified");
  assert.is(cloud.listEndpoints().length, 0);
});

saved("refused when the saved plan has errors", async ({ cloud, ws }) => {
  await ws.write("chat.yaml", endpointYaml("chat"));
  assert.is((await applyHere(cloud, ws.manifests)).code, 0);
  await ws.remove("chat.yaml");
  assert.is((await runPlanOut(cloud, ws)).code, 1, "plan itself fails on the empty directory");
  const refused = await applyHere(cloud, join(ws.root, "plan.json"), { dir: ws.manifests });
  assert.is(errorCode(refused.error), "plan_has_errors");
  assert.is(cloud.listEndpoints().length, 1);
});

saved("refused when it is not a plan", async ({ cloud, ws }) => {
  const file = join(ws.root, "plan.json");
  await writeFile(
    file,
    JSON.stringify({
      format_version: "1.0",
      resource_changes: [
        { address: "default/x", change: { actions: ["update"], before: null, after: null } },
      ],
      summary: { add: 0, change: 1, destroy: 0 },
    }),
  );
  const run = await applyHere(cloud, file, { dir: ws.manifests });
  assert.is(errorCode(run.error), "plan_file_invalid");
  assert.match(String(run.error), "endpoint_id is missing");
});

saved("a saved rename (moved_from) applies in place and moves the state record", async ({ cloud, ws }) => {
  await ws.write("chat.yaml", endpointYaml("chat"));
  assert.is((await applyHere(cloud, ws.manifests)).code, 0);
  const id = cloud.listEndpoints()[0]?.Id as string;
  await ws.write("chat.yaml", endpointYaml("chat-v2", { movedFrom: "default/chat" }));
  const file = await savePlan(cloud, ws);
  assert.match(await readFile(file, "utf8"), '"previous_address": "default/chat"');
  cloud.resetStats();

  const run = await applyHere(cloud, file, { dir: ws.manifests });
  assert.is(run.code, 0, `${String(run.error)}\n${run.io.stderr}`);
  assert.match(run.io.stdout, "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.");
  assert.is(cloud.stats().byAction.UpdateEndpoint, 1);
  assert.is(cloud.stats().byAction.CreateEndpoint, undefined);
  assert.is(cloud.stats().byAction.DeleteEndpoint, undefined);
  assert.is(cloud.getEndpoint(id)?.Name, "chat-v2");
  assert.equal(Object.keys((await ws.state())?.resources ?? {}), ["default/chat-v2"]);
  assert.match((await nextPlan(cloud, ws.manifests)).text, /^No changes\./m);
});

saved("a saved rename is stale when the endpoint was renamed on Ark since", async ({ cloud, ws }) => {
  await ws.write("chat.yaml", endpointYaml("chat"));
  assert.is((await applyHere(cloud, ws.manifests)).code, 0);
  const id = cloud.listEndpoints()[0]?.Id as string;
  await ws.write("chat.yaml", endpointYaml("chat-v2", { movedFrom: "default/chat" }));
  const file = await savePlan(cloud, ws);
  await cloud.changeEndpoint(id, { Name: "chat-console" });
  cloud.resetStats();

  const run = await applyHere(cloud, file, { dir: ws.manifests });
  assert.is(errorCode(run.error), "plan_stale");
  assert.match(
    String(run.error),
    'default/chat-v2: name is "chat-console" on Ark, but the plan was made when it was "chat"',
  );
  assert.is(cloud.stats().byAction.UpdateEndpoint, undefined);
  assert.equal(Object.keys((await ws.state())?.resources ?? {}), ["default/chat"]);
});

saved(
  "a saved create at an address renamed away from is not stale for the renamed endpoint's old tag",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat"));
    assert.is((await applyHere(cloud, ws.manifests)).code, 0);
    await ws.write("chat.yaml", endpointYaml("chat-v2", { movedFrom: "default/chat" }));
    assert.is((await applyHere(cloud, ws.manifests)).code, 0);
    await ws.write("chat.yaml", endpointYaml("chat-v2"));
    await ws.write("chat-again.yaml", endpointYaml("chat"));
    const file = await savePlan(cloud, ws);

    const run = await applyHere(cloud, file, { dir: ws.manifests });
    assert.is(run.code, 0, `${String(run.error)}\n${run.io.stderr}`);
    assert.match(run.io.stdout, "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
    assert.is(cloud.listEndpoints().length, 2);
  },
);

saved("a saved plan whose previous_address was edited is refused", async ({ cloud, ws }) => {
  await ws.write("chat.yaml", endpointYaml("chat"));
  assert.is((await applyHere(cloud, ws.manifests)).code, 0);
  await ws.write("chat.yaml", endpointYaml("chat-v2", { movedFrom: "default/chat" }));
  const file = await savePlan(cloud, ws);
  const text = await readFile(file, "utf8");

  await writeFile(
    file,
    text.replace('"previous_address": "default/chat"', '"previous_address": "default/other"'),
  );
  const modified = await applyHere(cloud, file, { dir: ws.manifests });
  assert.is(errorCode(modified.error), "plan_file_modified", "the plan hash covers previous_address");

  await writeFile(
    file,
    text.replace('"previous_address": "default/chat"', '"previous_address": "default/chat-v2"'),
  );
  const invalid = await applyHere(cloud, file, { dir: ws.manifests });
  assert.is(errorCode(invalid.error), "plan_file_invalid");
  assert.match(String(invalid.error), "previous_address must be another address");
  assert.is(cloud.listEndpoints()[0]?.Name, "chat");
});

saved.run();
