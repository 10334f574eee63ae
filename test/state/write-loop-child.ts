// Child process for kill-during-write.test: takes the lock on the state file named in argv[2], then
// rewrites the state as fast as it can, with a varying number of resources, until it is killed.
import { dirname } from "node:path";
import type { StateResource } from "../../src/core/types.js";
import { createLocalStateBackend } from "../../src/state/local-backend.js";
import { quietState, resource } from "./helpers.js";

const statePath = process.argv[2];
if (!statePath) throw new Error("usage: write-loop-child STATE_PATH");
const backend = createLocalStateBackend(statePath, dirname(statePath), quietState);
const lock = await backend.lock({ operation: "write loop" });
for (let round = 0; ; round++) {
  const resources: Record<string, StateResource> = {};
  for (let index = 0; index < 1 + ((round * 37) % 300); index++)
    resources[`default/r${index}`] = resource(`ep-r${index}`, round);
  await lock.write(resources);
  if (round === 0) process.stdout.write("ready\n");
}
