// Golden files for rendered plans: compared byte for byte; `UPDATE_GOLDEN=1 node test/run.mjs render/`
// rewrites them from the current output.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as assert from "uvu/assert";

const goldenDir = join(fileURLToPath(new URL("../../..", import.meta.url)), "test/fixtures/golden/plans");

export function assertGolden(file: string, actual: string): void {
  const path = join(goldenDir, file);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  let expected: string;
  try {
    expected = readFileSync(path, "utf8");
  } catch {
    assert.unreachable(
      `missing golden file ${path}; create it with UPDATE_GOLDEN=1 node test/run.mjs render/`,
    );
    return;
  }
  assert.fixture(actual, expected, `${file} differs from its golden file (UPDATE_GOLDEN=1 to accept)`);
}
