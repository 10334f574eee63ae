// Global options as the process reads them: every option can also come from ARK_SYNC_<OPTION>.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { cleanEnv, runCli } from "./run-cli.js";

const credentials = { accessKey: "AKLTglobalOptions01", secretKey: "global/Options+Secret==01" };

test("ARK_SYNC_API_URL points the client like --api-url", async () => {
  const emulator = await startEmulator({ ...credentials, provisioningDelayMs: 0 });
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-global-"));
  try {
    await writeFile(
      join(dir, "chat.yaml"),
      "apiVersion: ark-sync/v1\nkind: Endpoint\nname: chat\nmodel_reference:\n  custom_model_id: cm-1\n",
    );
    const result = await runCli(["plan", dir], {
      env: cleanEnv({
        VOLC_ACCESSKEY: credentials.accessKey,
        VOLC_SECRETKEY: credentials.secretKey,
        ARK_SYNC_API_URL: emulator.url,
      }),
    });
    assert.is(result.code, 0, result.stderr);
    assert.match(result.stdout, "Plan: 1 to add, 0 to change, 0 to destroy.");
    assert.is(emulator.stats().byAction.ListEndpoints, 1, "the plan read the emulator");
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
