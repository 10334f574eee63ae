// Values and free text as plans print them. Manifest and live text is untrusted: control characters
// (C0, DEL, C1 such as the one-byte CSI), bidi overrides and line separators are shown as \uXXXX
// escapes, so no value can move the cursor, recolour the terminal or reorder what a reviewer reads.
import { formatPath } from "../core/attribute-paths.js";
import type { AttributePath } from "../core/types.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters being escaped
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
/** The same minus C0, which JSON.stringify already escapes inside strings and uses between them. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

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
