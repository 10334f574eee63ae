// `ark-sync state list | show ADDRESS | rm ADDRESS | unlock LOCK_ID`: read and edit the last-applied
// record. None of these calls Ark: `rm` forgets an endpoint, it never deletes it.
import { ArkSyncError } from "../core/errors.js";
import type { Address, StateDocument, StateResource } from "../core/types.js";
import type { StateBackend } from "../state/backend.js";
import { resolveStateBackend } from "../state/resolve-backend.js";
import type { Io } from "./io.js";

export interface StateCommandOptions {
  /** The manifest directory; the local state lives in `<dir>/.ark-sync/`. */
  dir: string;
  /** `--state SPEC`. */
  state: string | undefined;
  cwd: string;
}

export async function runStateList(options: StateCommandOptions, io: Io): Promise<number> {
  const backend = await openBackend(options, io);
  const document = await backend.read();
  const addresses = Object.keys(document?.resources ?? {}).sort();
  if (document === null || addresses.length === 0) {
    const detail = document === null ? "no state has been written yet" : `serial ${document.serial}`;
    io.err(`No resources in ${backend.describe()} (${detail}).\n`);
    return 0;
  }
  const width = Math.max(...addresses.map((address) => address.length));
  for (const address of addresses) {
    io.out(`${address.padEnd(width)}  ${(document.resources[address] as StateResource).endpoint_id}\n`);
  }
  return 0;
}

export async function runStateShow(address: Address, options: StateCommandOptions, io: Io): Promise<number> {
  const backend = await openBackend(options, io);
  const resource = findResource(await backend.read(), address, backend);
  io.out(`${JSON.stringify({ address, ...resource }, null, 2)}\n`);
  return 0;
}

export async function runStateRm(address: Address, options: StateCommandOptions, io: Io): Promise<number> {
  const backend = await openBackend(options, io);
  const lock = await backend.lock({ operation: "state rm" });
  try {
    const document = lock.current();
    const resource = findResource(document, address, backend);
    const rest = Object.fromEntries(
      Object.entries(document?.resources ?? {}).filter(([recorded]) => recorded !== address),
    );
    const written = await lock.write(rest);
    io.out(
      `Removed ${address} (${resource.endpoint_id}) from ${backend.describe()}, now at serial ${written.serial}.\n` +
        `The endpoint ${resource.endpoint_id} on Ark is untouched; ark-sync no longer tracks it. ` +
        `To track it again: ark-sync import ${address} ${resource.endpoint_id}\n`,
    );
    return 0;
  } finally {
    await lock.release();
  }
}

export async function runStateUnlock(lockId: string, options: StateCommandOptions, io: Io): Promise<number> {
  const backend = await openBackend(options, io);
  const holder = await backend.forceUnlock(lockId);
  io.out(
    `Removed lock ${holder.id} from ${backend.describe()} ` +
      `(held by ${holder.who}, pid ${holder.pid}, for ${holder.operation} since ${holder.since}).\n`,
  );
  return 0;
}

function openBackend(options: StateCommandOptions, io: Io): Promise<StateBackend> {
  return resolveStateBackend(options.state, options.dir, options.cwd, {
    warn: (message) => io.err(`Warning: ${message}\n`),
  });
}

function findResource(
  document: StateDocument | null,
  address: Address,
  backend: StateBackend,
): StateResource {
  const resources = document?.resources ?? {};
  if (Object.hasOwn(resources, address)) return resources[address] as StateResource;
  const similar = Object.keys(resources).find((recorded) => recorded.toLowerCase() === address.toLowerCase());
  throw new ArkSyncError(
    "usage",
    "state_unknown_address",
    `no resource ${address} in ${backend.describe()}`,
    {
      hint: similar
        ? `Did you mean ${similar}? Addresses are case-sensitive.`
        : "`ark-sync state list` prints the addresses the state records.",
    },
  );
}
