// Values and free text as plans print them. Manifest and live text is untrusted: control, bidi and
// invisible characters (src/core/unsafe-characters.ts) are shown as \uXXXX escapes, so no value can
// move the cursor, recolour the terminal, reorder what a reviewer reads, or make two different names
// look the same. Every command prints outside text through these (test/app/hostile-output.test.ts).
import { formatPath } from "../core/attribute-paths.js";
import type { AttributePath } from "../core/types.js";
import { escapeCharacter, unsafeAfterJson, unsafeCharacters } from "../core/unsafe-characters.js";

/** Free text (addresses, messages) with unsafe characters escaped. */
export function sanitizeText(text: string): string {
  return text.replace(unsafeCharacters, escapeCharacter);
}

/** Text of several lines (an error, a warning) with unsafe characters escaped, line breaks kept. */
export function sanitizeLines(text: string): string {
  return text.split("\n").map(sanitizeText).join("\n");
}

/** JSON text (from JSON.stringify) with the remaining unsafe characters escaped; still valid JSON. */
export function sanitizeJson(json: string): string {
  return json.replace(unsafeAfterJson, escapeCharacter);
}

/** A string as a quoted, escaped literal: `"chat-prod"`. */
export function quote(text: string): string {
  return sanitizeText(JSON.stringify(text));
}

/** A leaf value: strings quoted, numbers and booleans bare, unset as `null`, anything else as JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (typeof value === "string") return quote(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return sanitizeText(JSON.stringify(value) ?? "null");
}

/** An attribute path as people read it: `rate_limit.rpm`, `tags["env"]`. */
export function formatAttributePath(path: AttributePath): string {
  return sanitizeText(formatPath(path));
}
