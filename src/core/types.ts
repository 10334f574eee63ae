// The vocabulary of ark-sync: desired (manifests), lastApplied (state) and live (Ark), and the Plan
// computed from them. Plain JSON-serialisable data, no methods, no I/O.

/** A tag as written in a manifest and as Ark returns it. Tags are a set keyed by `key`. */
export interface Tag {
  key: string;
  value: string;
}

export type ModelReference =
  | { foundation_model: { name: string; model_version: string } }
  | { custom_model_id: string };

/**
 * The writable attributes of an endpoint, with the Terraform resource's snake_case names. An absent
 * property means "not set". Tags here never include Ark's system tags or ark-sync's ownership tag.
 */
export interface EndpointAttributes {
  name: string;
  project_name: string;
  description?: string;
  model_reference?: ModelReference;
  model_unit_id?: string;
  moderation?: { strategy: "Default" | "Basic" };
  rate_limit?: { rpm?: number; tpm?: number };
  tags?: Tag[];
}

export type AttributeName = keyof EndpointAttributes;

/** ark-sync's own per-resource options; never sent to Ark. */
export interface Lifecycle {
  prevent_destroy?: boolean;
  create_before_destroy?: boolean;
  /** Attribute paths such as `rate_limit.rpm`, `tags` or `tags.env`. */
  ignore_changes?: string[];
  /**
   * How a change of foundation model is made: `rolling` switches it in place with Ark's rolling
   * switch and never replaces the endpoint; `replace` always replaces it. Unset: rolling where Ark
   * reports the endpoint can switch (SupportRolling), else a replacement.
   */
  model_switch?: "rolling" | "replace";
}

/** Where a manifest document came from, for messages that point at it. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/** `<project_name>/<name>`, e.g. `default/EndpointDemo`. */
export type Address = string;

/** One endpoint as a manifest wants it (defaults applied). */
export interface DesiredEndpoint {
  address: Address;
  attributes: EndpointAttributes;
  lifecycle: Lifecycle;
  /**
   * The address this endpoint had before a rename (`moved_from` in the manifest; ark-sync's own,
   * never sent to Ark): its state record is carried over instead of destroy + create.
   */
  moved_from?: Address;
  source: SourceLocation;
}

/** The Ark actions whose writes apply reads back (docs/apply.md, "Reading back every write"). */
export type WriteAction = "CreateEndpoint" | "UpdateEndpoint";

/**
 * A write Ark answered with success but did not carry out, found by reading the endpoint back: the
 * leaf it left as it was. Kept in state so the next plan does not send the same write again.
 */
export interface IgnoredWrite {
  path: AttributePath;
  action: WriteAction;
  /** What ark-sync sent; absent when it cleared the value. */
  sent?: unknown;
  /** What Ark held when read back; absent when unset. */
  held?: unknown;
  /** When it was read back (ISO 8601). */
  at: string;
}

/** One address as recorded in the state document. */
export interface StateResource {
  endpoint_id: string;
  /** What ark-sync last applied successfully; null right after `import`. */
  last_applied: EndpointAttributes | null;
  applied_at: string | null;
  /** The git commit of the manifests that were applied, when known. */
  commit?: string;
  /** Writes to this endpoint that Ark ignored, one per path and action; absent when none. */
  ignored_writes?: IgnoredWrite[];
}

export interface StateDocument {
  version: 1;
  lineage: string;
  serial: number;
  resources: Record<Address, StateResource>;
  /** What `ark-sync sync` keeps between reconciles; absent until it first records something. */
  sync?: SyncRecord;
}

/** `ark-sync sync`'s memory in the state (docs/sync.md#audit), so a cron job and a watch loop share it. */
export interface SyncRecord {
  /** Per webhook and event (`drift:<webhook id>`), a fingerprint of what was last notified: one
   * notification per change of state. */
  notified: Record<string, string>;
  /** The changes sync made, oldest first, the latest 100. */
  history: SyncHistoryEntry[];
}

export interface SyncHistoryEntry {
  /** When the reconcile recorded it (ISO 8601). */
  at: string;
  /** What changed and why: `self-heal: default/chat rate_limit.rpm 99 -> 10`. */
  line: string;
  /** The manifests' commit, when known. */
  commit?: string;
}

export type EndpointStatus = "Running" | "Scheduling" | "Abnormal" | "Stopped" | "Failed";

