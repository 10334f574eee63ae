// When a state write fails, what the run meant to record must not be lost (Terraform's
// errored.tfstate): it is saved next to where the run started, and the error says where.
import { join, relative } from "node:path";
import { ArkSyncError } from "../core/errors.js";
import type { StateDocument } from "../core/types.js";
import { writeFileAtomic } from "./atomic-file.js";
import { serializeStateDocument } from "./state-document.js";

export const erroredStateFileName = "ark-sync-errored-state.json";

/** Saves `document` to `<cwd>/ark-sync-errored-state.json` and returns `error` with a hint naming it. */
export async function withErroredState(
  error: ArkSyncError,
  document: StateDocument,
  cwd: string,
): Promise<ArkSyncError> {
  const path = join(cwd, erroredStateFileName);
  let saved: string;
  try {
    await writeFileAtomic(path, serializeStateDocument(document));
    saved =
      `What this run meant to record (serial ${document.serial}) is saved in ./${relative(cwd, path)}; ` +
      "keep it until the state is repaired.";
  } catch (saveError) {
    const reason = saveError instanceof Error ? saveError.message : String(saveError);
    saved = `What this run meant to record could not be saved to ${path} either (${reason}).`;
  }
  const hint = error.hint ? `${error.hint}\n${saved}` : saved;
  return new ArkSyncError(error.kind, error.code, error.message, { hint, cause: error.cause ?? error });
}
