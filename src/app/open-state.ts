// The state backend `--state SPEC` names for a manifest directory, with its warnings on stderr.
import type { StateBackend } from "../state/backend.js";
import { resolveStateBackend } from "../state/resolve-backend.js";
import type { AppContext } from "./context.js";

export function openState(spec: string | undefined, dir: string, ctx: AppContext): Promise<StateBackend> {
  return resolveStateBackend(spec, dir, ctx.cwd, {
    warn: (message) => ctx.io.err(`Warning: ${message}\n`),
    env: ctx.env,
  });
}
