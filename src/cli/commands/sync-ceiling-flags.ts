// sync's ceilings (docs/sync.md#safety-rules): flags of whoever runs sync that cap what the
// repository's ark-sync.yaml may turn on. Argv in, SyncCeilings out.
import type { Argv } from "yargs";
import type { SyncCeilings } from "../../app/sync.js";
import { ArkSyncError } from "../../core/errors.js";

export interface CeilingArgs {
  /** false: --no-prune. */
  prune: boolean;
  /** false: --no-replace. */
  replace: boolean;
  "max-destroy"?: number;
}

export function withCeilingFlags<T>(yargs: Argv<T>): Argv<T & CeilingArgs> {
  return yargs
    .option("prune", {
      type: "boolean",
      default: true,
      describe:
        "Let ark-sync.yaml's sync.prune destroy endpoints whose manifests were removed (--no-prune: never, whatever it says)",
    })
    .option("replace", {
      type: "boolean",
      default: true,
      describe:
        "Let ark-sync.yaml's sync.allow_replace replace endpoints (--no-replace: never, whatever it says)",
    })
    .option("max-destroy", {
      type: "string",
      coerce: (text: string) => parseCount("--max-destroy", text),
      describe:
        "The most endpoints one reconcile may destroy or replace; ark-sync.yaml's max_destroy can only lower it",
    }) as unknown as Argv<T & CeilingArgs>;
}

export function ceilingsOf(args: CeilingArgs): SyncCeilings {
  return {
    noPrune: !args.prune,
    noReplace: !args.replace,
    ...(args["max-destroy"] === undefined ? {} : { maxDestroy: args["max-destroy"] }),
  };
}

function parseCount(flag: string, text: string): number {
  const trimmed = String(text).trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  throw new ArkSyncError(
    "usage",
    "invalid_arguments",
    `${flag} must be a whole number of endpoints (0 or more), not ${JSON.stringify(text)}.`,
  );
}
