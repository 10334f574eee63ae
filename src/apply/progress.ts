// Apply progress in the words of Terraform's apply output, one line per event on stderr:
// `default/chat: Creating...`, `Still creating... [10s elapsed]` every 10 s, `Creation complete after
// 12s [id=ep-…]`; Modifying/Modifications, Destroying/Destruction, and Adopting/Adoption likewise.
// Addresses, ids and Ark's reasons are escaped as plans escape them, before any colour.
import pc from "picocolors";
import { sanitizeText } from "../render/format-value.js";
import { formatDuration } from "./format-duration.js";

export type ProgressVerb = "create" | "update" | "destroy" | "adopt";

export interface ProgressTask {
  /** The endpoint id, once known (after CreateEndpoint answered). */
  setId(id: string): void;
  complete(): void;
  /** The operation failed; `reason` is a short line, the full error goes to the summary. */
  fail(reason: string): void;
  /** The operation stopped early but what happened is recorded; `note` says what. */
  stop(note: string): void;
}

export interface ProgressReporter {
  begin(address: string, verb: ProgressVerb, endpointId?: string): ProgressTask;
  /** A free-form line about one address. */
  note(address: string, text: string): void;
}

export interface ProgressOptions {
  write(line: string): void;
  color: boolean;
  now?: () => number;
  /** Default 10 000 ms, as Terraform. */
  heartbeatMs?: number;
}

const words: Record<ProgressVerb, { start: string; still: string; done: string; failed: string }> = {
  create: {
    start: "Creating...",
    still: "Still creating...",
    done: "Creation complete",
    failed: "Creation errored",
  },
  update: {
    start: "Modifying...",
    still: "Still modifying...",
    done: "Modifications complete",
    failed: "Modifications errored",
  },
  destroy: {
    start: "Destroying...",
    still: "Still destroying...",
    done: "Destruction complete",
    failed: "Destruction errored",
  },
  adopt: {
    start: "Adopting...",
    still: "Still adopting...",
    done: "Adoption complete",
    failed: "Adoption errored",
  },
};

export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  const now = options.now ?? (() => performance.now());
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  const colors = pc.createColors(options.color);
  const line = (address: string, text: string) =>
    options.write(`${colors.bold(`${sanitizeText(address)}:`)} ${sanitizeText(text)}\n`);

  return {
    note: line,
    begin(address, verb, endpointId) {
      const text = words[verb];
      const started = now();
      let id = endpointId;
      // Like Terraform, a create shows no id until it is complete.
      const bracket = (withId: boolean, extra?: string) => {
        const parts = [...(withId && id ? [`id=${id}`] : []), ...(extra ? [extra] : [])];
        return parts.length > 0 ? ` [${parts.join(", ")}]` : "";
      };
      const showsId = verb !== "create";
      line(address, `${text.start}${bracket(showsId)}`);
      const heartbeat = setInterval(() => {
        line(address, `${text.still}${bracket(showsId, `${formatDuration(now() - started)} elapsed`)}`);
      }, heartbeatMs);
      heartbeat.unref();
      let open = true;
      const finish = (message: string) => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        line(address, message);
      };
      const after = () => formatDuration(now() - started);
      return {
        setId(value) {
          id = value;
        },
        complete: () => finish(`${text.done} after ${after()}${bracket(verb !== "destroy")}`),
        fail: (reason) => finish(`${text.failed} after ${after()}${bracket(true)}: ${reason}`),
        stop: (note) => finish(`${note} after ${after()}${bracket(true)}`),
      };
    },
  };
}
