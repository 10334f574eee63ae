// The state backend `--state SPEC` names for a manifest directory, with its warnings on stderr
// (escaped: they quote lock holders), and taking its lock with `--lock-timeout`.
import { isArkSyncError } from "../core/errors.js";
import { sanitizeLines } from "../render/format-value.js";
import type { StateBackend, StateLock } from "../state/backend.js";
import { resolveStateBackend } from "../state/resolve-backend.js";
import type { AppContext } from "./context.js";

export function openState(spec: string | undefined, dir: string, ctx: AppContext): Promise<StateBackend> {
  return resolveStateBackend(spec, dir, ctx.cwd, {
    warn: (message) => ctx.io.err(`Warning: ${sanitizeLines(message)}\n`),
    env: ctx.env,
  });
}

/** Takes the lock; while a live run holds it, tries again for up to `timeoutMs` (0: refuse at once). */
export async function lockState(
  backend: StateBackend,
  operation: string,
  timeoutMs: number,
  ctx: AppContext,
  note?: string[],
): Promise<StateLock> {
  const deadline = ctx.clock.now() + timeoutMs;
  for (let waited = false; ; waited = true) {
    try {
      return await backend.lock({ operation, ...(note === undefined ? {} : { note }) });
    } catch (error) {
      const left = deadline - ctx.clock.now();
      if (!isArkSyncError(error) || error.code !== "state_locked" || left <= 0) throw error;
      if (!waited)
        ctx.io.err(`The state is locked; waiting up to ${timeoutMs / 1000}s for it (--lock-timeout)...\n`);
      await ctx.sleep(Math.min(1000, left));
    }
  }
}
