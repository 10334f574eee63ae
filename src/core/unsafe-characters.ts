// The characters no output may show as they are, because they act on the terminal or on the reader
// rather than read as text: control characters (C0, DEL, C1 such as the one-byte CSI), bidi marks,
// overrides and isolates, line and paragraph separators, and invisible characters (zero-width spaces
// and joiners, word joiner, byte-order mark, soft hyphen). Plans, every command's output and generated
// manifests show them as \uXXXX escapes (src/render/format-value.ts, src/manifest/generate-manifest.ts).
const C0 = "\\u0000-\\u001f";
const OTHERS = "\\u007f-\\u009f\\u00ad\\u061c\\u200b-\\u200f\\u2028-\\u202e\\u2060\\u2066-\\u2069\\ufeff";

/** Every unsafe character, globally. */
export const unsafeCharacters = new RegExp(`[${C0}${OTHERS}]`, "g");

/** The unsafe characters JSON.stringify leaves as they are in strings (it escapes C0 itself). */
export const unsafeAfterJson = new RegExp(`[${OTHERS}]`, "g");

/** `\u202e` for U+202E. */
export function escapeCharacter(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}