/** One endpoint as read from Ark, mapped to manifest names (system tags already removed). */
export interface LiveEndpoint {
  endpoint_id: string;
  attributes: EndpointAttributes;
  status: EndpointStatus | string;
  status_reason?: string;
  /** Value of the `ark-sync:address` ownership tag, when the endpoint carries it. */
  owner_address?: Address;
  /** Value of the `ark-sync:state` tag: the lineage of the state that created it (absent on
   * endpoints created before ark-sync recorded it). */
  owner_state?: string;
  /** Ark's `SupportRolling`: whether the model can be switched in place; absent when Ark did not say. */
  support_rolling?: boolean;
  /** Ark's `RollingId`: the model switch in progress on this endpoint, if any. */
  rolling_id?: string;
  /** Value of the `ark-sync:dry-run` marker: Ark made this endpoint when a run only asked it to check a
   * create (it ignored DryRun). Such an endpoint has no owner_address or owner_state, whatever ownership
   * tags it carries: nothing ever adopts it (docs/ark-api.md, DryRun). */
  dry_run_id?: string;
  /** Ark's `ScaleTierId`: the TPM guarantee package the endpoint holds, if any. GetEndpoint has it;
   * ListEndpoints items do not (docs/ark-api.md, Response fields), so absent may mean "not read". */
  scale_tier_id?: string;
}

/** A path to a leaf or subtree of the attributes, e.g. `["rate_limit", "rpm"]` or `["tags", "env"]`. */
export type AttributePath = string[];

// ---------------------------------------------------------------------------------------------
// The plan

/** How a change to one attribute affects the endpoint on Ark. A closed set, ranked in impact.ts. */
export type Impact = "none" | "update" | "replace";

export type PlanAction = "no-op" | "create" | "update" | "delete";

/** Terraform's action lists: a replace is a pair, so consumers can look for "delete". */
export type ChangeActions =
  | ["no-op"]
  | ["create"]
  | ["update"]
  | ["delete"]
  | ["delete", "create"]
  | ["create", "delete"];

export type ActionReason =
  | "new_in_manifests"
  | "adopted_by_ownership_tag"
  | "deleted_outside"
  | "removed_from_manifests"
  | "replace_because_cannot_update"
  | "update_in_place";

/**
 * How a change of `model_reference` on an existing endpoint is made (docs/design.md §2): Ark's rolling
 * switch keeps the endpoint and its id; otherwise the endpoint is replaced, for the reason given.
 */
export type ModelSwitch = { method: "rolling" } | { method: "replace"; reason: ModelReplaceReason };

export type ModelReplaceReason =
  /** The manifest's lifecycle.model_switch is `replace`. */
  | "lifecycle_replace"
  /** A custom model is involved (custom ↔ custom, or foundation ↔ custom): Ark switches foundation
   * models only. */
  | "custom_model"
  /** Ark reports SupportRolling false for the endpoint. */
  | "support_rolling_false"
  /** Ark did not say whether the endpoint can switch, or the plan did not read Ark. */
  | "support_rolling_unknown";

export interface ResourceChange {
  address: Address;
  /** The address the state records this endpoint under until apply moves it (`moved_from`). */
  previous_address?: Address;
  /** The endpoint this change acts on; null when it does not exist yet. */
  endpoint_id: string | null;
  action_reason: ActionReason | null;
  change: {
    actions: ChangeActions;
    /** Live attributes (or last-applied without refresh); null for a create. */
    before: EndpointAttributes | null;
    /** Attributes after apply; null for a delete. */
    after: EndpointAttributes | null;
    /** Mirror tree with `true` at leaves known only after apply. */
    after_unknown: Record<string, unknown>;
    /** Paths whose change forces the replacement. */
    replace_paths: AttributePath[];
    /** RFC 6902 patch from `before` to `after` (updates and replaces). */
    patch: JsonPatchOperation[];
  };
  lifecycle: Lifecycle;
  /** Set when the change includes a new model_reference for an endpoint that stays or is replaced
   * only because of it. */
  model_switch?: ModelSwitch;
  /** Live status, when known; Abnormal/Stopped also produce a warning. */
  status?: string;
  /** On a destroy or a replacement: the prepaid capacity the endpoint holds, which destroying it
   * releases; also a `prepaid_capacity` warning. */
  prepaid_capacity?: PrepaidCapacity;
}

