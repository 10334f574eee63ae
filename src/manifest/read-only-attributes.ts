// Attributes Ark computes (docs/design.md §2). A manifest that sets one gets an error naming it, rather than
// "unknown attribute", since users copy them from `ark-sync state show` or the console.

export const READ_ONLY_ATTRIBUTES: ReadonlySet<string> = new Set([
  "endpoint_id",
  "status",
  "status_reason",
  "create_time",
  "update_time",
  "endpoint_model_type",
  "batch_only",
  "support_rolling",
  "rolling_id",
  "scale_tier_id",
  "support_scale_tier",
  "certificate",
]);
