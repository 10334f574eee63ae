// Reading a write back (docs/apply.md, "Reading back every write"). Ark answers UpdateEndpoint and
// CreateEndpoint with an empty success, which says nothing about what it stored (docs/ark-api.md,
// "Reading back writes"), so after each one apply reads the endpoint (GetEndpoint) and compares every
// value it wrote: one Ark left as it was is an ignored write. Any writer can use it, e.g. a model
// switch checking `model_reference` once it has ended: pass the leaves it wrote.
import type { EndpointUpdate } from "../ark/mapping.js";
import { flattenAttributes, formatPath, leafEquals, pathKey } from "../core/attribute-paths.js";
import { ArkSyncError } from "../core/errors.js";
import type {
  AttributePath,
  EndpointAttributes,
  IgnoredWrite,
  LiveEndpoint,
  WriteAction,
} from "../core/types.js";

/** A value a write asked Ark to hold; `value` absent: the write cleared it. */
export interface WrittenLeaf {
  path: AttributePath;
  value?: unknown;
}

export interface ReadBack {
  /** The endpoint as read after the write. */
  live: LiveEndpoint;
  /** Each written value Ark does not hold, with what it holds. */
  ignored: IgnoredWrite[];
}

/** Every value of the attributes, as a CreateEndpoint (or any write of whole attributes) sets them. */
export function writtenLeaves(attributes: Partial<EndpointAttributes>): WrittenLeaf[] {
  return [...flattenAttributes(attributes as EndpointAttributes).values()];
}

/** What an UpdateEndpoint writes: its values, and a cleared description as unset. */
export function updateLeaves(update: EndpointUpdate): WrittenLeaf[] {
  const { description, ...values } = update;
  const leaves = writtenLeaves(description === null ? values : update);
  return description === null ? [{ path: ["description"] }, ...leaves] : leaves;
}

/** GetEndpoint after `action`, and the written values Ark does not hold. */
export async function readBack(
  client: { getEndpoint(id: string): Promise<LiveEndpoint | null> },
  id: string,
  action: WriteAction,
  written: readonly WrittenLeaf[],
  at: Date,
): Promise<ReadBack> {
  const live = await client.getEndpoint(id);
  if (!live) {
    throw new ArkSyncError(
      "external",
      "endpoint_vanished",
      `${id} is gone: GetEndpoint found no endpoint right after ${action} answered with success`,
    );
  }
  const held = flattenAttributes(live.attributes);
  const ignored = written.flatMap((leaf): IgnoredWrite[] => {
    const value = held.get(pathKey(leaf.path))?.value;
    if (leafEquals(leaf.value, value)) return [];
    return [
      {
        path: leaf.path,
        action,
        ...(leaf.value === undefined ? {} : { sent: leaf.value }),
        ...(value === undefined ? {} : { held: value }),
        at: at.toISOString(),
      },
    ];
  });
  return { live, ignored };
}

/** The error that fails a resource whose write Ark ignored: each value, and what Ark holds. */
export function writeIgnoredError(
  id: string,
  action: WriteAction,
  ignored: readonly IgnoredWrite[],
): ArkSyncError {
  const values = ignored
    .map(
      (write) =>
        `${formatPath(write.path)} (Ark holds ${show(write.held)}; ark-sync sent ${show(write.sent)})`,
    )
    .join(", ");
  const next =
    action === "UpdateEndpoint"
      ? "so they cannot change in place: the next plan replaces the endpoint to change them, unless the manifest asks for what Ark holds"
      : "and the next plan sets them with UpdateEndpoint instead";
  return new ArkSyncError(
    "external",
    "write_ignored",
    `Ark answered ${action} for ${id} with success but did not change ${values}`,
    { hint: `The state records what Ark holds and that it ignored these values, ${next}.` },
  );
}

function show(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}
