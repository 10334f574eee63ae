// Applies an overlay's RFC 6902 patch to one base endpoint's manifest value with fast-json-patch,
// recording each operation as the place the values it writes were written; the first operation that
// cannot apply is an error at that operation (docs/manifests.md#overlays-ark-syncyaml).
import jsonpatch, { type Operation } from "fast-json-patch";
import type { SourceLocation } from "../core/types.js";
import type { Diagnostic } from "./diagnostic.js";
import type { Placed } from "./load-config.js";
import { forget, type Provenance, writtenAt } from "./provenance.js";
import { quote } from "./quote.js";

export interface PatchedManifest {
  manifest: Record<string, unknown>;
  provenance: Provenance;
  diagnostics: Diagnostic[];
}

export function patchEndpoint(
  address: string,
  manifest: Record<string, unknown>,
  provenance: Provenance,
  operations: ReadonlyArray<Placed<Operation>>,
): PatchedManifest {
  let patched = structuredClone(manifest);
  const sources: Provenance = new Map(provenance);
  for (const { value: operation, at } of operations) {
    try {
      patched = jsonpatch.applyOperation(patched, operation, true, true, true).newDocument;
    } catch (error) {
      const message = `patch ${operation.op} ${quote(operation.path)} cannot apply to ${quote(address)}: ${describePatchError(error, operation)}`;
      return {
        manifest,
        provenance,
        diagnostics: [{ ...at, severity: "error", code: "patch_failed", message }],
      };
    }
    record(sources, operation, at);
  }
  return { manifest: patched, provenance: sources, diagnostics: [] };
}

/** Values an operation writes were written at the operation. An item added to or removed from a list
 * moves the items after it, so the whole list is then placed at the operation. */
function record(sources: Provenance, operation: Operation, at: SourceLocation): void {
  const listOf = (pointer: string) =>
    /\/(\d+|-)$/.test(pointer) ? pointer.replace(/\/[^/]*$/, "") : undefined;
  switch (operation.op) {
    case "add":
    case "replace":
    case "copy":
      writtenAt(sources, listOf(operation.path) ?? operation.path, at);
      return;
    case "move": {
      const from = listOf(operation.from);
      if (from === undefined) forget(sources, operation.from);
      else writtenAt(sources, from, at);
      writtenAt(sources, listOf(operation.path) ?? operation.path, at);
      return;
    }
    case "remove": {
      const list = listOf(operation.path);
      if (list === undefined) forget(sources, operation.path);
      else writtenAt(sources, list, at);
      return;
    }
    case "test":
    case "_get":
      return;
  }
}

function describePatchError(error: unknown, operation: Operation): string {
  if (!(error instanceof jsonpatch.JsonPatchError)) throw error;
  switch (error.name) {
    case "OPERATION_PATH_UNRESOLVABLE":
    case "OPERATION_PATH_CANNOT_ADD":
      return "the path does not exist in the endpoint";
    case "OPERATION_FROM_UNRESOLVABLE":
      return `from ${quote(String((operation as { from?: string }).from))} does not exist in the endpoint`;
    case "TEST_OPERATION_FAILED":
      return "the test failed: the value is not the one given";
    default:
      return error.message.split("\n")[0] ?? error.name;
  }
}
