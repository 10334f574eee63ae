// The TPM guarantee package (ScaleTierId) of the endpoints a plan destroys or replaces
// (docs/ark-api.md, Prepaid capacity). GetEndpoint reports it (82379/1262431); ListEndpoints items no
// longer carry it (the Go SDK dropped it from them on 2025-04-23), so each such endpoint a list
// returned is read once more, and only that field is taken from the answer: the plan is otherwise
// planned on what the list said.
import type { LiveEndpoint } from "../core/types.js";
import type { ArkClient } from "./client.js";

/**
 * `live`, with `scale_tier_id` read with GetEndpoint for every endpoint in `ids` that lacks it, and
 * how many were read. An endpoint gone since the list is left as listed.
 */
export async function readScaleTiers(
  client: Pick<ArkClient, "getEndpoint">,
  live: readonly LiveEndpoint[],
  ids: ReadonlySet<string>,
): Promise<{ live: LiveEndpoint[]; read: number }> {
  const unread = live.filter(
    (endpoint) => ids.has(endpoint.endpoint_id) && endpoint.scale_tier_id === undefined,
  );
  const answers = await Promise.all(unread.map((endpoint) => client.getEndpoint(endpoint.endpoint_id)));
  const tiers = new Map(
    answers.flatMap((answer) =>
      answer?.scale_tier_id === undefined ? [] : [[answer.endpoint_id, answer.scale_tier_id] as const],
    ),
  );
  return {
    live: live.map((endpoint) => {
      const tier = tiers.get(endpoint.endpoint_id);
      return tier === undefined ? endpoint : { ...endpoint, scale_tier_id: tier };
    }),
    read: unread.length,
  };
}
