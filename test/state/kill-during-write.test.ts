// SIGKILL a process that rewrites the state in a loop, at random moments, several times: the state
// file must always be the old or the new version, never torn, and the backup must stay readable.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createLocalStateBackend } from "../../src/state/local-backend.js";
import { parseLockInfo } from "../../src/state/lock-info.js";
import { parseStateDocument } from "../../src/state/state-document.js";
import { makeTempDir, quietState } from "./helpers.js";

const child = fileURLToPath(new URL("./write-loop-child.js", import.meta.url));
const rounds = 20;

async function runAndKill(statePath: string): Promise<void> {
  const writer = spawn(process.execPath, [child, statePath], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  writer.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    writer.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve();
    });
    writer.on("exit", (code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
  });
  // A random moment in the write loop: not a timing assertion, only where the kill lands.
  await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 25)));
  const exited = new Promise((resolve) => writer.on("exit", resolve));
  writer.kill("SIGKILL");
  await exited;
}

test(`SIGKILL during a write loop, ${rounds} times: state.json always parses, serial never goes back`, async () => {
  const dir = makeTempDir("kill");
  try {
    const statePath = join(dir.path, "state.json");
    const warnings: string[] = [];
    const backend = createLocalStateBackend(statePath, dir.path, {
      ...quietState,
      warn: (message) => warnings.push(message),
    });
    let lastSerial = 0;
    let lineage: string | null = null;
    for (let round = 1; round <= rounds; round++) {
      await runAndKill(statePath);
      const document = parseStateDocument(
        readFileSync(statePath, "utf8"),
        `${statePath} after kill ${round}`,
      );
      assert.ok(document.serial >= lastSerial + 1, `serial ${document.serial} after ${lastSerial}`);
      lineage ??= document.lineage;
      assert.is(document.lineage, lineage, "lineage kept across runs");
      if (existsSync(`${statePath}.backup`)) {
        parseStateDocument(readFileSync(`${statePath}.backup`, "utf8"), `${statePath}.backup`);
      }
      assert.equal(await backend.read(), document);
      lastSerial = document.serial;

      // The killed writer's lock stays behind; its process is gone, so the next run takes it over.
      const holder = parseLockInfo(readFileSync(`${statePath}.lock`, "utf8"));
      assert.ok(holder);
      warnings.length = 0;
      const lock = await backend.lock({ operation: "apply" });
      assert.match(warnings.join("\n"), `left by ${holder?.who} (pid ${holder?.pid}`);
      await lock.release();
    }
    process.stdout.write(`  (${rounds} kills; the writer reached serial ${lastSerial})\n`);
  } finally {
    dir.remove();
  }
});

test.run();
