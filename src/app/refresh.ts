// `ark-sync refresh`: show the drift, then, once approved, write live values of managed paths into
// the last-applied record (Terraform's apply -refresh-only). Ark is only read, never changed.
import { acceptDrift } from "../core/accept-drift.js";
import { ArkSyncError } from "../core/errors.js";
import { createPalette } from "../render/palette.js";
import { renderResourceDrift } from "../render/text-resource.js";
import type { AppContext, ArkSettings, ExitCode } from "./context.js";
import { withConnection } from "./directory-connection.js";
import { lockState, openState } from "./open-state.js";
import { loadValidManifests, readLive } from "./read-and-plan.js";

export interface RefreshOptions {
  dir: string;
  state?: string;
  /** The region is absent when no flag or variable gives it (directory-connection.ts). */
  ark: Omit<ArkSettings, "sleep" | "region"> & { region?: string };
  autoApprove: boolean;
  /** How long to wait for a state lock another run holds; default 0. */
  lockTimeoutMs?: number;
}

const question = [
  "Do you want to accept these changes into the last-applied record?",
  "  ark-sync will not change anything on Ark. Only 'yes' will be accepted to approve.",
  "",
  "  Enter a value: ",
].join("\n");

export async function run(flags: RefreshOptions, ctx: AppContext): Promise<ExitCode> {
  const { io } = ctx;
  const manifests = await loadValidManifests(flags.dir, ctx);
  const options = withConnection(flags, manifests.connection);
  if (!options.autoApprove && !io.isInteractive) {
    throw new ArkSyncError(
      "usage",
      "refresh_needs_approval",
      "refresh needs --auto-approve when not run in a terminal",
    );
  }
  const backend = await openState(options.state, options.dir, ctx);
  const lock = await lockState(backend, "refresh", options.lockTimeoutMs ?? 0, ctx);
  try {
    const state = lock.current();
    if (!state || Object.keys(state.resources).length === 0) {
      io.out("No changes. There is no last-applied record to refresh yet.\n");
      return 0;
    }
    const client = await ctx.connectArk(options.ark);
    const live = await readLive(client, options.ark.region, manifests.endpoints, state, ctx);
    const { drift, resources } = acceptDrift(state.resources, live);
    if (drift.length === 0) {
      io.out("No changes. The last-applied record matches Ark.\n");
      return 0;
    }

    const palette = createPalette(io.colorOut);
    io.out("ark-sync detected the following changes made outside of ark-sync:\n\n");
    for (const resource of drift) io.out(`${renderResourceDrift(resource, palette).join("\n")}\n\n`);
    const approved = options.autoApprove || (await ctx.confirm(question, new AbortController().signal));
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
