// A directory of manifests applied on an emulator of its own, for suites that start from endpoints
// ark-sync already manages (status, sync, notifications, the emulator's console).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as assert from "uvu/assert";
import * as apply from "../../src/app/apply.js";
import { type Emulator, type EmulatorOptions, startEmulator } from "../../src/emulator/start-emulator.js";
import { runLikeCli, type TestContext, testContext } from "./context.js";

export interface ArkTarget {
  apiUrl: string;
  region: string;
  parallelism: number;
}

export interface AppliedDirectory {
  emulator: Emulator;
  dir: string;
  ark: ArkTarget;
}

/** Applies `dir` with --auto-approve; fails the test unless apply exits 0. */
export async function applyDirectory(
  dir: string,
  ark: ArkTarget,
  context: Partial<Omit<TestContext, "connectArk">>,
): Promise<void> {
  const applied = await runLikeCli(
    apply.run,
    {
      path: dir,
      ark,
      autoApprove: true,
      allowEmpty: false,
      targets: [],
      waitTimeoutSeconds: 30,
      switchUndo: "rollback",
    } satisfies apply.ApplyOptions,
    testContext(context),
  );
  assert.is(applied.code, 0, applied.stderr);
}

/** Writes `files` into a new directory, applies them on a new emulator with `credentials`, runs
 * `body`, then removes both. */
export async function withApplied(
  files: Record<string, string>,
  credentials: { accessKey: string; secretKey: string },
  body: (applied: AppliedDirectory) => Promise<void>,
  emulatorOptions: Partial<EmulatorOptions> = {},
): Promise<void> {
  const emulator = await startEmulator({ ...credentials, provisioningDelayMs: 0, ...emulatorOptions });
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-applied-"));
  try {
    for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
    const ark = { apiUrl: emulator.url, region: "cn-beijing", parallelism: 10 };
    const env = { VOLC_ACCESSKEY: credentials.accessKey, VOLC_SECRETKEY: credentials.secretKey };
    await applyDirectory(dir, ark, { env });
    await body({ emulator, dir, ark });
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}
