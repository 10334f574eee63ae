// Values and free text as plans print them. Manifest and live text is untrusted: control characters
// (C0, DEL, C1 such as the one-byte CSI), bidi overrides, line separators and invisible characters
// (zero-width spaces and joiners, word joiner, byte-order mark, soft hyphen) are shown as \uXXXX
// escapes, so no value can move the cursor, recolour the terminal, reorder what a reviewer reads, or
// make two different names look the same.
import { formatPath } from "../core/attribute-paths.js";
import type { AttributePath } from "../core/types.js";

const UNSAFE_CHARACTERS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters being escaped
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/g;
/** The same minus C0, which JSON.stringify already escapes inside strings and uses between them. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/g;

/** Free text (addresses, messages) with unsafe characters escaped. */
export function sanitizeText(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, escapeCharacter);
}

/** JSON text (from JSON.stringify) with the remaining unsafe characters escaped; still valid JSON. */
export function sanitizeJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON, escapeCharacter);
}

function escapeCharacter(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
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
