// `ark-sync demo --keep` keeps the emulator's data with the workspace: an emulator started again on it
// serves the cloud the tour left, which status reads as in step with the kept manifests and state.
import { access, rm } from "node:fs/promises";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as demo from "../../src/app/demo.js";
import { demoCredentials } from "../../src/app/emulator.js";
import * as status from "../../src/app/status.js";
import type { StatusRow } from "../../src/core/status-rows.js";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { runLikeCli, testContext } from "./context.js";

test("demo --keep leaves the emulator's data, which a restarted emulator serves, and says how", async () => {
  const result = await runLikeCli(demo.run, { keep: true, verbose: false }, testContext());
  assert.is(result.code, 0, result.stderr);
  const workspace = /The tour's workspace is kept in (\S+): /.exec(result.stdout)?.[1];
  assert.ok(workspace, result.stdout);
  try {
    const dataFile = join(workspace, "emulator.json");
    const dir = join(workspace, "manifests");
    assert.match(result.stdout, `  ark-sync emulator --data ${dataFile} &\n`);
    assert.match(result.stdout, `  ark-sync status ${dir}\n`);
    assert.match(result.stdout, `  ark-sync plan ${dir}\n`);
    assert.not.match(result.stdout, demoCredentials.secretKey, "no secret key is printed");
    await access(dataFile);

    const emulator = await startEmulator({ ...demoCredentials, dataFile });
    try {
      assert.equal(
        emulator
          .listEndpoints()
          .map((endpoint) => endpoint.Name)
          .sort(),
        ["chat-legacy", "search-assist", "summarizer", "support-bot"],
      );
      const env = { VOLC_ACCESSKEY: demoCredentials.accessKey, VOLC_SECRETKEY: demoCredentials.secretKey };
      const shown = await runLikeCli(
        status.run,
        {
          dir,
          ark: { apiUrl: emulator.url, region: "cn-beijing", parallelism: 10 },
          json: true,
          projects: [],
        },
        testContext({ env }),
      );
      assert.is(shown.code, 0, shown.stderr);
      const rows = (JSON.parse(shown.stdout) as { endpoints: StatusRow[] }).endpoints;
      assert.equal(
        rows.map((row) => [row.address, row.sync]),
        [
          ["default/chat-legacy", "Synced"],
          ["default/search-assist", "Synced"],
          ["default/summarizer", "Synced"],
          ["default/support-bot", "Synced"],
        ],
      );
      assert.ok(
        rows.some((row) => row.model === "doubao-1-5-pro-32k@250415"),
        "the tour's model switch is in the data",
      );
    } finally {
      await emulator.close();
    }
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
});

test.run();
