// A not-found answer to a write is not taken for "the endpoint is gone" until GetEndpoint agrees
// (docs/ark-api.md, Confirming an absence): Ark's NotFound may also mean "you may not see it".
import { ArkSyncError } from "../core/errors.js";
import type { LiveEndpoint } from "../core/types.js";
import type { ArkApiError } from "./errors.js";

/**
 * Resolves when GetEndpoint does not find endpoint `id` either. Throws `ark_not_found_but_present`
 * when it does: `answer` (Ark's not-found to `answer.action`) did not act on an endpoint that is there.
 */
export async function confirmNotFound(
  answer: ArkApiError,
  id: string,
  getEndpoint: (id: string) => Promise<LiveEndpoint | null>,
): Promise<void> {
  const endpoint = await getEndpoint(id);
  if (endpoint === null) return;
  throw new ArkSyncError(
    "external",
    "ark_not_found_but_present",
    `Ark answered ${answer.action} for ${id} with not-found, but the endpoint is there (GetEndpoint finds it, ${endpoint.status}), so Ark did not act on it. Ark's answer: ${answer.message}`,
    {
      hint: `Ark may answer not-found to credentials that may not act on an endpoint: check that their IAM policy allows ark:${answer.action} (docs/credentials.md), and look at ${id} in the Ark console.`,
      cause: answer,
    },
  );
}
