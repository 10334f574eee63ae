// What apply does for one resource change: the plan's action list and reason, mapped once to a closed
// set of operations that the executor switches over.
import type { ResourceChange } from "../core/types.js";

export type ApplyOperation =
  /** CreateEndpoint, then wait for Running. */
  | "create"
  /** UpdateEndpoint with the in-place attributes. */
  | "update"
  /** ["delete","create"]: DeleteEndpoint, then CreateEndpoint and wait. */
  | "replace_destroy_first"
  /** ["create","delete"] (create_before_destroy): create and wait, then delete the old endpoint. */
  | "replace_create_first"
  /** DeleteEndpoint. */
  | "destroy"
  /** An endpoint found by its ownership tag: recorded in state, updated when the plan says so. */
  | "adopt"
  /** Gone from Ark and from the manifests: removed from state, nothing sent to Ark. */
  | "forget"
  /** A no-op: only its last-applied record may change (no call to Ark). */
  | "record";

export function operationOf(change: ResourceChange): ApplyOperation {
  const adopted = change.action_reason === "adopted_by_ownership_tag";
  const [first, second] = change.change.actions;
  switch (first) {
    case "create":
      return second === "delete" ? "replace_create_first" : "create";
    case "delete":
      return second === "create" ? "replace_destroy_first" : "destroy";
    case "update":
      return adopted ? "adopt" : "update";
    case "no-op":
      if (adopted) return "adopt";
      return change.action_reason === "deleted_outside" ? "forget" : "record";
  }
}
