// Rules for `moved_from` across manifests: a move must leave its old address behind, so no manifest
// may still have that address, and one old address can move to one new address only.
import type { DesiredEndpoint, SourceLocation } from "../core/types.js";
import type { Diagnostic } from "./diagnostic.js";
import { quote } from "./quote.js";

/** A valid endpoint and where its manifest writes the values these rules point at. */
export interface PlacedEndpoint {
  endpoint: DesiredEndpoint;
  /** Where its `name` is written. */
  name: SourceLocation;
  /** Where its `moved_from` is written, when it has one. */
  movedFrom?: SourceLocation;
}

/** Endpoints in file order, addresses already unique; the second claim of an old address is the error. */
export function checkMoves(placed: readonly PlacedEndpoint[]): Diagnostic[] {
  const byAddress = new Map(placed.map((entry) => [entry.endpoint.address, entry]));
  const firstClaim = new Map<string, SourceLocation>();
  const diagnostics: Diagnostic[] = [];
  for (const { endpoint, movedFrom: at } of placed) {
    const from = endpoint.moved_from;
    if (from === undefined || at === undefined) continue;
    const problem = (code: string, message: string) =>
      diagnostics.push({ ...at, severity: "error", code, message });
    const current = byAddress.get(from);
    if (current !== undefined && current.endpoint !== endpoint) {
      problem(
        "moved_from_in_use",
        `moved_from ${quote(from)} is the address of the endpoint defined at ${where(current.name)}, which still exists; a moved endpoint's old address must be free (rename or remove that manifest, or remove moved_from)`,
      );
    }
    const first = firstClaim.get(from);
    if (first === undefined) {
      firstClaim.set(from, at);
    } else {
      problem(
        "duplicate_moved_from",
        `moved_from ${quote(from)} is already claimed at ${where(first)}; an endpoint can move to one address only`,
      );
    }
  }
  return diagnostics;
}

function where(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.col}`;
}
