// Errors that carry a stable code and who is at fault, so the CLI can print a message and a hint
// (and a stack only with --debug) and pick the exit code.

/** usage: bad flags or arguments; input: bad manifests, state or plan files; external: Ark, git,
 * GitHub; internal: a bug in ark-sync. */
export type ErrorKind = "usage" | "input" | "external" | "internal";

/** Every code an ArkSyncError can carry: a closed set, so callers can switch on it and docs can list it. */
export type ErrorCode =
  | "action_command_invalid"
  | "action_input_invalid"
  | "action_no_base"
  | "action_projects_invalid"
  | "apply_dir_with_dir"
  | "apply_dry_run_refused"
  | "apply_gates_conflict"
  | "apply_missing_id"
  | "apply_needs_approval"
  | "apply_not_updatable"
  | "apply_plan_options"
  | "apply_review_needs_dir"
  | "apply_source_missing"
  | "apply_undocumented_reset"
  | "ark_account"
  | "ark_auth"
  | "ark_bad_answer"
  | "ark_dry_run_ignored"
  | "ark_invalid"
  | "ark_network"
  | "ark_not_found"
  | "ark_not_found_but_present"
  | "ark_server"
  | "ark_throttled"
  | "ark_transport"
  | "comment_nothing_to_do"
  | "comment_too_long"
  | "comment_without_marker"
  | "create_outcome_unknown"
  | "emulator_bad_fault"
  | "emulator_bad_option"
  | "emulator_credentials"
  | "emulator_data_invalid"
  | "emulator_data_unreadable"
  | "emulator_data_write_failed"
  | "emulator_duplicate_id"
  | "emulator_iam_invalid"
  | "emulator_listen_failed"
  | "emulator_unknown_endpoint"
  | "endpoint_abnormal"
  | "endpoint_failed"
  | "endpoint_stopped"
  | "endpoint_vanished"
  | "model_switch_failed"
  | "model_switch_foreign"
  | "model_switch_unknown"
  | "git_failed"
  | "git_push_failed"
  | "github_api_url_invalid"
  | "github_bad_credentials"
  | "github_event_unreadable"
  | "github_forbidden"
  | "github_foreign_link"
  | "github_graphql_error"
  | "github_http_error"
  | "github_not_found"
  | "github_rate_limited"
  | "github_repository_missing"
  | "github_token_invalid"
  | "github_token_missing"
  | "github_too_many_pages"
  | "github_unexpected_answer"
  | "github_unprocessable"
  | "github_unreachable"
  | "import_address_managed"
  | "import_breaks_directory"
  | "import_endpoint_managed"
  | "import_file_exists"
  | "import_not_found"
  | "import_outside_directory"
  | "import_without_manifest"
  | "incomplete_credentials"
  | "interrupted"
  | "invalid_api_url"
  | "invalid_arguments"
  | "invalid_duration"
  | "invalid_manifests"
  | "invalid_parallelism"
  | "invalid_region"
  | "invalid_role_settings"
  | "invalid_wait_timeout"
  | "manifest_dir_not_directory"
  | "manifest_dir_not_found"
  | "manifest_dir_unreadable"
  | "markdown_limit_too_small"
  | "missing_credentials"
  | "oidc_token_failed"
  | "plan_file_invalid"
  | "plan_file_modified"
  | "plan_file_unreadable"
  | "plan_has_errors"
  | "plan_stale"
  | "plan_hash_invalid"
  | "plan_hash_mismatch"
  | "pr_invalid"
  | "refresh_needs_approval"
  | "reserved_tag"
  | "review_ambiguous_pull_request"
  | "review_commit_missing"
  | "review_batch"
  | "review_changed"
  | "review_edited"
  | "review_no_plan"
  | "review_no_pull_request"
  | "review_not_approved"
  | "review_other_head"
  | "review_several"
  | "review_shown_differs"
  | "review_unreadable"
  | "review_version"
  | "state_bad_branch"
  | "state_bad_spec"
  | "state_branch_foreign"
  | "state_conflict"
  | "state_invalid"
  | "state_invalid_write"
  | "state_lock_changed"
  | "state_lock_failed"
  | "state_lock_lost"
  | "state_lock_released"
  | "state_locked"
  | "state_no_origin"
  | "state_not_git"
  | "state_not_locked"
  | "state_read_failed"
  | "state_unknown_address"
  | "state_unlock_mismatch"
  | "state_unlock_unreadable"
  | "state_write_failed"
  | "sts_bad_answer"
  | "sts_refused"
  | "sts_unavailable"
  | "unreadable_credentials"
  | "unsafe_debug"
  | "wait_timeout"
  | "workflow_command_invalid"
  | "write_ignored";

export class ArkSyncError extends Error {
  readonly kind: ErrorKind;
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(
    kind: ErrorKind,
    code: ErrorCode,
    message: string,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ArkSyncError";
    this.kind = kind;
    this.code = code;
    this.hint = options.hint;
  }
}

export function isArkSyncError(error: unknown): error is ArkSyncError {
  return error instanceof ArkSyncError;
}
