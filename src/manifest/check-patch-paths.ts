// An overlay's patch may not go through `__proto__`, `constructor` or `prototype`: no attribute has
// such a name, and fast-json-patch refuses them with an error of its own that is no patch error. Each
// such `path` or `from` is an error at its operation (docs/manifests.md#overlays-ark-syncyaml).
import type { Operation } from "fast-json-patch";
import { splitPointer } from "./locate-node.js";
import { RESERVED_KEYS } from "./parse-yaml-documents.js";
import { quote } from "./quote.js";

/** Why the operation is refused, or undefined when its pointers name no prototype key. */
export function checkPatchPaths(operation: Operation): string | undefined {
  const from = (operation as { from?: unknown }).from;
  const pointers: Array<[string, unknown]> = [
    ["", operation.path],
    ["from ", from],
  ];
  for (const [label, pointer] of pointers) {
    if (typeof pointer !== "string") continue;
    const reserved = splitPointer(pointer).find((segment) => RESERVED_KEYS.has(segment));
    if (reserved === undefined) continue;
    return `patch ${operation.op} ${label}${quote(pointer)}: ${quote(reserved)} is never an attribute name; a patch may not go through __proto__, constructor or prototype`;
  }
  return undefined;
}
