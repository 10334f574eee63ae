// The emulator's pessimistic answer to "does Ark do what it says OK to?" (docs/emulator.md, "Writes
// Ark ignores"): chosen fields of UpdateEndpoint or CreateEndpoint are validated, answered with
// success, and then not applied, as a real Ark that silently ignores a field would. Off by default.
import { ArkSyncError } from "../core/errors.js";

/** The fields UpdateEndpoint may be told to ignore: every field it changes. */
export const ignorableUpdateFields = ["Name", "Description", "RateLimit", "Moderation"] as const;
/** The optional fields CreateEndpoint may be told to ignore; an ignored one takes its default. */
export const ignorableCreateFields = ["Description", "ModelUnitId", "Moderation", "RateLimit"] as const;

export type IgnorableUpdateField = (typeof ignorableUpdateFields)[number];
export type IgnorableCreateField = (typeof ignorableCreateFields)[number];

/** The fields as a set, or a usage error naming the first one that cannot be ignored. */
export function ignoredFieldSet<F extends string>(
  fields: readonly string[] | undefined,
  allowed: readonly F[],
  action: string,
): ReadonlySet<F> {
  for (const field of fields ?? []) {
    if (!(allowed as readonly string[]).includes(field)) {
      throw new ArkSyncError(
        "usage",
        "emulator_bad_option",
        `${action} cannot be told to ignore "${field}": choose from ${allowed.join(", ")}.`,
      );
    }
  }
  return new Set(fields as readonly F[] | undefined);
}
