// Child process for lock-namespace.test: tries once to take the lock on the state file named in
// argv[2], prints the outcome as one JSON line ({"taken": true} or the refusal's code, message and
// hint), and gives the lock back.
import { dirname } from "node:path";
import { createLocalStateBackend } from "../../src/state/local-backend.js";

const statePath = process.argv[2];
if (!statePath) throw new Error("usage: lock-child STATE_PATH");
const warnings: string[] = [];
const backend = createLocalStateBackend(statePath, dirname(statePath), {
  warn: (message) => warnings.push(message),
  env: {},
});
try {
  const lock = await backend.lock({ operation: "apply" });
  await lock.release();
  process.stdout.write(`${JSON.stringify({ taken: true, warnings })}\n`);
} catch (error) {
  const { code, message, hint } = error as { code?: string; message: string; hint?: string };
  process.stdout.write(`${JSON.stringify({ taken: false, code, message, hint, warnings })}\n`);
}
