// `ark-sync state list [--json] | show ADDRESS | rm ADDRESS | unlock LOCK_ID`: read and edit the last-applied
// record. None of these calls Ark: `rm` forgets an endpoint, it never deletes it. What they print
// comes from the state and lock files, which anyone may have edited: it is escaped as plans escape it.
import { ArkSyncError } from "../core/errors.js";
import type { Address, StateDocument, StateResource } from "../core/types.js";
import { sanitizeJson, sanitizeLines, sanitizeText } from "../render/format-value.js";
import type { StateBackend } from "../state/backend.js";
import type { AppContext, ExitCode } from "./context.js";
import { lockState, openState } from "./open-state.js";

export type StateAction =
  | { kind: "list"; json?: boolean }
  | { kind: "show"; address: Address }
  | { kind: "rm"; address: Address }
  | { kind: "unlock"; lockId: string };

export interface StateOptions {
  action: StateAction;
  /** The manifest directory; the local state lives in `<dir>/.ark-sync/`. */
  dir: string;
  state?: string;
  /** How long `rm` waits for a state lock another run holds; default 0. */
  lockTimeoutMs?: number;
}

export async function run(options: StateOptions, ctx: AppContext): Promise<ExitCode> {
  const backend = await openState(options.state, options.dir, ctx);
  const { action } = options;
  switch (action.kind) {
    case "list":
      return list(backend, action.json === true, ctx);
    case "show": {
      const resource = findResource(await backend.read(), action.address, backend);
      ctx.io.out(`${sanitizeJson(JSON.stringify({ address: action.address, ...resource }, null, 2))}\n`);
      return 0;
    }
    case "rm":
      return remove(action.address, backend, options.lockTimeoutMs ?? 0, ctx);
    case "unlock": {
      const holder = await backend.forceUnlock(action.lockId);
      ctx.io.out(
        `${sanitizeText(
          `Removed lock ${holder.id} from ${backend.describe()} ` +
            `(held by ${holder.who}, pid ${holder.pid}, for ${holder.operation} since ${holder.since})`,
        )}.\n`,
      );
      return 0;
    }
  }
}

async function list(backend: StateBackend, json: boolean, ctx: AppContext): Promise<ExitCode> {
  const document = await backend.read();
  const addresses = Object.keys(document?.resources ?? {}).sort();
  if (json) {
    // `{"serial", "resources": [{"address", "endpoint_id"}]}`, sorted; serial 0 and no resources
    // when no state has been written yet, so a script always reads one document.
    const recorded = document?.resources ?? {};
    const resources = addresses.map((address) => ({
      address,
      endpoint_id: (recorded[address] as StateResource).endpoint_id,
    }));
    const listing = { serial: document?.serial ?? 0, resources };
    ctx.io.out(`${sanitizeJson(JSON.stringify(listing, null, 2))}\n`);
    return 0;
  }
  if (document === null || addresses.length === 0) {
    const detail = document === null ? "no state has been written yet" : `serial ${document.serial}`;
    ctx.io.err(`No resources in ${sanitizeText(backend.describe())} (${detail}).\n`);
    return 0;
  }
  const rows = addresses.map((address) => [
    sanitizeText(address),
    sanitizeText((document.resources[address] as StateResource).endpoint_id),
  ]);
  const width = Math.max(...rows.map(([address = ""]) => address.length));
  for (const [address = "", id] of rows) ctx.io.out(`${address.padEnd(width)}  ${id}\n`);
  return 0;
}

async function remove(
  address: Address,
  backend: StateBackend,
  lockTimeoutMs: number,
  ctx: AppContext,
): Promise<ExitCode> {
  const lock = await lockState(backend, "state rm", lockTimeoutMs, ctx);
  try {
    const document = lock.current();
    const resource = findResource(document, address, backend);
    const rest = Object.fromEntries(
      Object.entries(document?.resources ?? {}).filter(([recorded]) => recorded !== address),
    );
    const written = await lock.write(rest);
    const text =
      `Removed ${address} (${resource.endpoint_id}) from ${backend.describe()}, now at serial ${written.serial}.\n` +
      `The endpoint ${resource.endpoint_id} on Ark is untouched; ark-sync no longer tracks it. ` +
      `To track it again: ark-sync import ${address} ${resource.endpoint_id}`;
    ctx.io.out(`${sanitizeLines(text)}\n`);
    return 0;
  } finally {
    await lock.release();
  }
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
