// The short title of each plan warning and error code, shared by the text and Markdown renderers.
import type { PlanError, PlanWarning } from "../core/types.js";

export function messageTitle(message: PlanWarning | PlanError): string {
  switch (message.code) {
    case "endpoint_id_changes":
      return "endpoint_id will change";
    case "endpoint_status":
      return "Endpoint is not running";
    case "no_last_applied":
      return "No last-applied record";
    case "duplicate_live_name":
      return "Endpoint already exists on Ark";
    case "live_unknown_without_refresh":
      return "Cannot plan without reading Ark";
    case "targeting":
      return "Resource targeting is in effect";
    case "owned_by_another_state":
      return "Endpoint owned by another state";
    case "untracked_endpoint":
      return "Endpoint owned by ark-sync but not tracked";
    case "dry_run_leftover":
      return "Endpoint left by a DryRun Ark carried out";
    case "model_switch_in_progress":
      return "Model switch in progress";
    case "ark_dry_run_denied":
      return "Ark could not check the plan";
    case "model_switch_impossible":
      return "Model cannot switch in place";
    case "ark_dry_run_refused":
      return "Ark refused a dry run";
    case "ark_dry_run_ignored":
      return "Ark carried out a dry run";
    case "prevent_destroy":
      return "Endpoint cannot be destroyed";
    case "empty_manifests":
      return "No manifests found";
    case "max_destroy_exceeded":
      return "Too many endpoints destroyed";
    case "write_ignored":
      return "Ark ignored an earlier write";
    case "prepaid_capacity":
      return "Endpoint holds prepaid capacity";
    case "value_not_writable":
      return "Ark ignores every write of a value";
  }
}
