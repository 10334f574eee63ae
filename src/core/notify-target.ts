// ark-sync.yaml's `notify:` (docs/sync.md#notifications): which webhook hears which events of
// `ark-sync sync`, in which format. The URL is a credential: kept as given, shown by host only.
import type { SourceLocation } from "./types.js";

/** What a reconcile found or did: drift found, changes applied, a failure, a change left for a person. */
export type NotifyEvent = "drift" | "applied" | "failed" | "blocked";

export const notifyEvents: readonly NotifyEvent[] = ["drift", "applied", "failed", "blocked"];

/** json: the sync report; lark: a Feishu/Lark custom bot card; slack: an incoming webhook message. */
export type NotifyFormat = "json" | "lark" | "slack";

export interface NotifyTarget {
  /** The URL as written (`url:`), or the variable that holds it (`url_env:`). */
  url: { literal: string } | { env: string };
  format: NotifyFormat;
  on: NotifyEvent[];
  /** Where the entry is written, for messages about it. */
  at: SourceLocation;
}
