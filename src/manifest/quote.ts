// Manifest text is untrusted: before it goes into a message it is quoted, shortened, and its
// control, bidi and invisible characters escaped, so a hostile key cannot repaint or rewrite the
// terminal, nor pass for another.

const MAX_QUOTED_LENGTH = 60;
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff'\\]/g;

/** `'text'`, with unsafe characters as `\xNN`/`\uNNNN` and long text cut with an ellipsis. */
export function quote(text: string): string {
  const short = text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH)}…` : text;
  return `'${short.replace(UNSAFE, escapeCharacter)}'`;
}

function escapeCharacter(character: string): string {
  if (character === "'" || character === "\\") return `\\${character}`;
  const code = character.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}