/**
 * Capacity bought for one endpoint (docs/ark-api.md, Prepaid capacity): a model unit (`ModelUnitId`;
 * empty means post-paid, 82379/1262823) and a TPM guarantee package (`ScaleTierId`, 82379/1262431).
 * At least one member is set.
 */
export interface PrepaidCapacity {
  model_unit_id?: string;
  scale_tier_id?: string;
}

export interface JsonPatchOperation {
  op: "add" | "remove" | "replace";
  path: string;
  value?: unknown;
}

export interface DriftChange {
  path: AttributePath;
  last_applied: unknown;
  /** Absent when the value is no longer set live. */
  live?: unknown;
}

/** Something that changed on Ark since ark-sync last applied it. */
export interface ResourceDrift {
  address: Address;
  endpoint_id: string;
  /** "changed": attributes differ; "deleted": the endpoint is gone from Ark. */
  kind: "changed" | "deleted";
  changes: DriftChange[];
}

/** A live value no manifest and no last-applied record mentions: left alone. */
export interface UnmanagedPath {
  address: Address;
  path: AttributePath;
  value: unknown;
}

/**
 * A live value removed from the manifest whose reset Ark does not document (docs/ark-api.md, "Removed
 * attributes"): left as it is live, and no longer recorded as managed once applied.
 */
export interface NoLongerManagedPath {
  address: Address;
  path: AttributePath;
  /** The live value, kept. */
  value: unknown;
  last_applied: unknown;
}

export type PlanWarningCode =
  | "endpoint_id_changes"
  | "endpoint_status"
  | "no_last_applied"
  | "duplicate_live_name"
  | "live_unknown_without_refresh"
  | "targeting"
  /** An endpoint carries this address's ownership tag for another state: never adopted or changed. */
  | "owned_by_another_state"
  /** A live endpoint with this state's ownership tag that nothing tracks: it runs and bills unseen. */
  | "untracked_endpoint"
  /** A live endpoint carrying ark-sync's DryRun marker: Ark made it for a check, and it was not deleted. */
  | "dry_run_leftover"
  /** A model switch started outside this plan is in progress: the endpoint is left alone until it ends. */
  | "model_switch_in_progress"
  /** The plan's credentials may not call an action it asks Ark to DryRun: those checks are left to apply. */
  | "ark_dry_run_denied"
  /** Ark ignored an earlier write of a value this plan changes: the plan says how it writes it instead. */
  | "write_ignored"
  /** A destroy or replacement releases the prepaid capacity the endpoint holds (a model unit, a TPM
   * guarantee package). */
  | "prepaid_capacity";

export interface PlanWarning {
  code: PlanWarningCode;
  /** Absent for warnings about the whole plan. */
  address?: Address;
  message: string;
}

export type PlanErrorCode =
  | "prevent_destroy"
  | "empty_manifests"
  /** lifecycle.model_switch is `rolling` but Ark cannot switch this endpoint's model in place. */
  | "model_switch_impossible"
  /** Ark answered a DryRun of a planned create or model switch with an error. */
  | "ark_dry_run_refused"
  /** Ark carried out a DryRun (it created an endpoint) instead of only checking it. */
  | "ark_dry_run_ignored"
  /** The plan destroys or replaces more endpoints than ark-sync.yaml's max_destroy allows. */
  | "max_destroy_exceeded"
  /** Ark ignored every way ark-sync has of writing a value this plan changes. */
  | "value_not_writable";

/** A reason the plan cannot be applied. A plan with errors is still rendered, then fails. */
export interface PlanError {
  code: PlanErrorCode;
  address?: Address;
  message: string;
}

export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
}

export interface Plan {
  format_version: "1.0";
  /** False when planned with `--refresh=false`: live was assumed to equal last-applied. */
  refreshed: boolean;
  resource_changes: ResourceChange[];
  resource_drift: ResourceDrift[];
  unmanaged: UnmanagedPath[];
  no_longer_managed: NoLongerManagedPath[];
  warnings: PlanWarning[];
  errors: PlanError[];
  summary: PlanSummary;
  state: { lineage: string; serial: number } | null;
  /** Hash of the normalised plan (not its text); see plan-hash.ts. */
  plan_hash: string;
}
