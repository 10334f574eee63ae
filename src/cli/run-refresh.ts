// `ark-sync refresh`: show the drift, then, once approved, write live values of managed paths into
// the last-applied record (Terraform's apply -refresh-only). Ark is only read, never changed.
import { acceptDrift } from "../core/accept-drift.js";
import { ArkSyncError } from "../core/errors.js";
import { createPalette } from "../render/palette.js";
import { renderResourceDrift } from "../render/text-resource.js";
import { resolveStateBackend } from "../state/resolve-backend.js";
import { arkConnectionOptions } from "./ark-connection.js";
import type { RefreshArgs } from "./commands/refresh.js";
import { createTerminalConfirm } from "./confirm.js";
import { processIo } from "./io.js";
import { loadValidManifests } from "./load-valid-manifests.js";

const question = [
  "Do you want to accept these changes into the last-applied record?",
  "  ark-sync will not change anything on Ark. Only 'yes' will be accepted to approve.",
  "",
  "  Enter a value: ",
].join("\n");

export async function runRefresh(args: RefreshArgs): Promise<number> {
  const io = processIo(args);
  const manifests = await loadValidManifests(args.dir, io);
  if (!args["auto-approve"] && !io.isInteractive) {
    throw new ArkSyncError(
      "usage",
      "refresh_needs_approval",
      "refresh needs --auto-approve when not run in a terminal",
    );
  }
  const backend = await resolveStateBackend(args.state, args.dir, process.cwd());
  const lock = await backend.lock({ operation: "refresh" });
  try {
    const state = lock.current();
    if (!state || Object.keys(state.resources).length === 0) {
      io.out("No changes. There is no last-applied record to refresh yet.\n");
      return 0;
    }
    const { connectArk } = await import("../pipeline/connect-ark.js");
    const { readLiveForPlan } = await import("../pipeline/read-live.js");
    const client = connectArk(arkConnectionOptions(args, io, args.parallelism));
    const live = await readLiveForPlan(client, manifests.endpoints, state);
    const { drift, resources } = acceptDrift(state.resources, live);
    if (drift.length === 0) {
      io.out("No changes. The last-applied record matches Ark.\n");
      return 0;
    }

    const palette = createPalette(io.colorOut);
    io.out("ark-sync detected the following changes made outside of ark-sync:\n\n");
    for (const resource of drift) io.out(`${renderResourceDrift(resource, palette).join("\n")}\n\n`);
    const approved =
      args["auto-approve"] || (await createTerminalConfirm()(question, new AbortController().signal));
    if (!approved) {
      io.err("\nRefresh cancelled; nothing was recorded.\n");
      return 1;
    }
    await lock.write(resources);
    const forgotten = drift.filter((d) => d.kind === "deleted").length;
    const plural = (n: number) => `${n} endpoint${n === 1 ? "" : "s"}`;
    io.out(
      `Refresh complete! Accepted drift on ${plural(drift.length - forgotten)}; forgot ${plural(forgotten)} deleted outside ark-sync.\n`,
    );
    return 0;
  } finally {
    await lock.release();
  }
}
